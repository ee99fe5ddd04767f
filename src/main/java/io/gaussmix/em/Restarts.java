package io.gaussmix.em;

import io.gaussmix.FitListener;
import io.gaussmix.FitSummary;
import io.gaussmix.Intervention;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The initialisations of one fit over one pass: {@code nInit} runs of EM, each from the initialiser on
 * the rows it is given (or one run from the starting model), and the run with the best final lower bound.
 */
public final class Restarts {
    /** A regCovar above this fraction of the largest column variance shapes the covariances more than the data. */
    static final double REG_COVAR_DOMINANCE = 0.1;
    /** Rows the note's column variances are estimated on (every row of a smaller sample). */
    static final int VARIANCE_SAMPLE_ROWS = 8192;

    private Restarts() {
    }

    /**
     * @param pass           one EM iteration's pass over the rows being fitted
     * @param worstRows      re-seeds for dead components
     * @param rows           rows per pass, for the listener
     * @param xInit          the rows the initialiser sees (complete: the fitted rows or their {@link InitSample});
     *                       the regCovar note is measured on them too
     * @param wInit          their weights (null = all 1)
     * @param description    the backend that ran the passes, asked for at the end (a float32 fit may have moved)
     * @param rowsAllMissing rows excluded because every value was missing, for the summary
     */
    public static FitResult run(FitSettings s, StatisticsPass pass, EmFitter.WorstRowsSource worstRows, long rows,
                                Matrix xInit, double[] wInit, Supplier<String> description,
                                int rowsAllMissing) {
        FitListener listener = s.listener();
        noteDominantRegCovar(s, xInit, wInit);
        boolean warm = s.start() != null;
        int runs = warm || s.maxIter() == 0 ? 1 : s.nInit();
        if (s.nInit() > 1 && runs == 1) {
            listener.onNote((warm ? "a starting model was given" : "maxIter 0 runs no EM step to compare starts by")
                    + ": nInit " + s.nInit() + " ignored, one run" + (warm ? " from it" : ""));
        }
        double previous = warm && Double.isFinite(s.startLowerBound()) ? s.startLowerBound() : Double.NEGATIVE_INFINITY;
        SplittableRandom master = new SplittableRandom(s.seed());
        EmFitter.Result best = null;
        for (int run = 0; run < runs; run++) {
            SplittableRandom rnd = master.split();
            List<Intervention> startInterventions = new ArrayList<>();
            MixtureParams start = warm ? s.start()
                    : Initializer.initialize(s.init(), xInit, wInit, s.k(), s.covarianceType(), s.regCovar(), rnd, i -> {
                        startInterventions.add(i);
                        listener.onIntervention(i);
                    });
            EmFitter.Result r = EmFitter.run(pass, worstRows, rows, start, previous, s, run, startInterventions);
            if (best == null || r.lowerBound() > best.lowerBound()) {
                best = r;
            }
        }
        if (!best.converged() && s.tol() > 0 && s.maxIter() > 0) {
            listener.onNote("the best initialisation did not converge within " + s.maxIter() + " iterations (maxIter "
                    + s.maxIter() + ", tol " + s.tol() + "): try a larger maxIter, a larger tol, or check the data");
        }
        FitSummary summary = new FitSummary(best.converged(), best.iterations(), best.lowerBound(),
                best.history(), best.interventions(), description.get(), rowsAllMissing);
        return new FitResult(best.params(), summary);
    }

    /**
     * A note when regCovar is not small next to the data's own variances: the fitted covariances are then
     * mostly regCovar (e.g. data scaled by 1e-150 gives identical components of covariance regCovar * I).
     */
    static void noteDominantRegCovar(FitSettings s, Matrix x, double[] w) {
        if (s.regCovar() == 0) {
            return;
        }
        double largest = largestColumnVariance(x, w);
        if (s.regCovar() > REG_COVAR_DOMINANCE * largest) {
            s.listener().onNote(String.format(Locale.ROOT, "regCovar %.3g dominates the data's variances: the largest"
                    + " column variance is %.3g (regCovar is %.3g times it), so the covariances will be mostly"
                    + " regCovar; scale the data (e.g. standardise the columns) or use a smaller regCovar",
                    s.regCovar(), largest, s.regCovar() / largest));
        }
    }

    /**
     * The largest weighted variance of a column, over at most {@link #VARIANCE_SAMPLE_ROWS} evenly spaced
     * rows (two passes: the mean, then squares about it). A sample, because the note compares orders of
     * magnitude: a pass over all rows cost 0.17 s of a 5 s fit of 2e5 x 64 rows, single-threaded before EM.
     */
    static double largestColumnVariance(Matrix x, double[] w) {
        int d = x.cols();
        double[] v = x.data();
        double[] mean = new double[d];
        double total = 0;
        int step = Math.max(1, x.rows() / VARIANCE_SAMPLE_ROWS);
        for (int r = 0; r < x.rows(); r += step) {
            double g = w == null ? 1 : w[r];
            total += g;
            for (int j = 0; j < d; j++) {
                mean[j] += g * v[r * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= total;
        }
        double[] var = new double[d];
        for (int r = 0; r < x.rows(); r += step) {
            double g = w == null ? 1 : w[r];
            for (int j = 0; j < d; j++) {
                double e = v[r * d + j] - mean[j];
                var[j] += g * e * e;
            }
        }
        double largest = 0;
        for (int j = 0; j < d; j++) {
            largest = Math.max(largest, var[j] / total);
        }
        return largest;
    }
}
