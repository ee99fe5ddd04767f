package io.gaussmix.spark;

import io.gaussmix.FitSummary;
import io.gaussmix.Intervention;

import java.util.List;

/**
 * What a Spark fit did: the library's {@link FitSummary} (iterations, convergence, the lower bound per
 * iteration, interventions, the backend that ran the passes) and the rows per most probable component.
 */
public record SparkGaussianMixtureSummary(FitSummary fit, long[] clusterSizes) {
    public SparkGaussianMixtureSummary {
        clusterSizes = clusterSizes.clone();
    }

    @Override
    public long[] clusterSizes() {
        return clusterSizes.clone();
    }

    public int iterations() {
        return fit.iterations();
    }

    public boolean converged() {
        return fit.converged();
    }

    /** The final lower bound: the mean log-likelihood per unit of weight before the last M-step. */
    public double lowerBound() {
        return fit.lowerBound();
    }

    public List<Double> lowerBoundHistory() {
        return fit.lowerBoundHistory();
    }

    public List<Intervention> interventions() {
        return fit.interventions();
    }
}
