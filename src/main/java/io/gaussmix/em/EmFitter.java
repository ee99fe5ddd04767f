package io.gaussmix.em;

import io.gaussmix.FitListener;
import io.gaussmix.Intervention;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

import java.util.ArrayList;
import java.util.List;

/**
 * The EM loop of one initialisation, as scikit-learn runs it: each iteration is one {@link StatisticsPass}
 * (the E-step and the statistics, giving the lower bound of the current parameters) followed by the host
 * M-step; it stops when the lower bound changes by less than {@code tol} (the M-step of that iteration is
 * kept) or after {@code maxIter} M-steps. The first change is measured from {@code previousLowerBound}:
 * -infinity for a fresh start, the stored lower bound for a warm start, as in scikit-learn.
 */
public final class EmFitter {

    /** The outcome of one initialisation. */
    public record Result(MixtureParams params, boolean converged, int iterations, double lowerBound,
                         List<Double> history, List<Intervention> interventions) {
    }

    /** The m rows (m*D values, row-major, all finite) the parameters explain worst: seeds for dead components. */
    @FunctionalInterface
    public interface WorstRowsSource {
        double[] worstRows(MixtureParams params, int m);
    }

    private EmFitter() {
    }

    /**
     * @param pass               one E-step with statistics; its {@code meanLogLikelihood} is the lower bound
     * @param worstRows          re-seeds for dead components
     * @param rows               rows per pass, for the listener
     * @param start              the starting parameters (from an initialiser or a given model)
     * @param previousLowerBound what the first iteration's change is measured from (-infinity: a fresh start)
     * @param initIndex          this initialisation's index, for the listener
     * @param startInterventions interventions already made while initialising
     */
    public static Result run(StatisticsPass pass, WorstRowsSource worstRows, long rows, MixtureParams start,
                             double previousLowerBound, FitSettings s, int initIndex,
                             List<Intervention> startInterventions) {
        FitListener listener = s.listener();
        List<Intervention> interventions = new ArrayList<>(startInterventions);
        List<Double> history = new ArrayList<>();
        MixtureParams params = start;
        double lowerBound = previousLowerBound;
        boolean converged = false;
        int iteration = 0;
        long t0 = System.nanoTime();
        while (iteration < s.maxIter()) {
            iteration++;
            SufficientStats stats = pass.accumulate(params);
            double previous = lowerBound;
            lowerBound = stats.meanLogLikelihood();
            if (!Double.isFinite(lowerBound)) {
                throw new FitFailedException("the log-likelihood became " + lowerBound + " in iteration " + iteration
                        + " (init " + initIndex + "); scale the data or increase regCovar");
            }
            history.add(lowerBound);
            MixtureParams current = params;
            params = MStep.apply(stats, current, s.regCovar(), iteration, m -> worstRows.worstRows(current, m), i -> {
                interventions.add(i);
                listener.onIntervention(i);
            });
            double change = lowerBound - previous;
            listener.onIteration(new FitListener.IterationEvent(initIndex, iteration, lowerBound,
                    Double.isInfinite(previous) ? Double.NaN : change, System.nanoTime() - t0, rows));
            if (Math.abs(change) < s.tol()) {
                converged = true;
                break;
            }
        }
        // With maxIter 0 nothing was computed: a fresh start has no lower bound, a warm start keeps its own.
        double reported = Double.isInfinite(lowerBound) ? Double.NaN : lowerBound;
        return new Result(params, converged, iteration, reported, history, interventions);
    }
}
