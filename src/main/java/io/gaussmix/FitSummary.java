package io.gaussmix;

import java.util.List;

/**
 * What a fit did: whether it converged, how many M-steps it ran, its final lower bound (the mean
 * log-likelihood per sample before the last M-step, as scikit-learn reports it) and that bound per
 * iteration, every intervention, and the backend that ran it. A model built from given parameters
 * (not fitted) has {@code iterations == 0} and an empty history.
 */
public record FitSummary(boolean converged, int iterations, double lowerBound, List<Double> lowerBoundHistory,
                         List<Intervention> interventions, String backend) {
    public FitSummary {
        lowerBoundHistory = List.copyOf(lowerBoundHistory);
        interventions = List.copyOf(interventions);
    }

    /** The summary of a model that was not fitted here. */
    public static FitSummary notFitted() {
        return new FitSummary(false, 0, Double.NaN, List.of(), List.of(), "none");
    }
}
