package io.gaussmix;

import java.util.List;

/**
 * What a fit did: whether it converged, how many M-steps it ran, its final lower bound (the mean
 * log-likelihood per sample before the last M-step, as scikit-learn reports it) and that bound per
 * iteration, every intervention, the backend that ran it, and how many rows were excluded because
 * every value was missing (only {@link MissingPolicy#EM} accepts such rows; otherwise 0). With missing
 * values the bound is the observed-data log-likelihood per unit of sample weight of the rows used.
 * A model built from given parameters (not fitted) has {@code iterations == 0} and an empty history, and
 * so has a fit with {@code maxIter(0)}: its lower bound is NaN, or the starting model's for a warm start.
 * A warm start from a model with a finite lower bound continues its convergence test from that bound.
 *
 * <p>{@code online} is null for a batch fit; for a model of {@link OnlineGaussianMixture} it says how
 * many batches and rows it has seen and its step size; {@code iterations} then counts the batches
 * (one M-step each), {@code lowerBound} is the last batch's mean log-likelihood under the parameters
 * it was assigned with, the history is empty, and {@code converged} is false (online EM never stops).
 */
public record FitSummary(boolean converged, int iterations, double lowerBound, List<Double> lowerBoundHistory,
                         List<Intervention> interventions, String backend, int rowsAllMissing,
                         OnlineGaussianMixture.Progress online) {
    public FitSummary {
        lowerBoundHistory = List.copyOf(lowerBoundHistory);
        interventions = List.copyOf(interventions);
        if (rowsAllMissing < 0) {
            throw new IllegalArgumentException("rowsAllMissing must be >= 0, got " + rowsAllMissing);
        }
    }

    /** The summary of a batch fit ({@code online == null}). */
    public FitSummary(boolean converged, int iterations, double lowerBound, List<Double> lowerBoundHistory,
                      List<Intervention> interventions, String backend, int rowsAllMissing) {
        this(converged, iterations, lowerBound, lowerBoundHistory, interventions, backend, rowsAllMissing, null);
    }

    /** A summary of a fit that excluded no rows ({@code rowsAllMissing == 0}). */
    public FitSummary(boolean converged, int iterations, double lowerBound, List<Double> lowerBoundHistory,
                      List<Intervention> interventions, String backend) {
        this(converged, iterations, lowerBound, lowerBoundHistory, interventions, backend, 0);
    }

    /** The summary of a model that was not fitted here. */
    public static FitSummary notFitted() {
        return new FitSummary(false, 0, Double.NaN, List.of(), List.of(), "none");
    }
}
