package io.gaussmix.em;

import io.gaussmix.Intervention;
import io.gaussmix.math.CovarianceKind;
import io.gaussmix.math.CovarianceStructure;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.NotPositiveDefiniteException;
import io.gaussmix.math.SufficientStats;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The M-step in float64, shared by every backend: turns the sufficient statistics of one pass
 * (accumulated about the previous means) into new weights, means and covariances, adds
 * {@code regCovar} to every covariance diagonal, factors them, and repairs what cannot be factored.
 *
 * <p>Guards, each recorded as an {@link Intervention}: a component whose weight has fallen below
 * {@link #DEAD_WEIGHT} is re-seeded at a worst-explained row; a covariance that is not positive
 * definite after {@code regCovar} gets a larger ridge, for that component only, until it factors.
 *
 * <p>Weights are in units of an average row's weight: the fit rescales the sample weights to mean 1
 * first ({@link SampleWeights}), so every threshold here is relative to the total weight and
 * multiplying all sample weights by a constant changes nothing.
 */
public final class MStep {
    /**
     * A component whose summed responsibility is below this (in rows: 1e-10 of an average row's weight)
     * has lost all its points. The threshold is tiny on purpose: a component scikit-learn would keep
     * alive is never touched.
     */
    public static final double DEAD_WEIGHT = 1e-10;

    /** scikit-learn adds 10 eps (of a unit row weight) to every N_k so that no division is by zero; we do the same. */
    private static final double NK_GUARD = 10 * Math.ulp(1.0);

    /** Ridge escalation: each try multiplies the extra ridge by 10, at most this many times. */
    private static final int MAX_RIDGE_TRIES = 15;

    private MStep() {
    }

    /**
     * @param stats      one pass's statistics about {@code previous.means()}
     * @param previous   the parameters that pass used
     * @param regCovar   ridge added to every covariance diagonal
     * @param iteration  the M-step's number (for interventions)
     * @param worstRows  gives m rows (m*D values, row-major), the m worst explained by {@code previous};
     *                   called only when a component must be re-seeded
     * @param log        receives every intervention
     * @throws FitFailedException when no repair makes a covariance positive definite
     */
    public static MixtureParams apply(SufficientStats stats, MixtureParams previous, double regCovar, int iteration,
                                      IntFunction<double[]> worstRows, Consumer<Intervention> log) {
        int k = stats.k;
        int d = stats.d;
        CovarianceKind type = stats.type;
        double[] nk = new double[k];
        double[] means = new double[k * d];
        double[] delta = new double[k * d];
        double[] prevMeans = previous.means();
        int dead = 0;
        for (int c = 0; c < k; c++) {
            if (!(stats.nk[c] >= DEAD_WEIGHT)) {
                dead++;
            }
        }
        double[] seeds = dead > 0 ? worstRows.apply(dead) : null;
        int seedIndex = 0;
        for (int c = 0; c < k; c++) {
            if (!Double.isFinite(stats.nk[c])) {
                throw new FitFailedException("component " + c + " received a non-finite weight (" + stats.nk[c]
                        + ") in iteration " + iteration + "; the data may contain values too large to square: scale it");
            }
            nk[c] = stats.nk[c] + NK_GUARD;
            for (int i = 0; i < d; i++) {
                delta[c * d + i] = stats.sumDiff[c * d + i] / nk[c];
                means[c * d + i] = prevMeans[c * d + i] + delta[c * d + i];
            }
        }
        double[] cov = covariances(stats, nk, delta, regCovar);
        if (dead > 0) {
            for (int c = 0; c < k; c++) {
                if (!(stats.nk[c] >= DEAD_WEIGHT)) {
                    reseed(c, seeds, seedIndex++, stats, nk, means, cov, d, type.structure());
                    log.accept(new Intervention(iteration, c, Intervention.Kind.RESEEDED,
                            "its summed responsibility was " + stats.nk[c] + " < " + DEAD_WEIGHT
                                    + "; restarted at a worst-explained row with the average covariance"));
                }
            }
        }
        for (int c = 0; c < k; c++) {
            if (!Double.isFinite(means[c * d]) || Double.isNaN(nk[c])) {
                throw new FitFailedException("component " + c + " has a non-finite mean in iteration " + iteration
                        + "; scale the data or increase regCovar");
            }
        }
        return factorWithRepairs(type, nk, means, cov, d, regCovar, iteration, log);
    }

    /**
     * Covariances in scikit-learn's shape from second moments about the old means, S/N_k - delta delta^T + reg I:
     * one function per covariance type, as scikit-learn's {@code _estimate_gaussian_covariances_*}.
     */
    static double[] covariances(SufficientStats s, double[] nk, double[] delta, double reg) {
        return switch (s.type.structure()) {
            case FULL -> fullCovariances(s, nk, delta, reg);
            case TIED -> tiedCovariance(s, nk, delta, reg);
            case DIAG -> diagonalCovariances(s, nk, delta, reg);
            case SPHERICAL -> sphericalVariances(s, nk, delta, reg);
        };
    }

    private static double[] fullCovariances(SufficientStats s, double[] nk, double[] delta, double reg) {
        int k = s.k;
        int d = s.d;
        double[] cov = new double[k * d * d];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    int o = c * d * d + i * d + j;
                    cov[o] = s.sumSq[o] / nk[c] - delta[c * d + i] * delta[c * d + j] + (i == j ? reg : 0);
                }
            }
        }
        return cov;
    }

    /** The pooled within-component covariance: sum_k (S_k - N_k delta_k delta_k^T) / sum_k N_k + reg I. */
    private static double[] tiedCovariance(SufficientStats s, double[] nk, double[] delta, double reg) {
        int k = s.k;
        int d = s.d;
        double[] cov = new double[d * d];
        double total = 0;
        for (int c = 0; c < k; c++) {
            total += nk[c];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    cov[i * d + j] += s.sumSq[c * d * d + i * d + j] - nk[c] * delta[c * d + i] * delta[c * d + j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                cov[i * d + j] = cov[i * d + j] / total + (i == j ? reg : 0);
            }
        }
        return cov;
    }

    private static double[] diagonalCovariances(SufficientStats s, double[] nk, double[] delta, double reg) {
        int d = s.d;
        double[] cov = new double[s.k * d];
        for (int o = 0; o < cov.length; o++) {
            cov[o] = s.sumSq[o] / nk[o / d] - delta[o] * delta[o] + reg;
        }
        return cov;
    }

    /** The mean of each component's diagonal variances (scikit-learn's spherical estimate). */
    private static double[] sphericalVariances(SufficientStats s, double[] nk, double[] delta, double reg) {
        int d = s.d;
        double[] cov = new double[s.k];
        for (int c = 0; c < s.k; c++) {
            double sum = 0;
            for (int i = 0; i < d; i++) {
                int o = c * d + i;
                sum += s.sumSq[o] / nk[c] - delta[o] * delta[o] + reg;
            }
            cov[c] = sum / d;
        }
        return cov;
    }

    /** Moves a dead component to a seed row, with the weight-averaged covariance of the live ones and a fair share of weight. */
    private static void reseed(int c, double[] seeds, int seedIndex, SufficientStats s, double[] nk, double[] means,
                               double[] cov, int d, CovarianceStructure structure) {
        System.arraycopy(seeds, seedIndex * d, means, c * d, d);
        int k = s.k;
        double live = 0;
        for (int j = 0; j < k; j++) {
            if (s.nk[j] >= DEAD_WEIGHT) {
                live += nk[j];
            }
        }
        int len = structure.blockLength(d);
        if (!structure.shared() && live > 0) {
            double[] avg = new double[len];
            for (int j = 0; j < k; j++) {
                if (s.nk[j] >= DEAD_WEIGHT) {
                    for (int t = 0; t < len; t++) {
                        avg[t] += nk[j] / live * cov[j * len + t];
                    }
                }
            }
            System.arraycopy(avg, 0, cov, c * len, len);
        }
        nk[c] = Math.max(s.totalWeight / k, NK_GUARD);
    }

    /** Factors every covariance, raising one component's ridge at a time until it is positive definite. */
    private static MixtureParams factorWithRepairs(CovarianceKind type, double[] nk, double[] means, double[] cov,
                                                   int d, double reg, int iteration, Consumer<Intervention> log) {
        for (int attempt = 0; ; attempt++) {
            try {
                return MixtureParams.of(type, nk, means, cov, d);
            } catch (NotPositiveDefiniteException e) {
                int c = e.component();
                if (attempt > nk.length * MAX_RIDGE_TRIES) {
                    throw failure(c, iteration);
                }
                double ridge = raiseRidge(type.structure(), cov, Math.max(c, 0), d, reg);
                if (Double.isNaN(ridge)) {
                    throw failure(c, iteration);
                }
                log.accept(new Intervention(iteration, Math.max(c, 0), Intervention.Kind.RIDGE_INCREASED,
                        "covariance not positive definite after regCovar " + reg + "; added " + ridge
                                + " to its diagonal" + (c < 0 ? " (tied covariance)" : "")));
            }
        }
    }

    /**
     * Adds the smallest ridge of the sequence s*1e-12, s*1e-11, ... (s = mean diagonal magnitude,
     * at least {@code reg}) that makes the component's covariance factor; returns it, or NaN if none does.
     */
    private static double raiseRidge(CovarianceStructure structure, double[] cov, int c, int d, double reg) {
        int len = structure.blockLength(d);
        int off = structure.offset(c, d);
        double scale = structure.meanDiagonalMagnitude(cov, off, d);
        double ridge = Math.max(reg, 1e-12 * Math.max(scale, Double.MIN_NORMAL));
        double[] factor = new double[len];
        for (int t = 0; t < MAX_RIDGE_TRIES; t++) {
            double[] trial = Arrays.copyOfRange(cov, off, off + len);
            structure.addToDiagonal(trial, 0, d, ridge);
            if (!Double.isNaN(structure.factor(trial, 0, d, factor, 0))) {
                System.arraycopy(trial, 0, cov, off, len);
                return ridge;
            }
            ridge *= 10;
        }
        return Double.NaN;
    }

    private static FitFailedException failure(int c, int iteration) {
        return new FitFailedException((c < 0 ? "the tied covariance" : "the covariance of component " + c)
                + " could not be made positive definite in iteration " + iteration
                + " even with a larger ridge: increase regCovar, use fewer components (k), or scale the data");
    }
}
