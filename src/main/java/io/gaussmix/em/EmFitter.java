package io.gaussmix.em;

import io.gaussmix.FitListener;
import io.gaussmix.Intervention;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

import java.util.ArrayList;
import java.util.List;

/**
 * The EM loop of one initialisation, as scikit-learn runs it: each iteration is one fused pass on
 * the backend (the E-step and the statistics, giving the lower bound of the current parameters)
 * followed by the host M-step; it stops when the lower bound changes by less than {@code tol}
 * (the M-step of that iteration is kept) or after {@code maxIter} M-steps.
 */
public final class EmFitter {

    /** The outcome of one initialisation. */
    public record Result(MixtureParams params, boolean converged, int iterations, double lowerBound,
                         List<Double> history, List<Intervention> interventions) {
    }

    private EmFitter() {
    }

    /** One fused pass: the E-step and the sufficient statistics about {@code params.means()}. */
    @FunctionalInterface
    public interface Pass {
        SufficientStats accumulate(MixtureParams params);
    }

    /** The m rows (m*D values, row-major, all finite) the parameters explain worst: seeds for dead components. */
    @FunctionalInterface
    public interface WorstRowsSource {
        double[] worstRows(MixtureParams params, int m);
    }

    /**
     * @param x         the same rows as {@code data}, on the host (used only to re-seed dead components)
     * @param start     the starting parameters (from an initialiser or a given model)
     * @param initIndex this initialisation's index, for the listener
     * @param startInterventions interventions already made while initialising
     */
    public static Result run(Backend backend, LoadedData data, Matrix x, MixtureParams start, double tol,
                             double regCovar, int maxIter, int initIndex, List<Intervention> startInterventions,
                             FitListener listener) {
        return run(p -> backend.accumulate(data, p), (p, m) -> WorstRows.under(x, p, m), data.rows(), start, tol,
                regCovar, maxIter, initIndex, startInterventions, listener);
    }

    /** The m rows of complete data x that p explains worst (the re-seeds of the complete-data fit). */
    public static double[] worstRows(Matrix x, MixtureParams p, int m) {
        return WorstRows.under(x, p, m);
    }

    /**
     * The loop over any pass (the backend's complete-data pass, or the missing-data pass).
     *
     * @param pass      one E-step with statistics; its {@code meanLogLikelihood} is the lower bound
     * @param worstRows re-seeds for dead components
     * @param rows      rows per pass, for the listener
     */
    public static Result run(Pass pass, WorstRowsSource worstRows, int rows, MixtureParams start, double tol,
                             double regCovar, int maxIter, int initIndex, List<Intervention> startInterventions,
                             FitListener listener) {
        List<Intervention> interventions = new ArrayList<>(startInterventions);
        List<Double> history = new ArrayList<>();
        MixtureParams params = start;
        double lowerBound = Double.NEGATIVE_INFINITY;
        boolean converged = false;
        int iteration = 0;
        long t0 = System.nanoTime();
        while (iteration < maxIter) {
            iteration++;
            SufficientStats stats = pass.accumulate(params);
            double previous = lowerBound;
            lowerBound = stats.meanLogLikelihood();
            if (!Double.isFinite(lowerBound)) {
                throw new FitFailedException("the log-likelihood became " + lowerBound + " in iteration " + iteration
                        + " (init " + initIndex + "); scale the data or increase reg-covar");
            }
            history.add(lowerBound);
            MixtureParams current = params;
            int it = iteration;
            params = MStep.apply(stats, current, regCovar, it, m -> worstRows.worstRows(current, m), i -> {
                interventions.add(i);
                listener.onIntervention(i);
            });
            double change = lowerBound - previous;
            listener.onIteration(new FitListener.IterationEvent(initIndex, iteration, lowerBound,
                    iteration == 1 ? Double.NaN : change, System.nanoTime() - t0, rows));
            if (Math.abs(change) < tol) {
                converged = true;
                break;
            }
        }
        return new Result(params, converged, iteration, lowerBound, history, interventions);
    }
}
