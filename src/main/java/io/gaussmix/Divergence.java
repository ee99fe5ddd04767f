package io.gaussmix;

import io.gaussmix.backend.cpu.HostScorer;
import io.gaussmix.data.Matrix;

/**
 * The Kullback-Leibler divergence KL(a || b) = E_a[log a(x) - log b(x)] between two fitted models of the
 * same dimension, in nats. Between single Gaussians it has a closed form; between mixtures it has none, so
 * {@link #kl} estimates it by Monte Carlo, with a standard error, reproducibly from a seed.
 * {@link #variational} adds Hershey and Olsen's (2007) deterministic approximation.
 *
 * <pre>{@code
 * Divergence.Estimate e = Divergence.kl(a, b, Divergence.DEFAULT_SAMPLES, 0);
 * System.out.println(e.value() + " +- " + e.standardError());
 * }</pre>
 */
public final class Divergence {
    /** Monte Carlo draws from {@code a} when no number is given: a standard error near 1/300 of the spread. */
    public static final int DEFAULT_SAMPLES = 100_000;

    private Divergence() {
    }

    /** How an {@link Estimate} was computed. */
    public enum Method {
        /** Both models are single Gaussians: exact up to rounding, standard error 0. */
        CLOSED_FORM,
        /** The mean of log a(x) - log b(x) over samples drawn from a. */
        MONTE_CARLO
    }

    /**
     * @param value         the divergence (nats)
     * @param standardError the Monte Carlo standard error (sample standard deviation / sqrt(samples)); 0 in closed form
     * @param samples       the draws from a (0 in closed form)
     */
    public record Estimate(double value, double standardError, Method method, int samples) {
    }

    /**
     * KL(a || b): the closed form when both models have one component, otherwise a Monte Carlo estimate
     * from {@code samples} draws of {@code a.sample(samples, seed)}.
     *
     * @throws IllegalArgumentException when the dimensions differ or samples < 2
     */
    public static Estimate kl(GaussianMixtureModel a, GaussianMixtureModel b, int samples, long seed) {
        requireSameDimensions(a, b);
        if (a.components() == 1 && b.components() == 1) {
            return new Estimate(gaussians(a, 0, b, 0), 0, Method.CLOSED_FORM, 0);
        }
        return monteCarlo(a, b, samples, seed);
    }

    /**
     * The Monte Carlo estimate for any two models (also single Gaussians, e.g. to check it): the same seed
     * gives the same draws, so a model against itself gives exactly 0.
     *
     * @throws IllegalArgumentException when the dimensions differ or samples < 2
     */
    public static Estimate monteCarlo(GaussianMixtureModel a, GaussianMixtureModel b, int samples, long seed) {
        requireSameDimensions(a, b);
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be >= 2 for a standard error, got " + samples);
        }
        Matrix x = a.sample(samples, seed).x();
        double[] la = a.scoreSamples(x);
        double[] lb = b.scoreSamples(x);
        // Welford's update: the mean and the sum of squared deviations in one stable pass.
        double mean = 0;
        double m2 = 0;
        for (int i = 0; i < samples; i++) {
            double v = la[i] - lb[i];
            double delta = v - mean;
            mean += delta / (i + 1);
            m2 += delta * (v - mean);
        }
        double se = Math.sqrt(m2 / (samples - 1) / samples);
        return new Estimate(mean, se, Method.MONTE_CARLO, samples);
    }

    /**
     * Hershey and Olsen's variational approximation (2007, eq. 18):
     * sum_i pi_i log( sum_i' pi_i' exp(-KL(a_i || a_i')) / sum_j w_j exp(-KL(a_i || b_j)) ), built from the
     * closed forms between components. Deterministic and cheap; not a bound, and may be negative. It is exact
     * for single Gaussians and exactly 0 for a model against itself.
     */
    public static double variational(GaussianMixtureModel a, GaussianMixtureModel b) {
        requireSameDimensions(a, b);
        double[] pa = a.weights();
        double[] pb = b.weights();
        double total = 0;
        for (int i = 0; i < a.components(); i++) {
            double[] self = new double[a.components()];
            for (int t = 0; t < self.length; t++) {
                self[t] = Math.log(pa[t]) - gaussians(a, i, a, t);
            }
            double[] other = new double[b.components()];
            for (int j = 0; j < other.length; j++) {
                other[j] = Math.log(pb[j]) - gaussians(a, i, b, j);
            }
            total += pa[i] * (HostScorer.logSumExp(self, 0, self.length)
                    - HostScorer.logSumExp(other, 0, other.length));
        }
        return total;
    }

    /**
     * The closed form between component i of a and component j of b,
     * KL = 1/2 [ tr(P_b S_a) + (m_b - m_a)^T P_b (m_b - m_a) - D + log det S_b - log det S_a ],
     * through the precision Cholesky factors (P = U U^T, U upper triangular) so that nothing is inverted:
     * S_a = U_a^-T U_a^-1 gives tr(P_b S_a) = ||U_a^-1 U_b||_F^2, a triangular solve, and
     * log det S = -2 sum log diag U. Clamped at 0: a negative value can only be rounding (KL >= 0).
     */
    public static double gaussians(GaussianMixtureModel a, int i, GaussianMixtureModel b, int j) {
        requireSameDimensions(a, b);
        int d = a.dimensions();
        double[][] ua = a.precisionCholesky(i);
        double[][] ub = b.precisionCholesky(j);
        double trace = 0;
        for (int col = 0; col < d; col++) {
            // Back substitution for column col of X in U_a X = U_b (X is upper triangular: rows <= col).
            double[] x = new double[d];
            for (int r = col; r >= 0; r--) {
                double s = ub[r][col];
                for (int t = r + 1; t <= col; t++) {
                    s -= ua[r][t] * x[t];
                }
                x[r] = s / ua[r][r];
                trace += x[r] * x[r];
            }
        }
        double[] ma = a.means()[i];
        double[] mb = b.means()[j];
        double mahalanobis = 0;
        for (int col = 0; col < d; col++) {
            double s = 0;
            for (int r = 0; r <= col; r++) {
                s += (mb[r] - ma[r]) * ub[r][col];
            }
            mahalanobis += s * s;
        }
        double logDetRatio = 0;   // log det S_b - log det S_a
        for (int r = 0; r < d; r++) {
            logDetRatio += 2 * (Math.log(ua[r][r]) - Math.log(ub[r][r]));
        }
        return Math.max(0, 0.5 * (trace + mahalanobis - d + logDetRatio));
    }

    private static void requireSameDimensions(GaussianMixtureModel a, GaussianMixtureModel b) {
        if (a.dimensions() != b.dimensions()) {
            throw new IllegalArgumentException("KL needs models of the same dimension: the first has "
                    + a.dimensions() + ", the second " + b.dimensions());
        }
    }
}
