package io.gaussmix;

import io.gaussmix.data.Matrix;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KL divergences against independent computations: the closed form through a dense inverse and
 * determinant (EJML) and the 1-D textbook formula; Monte Carlo estimates against the closed form and
 * against a long run that evaluates the mixture densities naively.
 */
class DivergenceTest {
    /** A random model of the type: K components in D dimensions, well-conditioned covariances. */
    static GaussianMixtureModel randomModel(CovarianceType type, int k, int d, long seed) {
        Random r = new Random(seed);
        double[] w = new double[k];
        double[][] means = new double[k][d];
        for (int c = 0; c < k; c++) {
            w[c] = 0.5 + r.nextDouble();
            for (int i = 0; i < d; i++) {
                means[c][i] = 3 * r.nextGaussian();
            }
        }
        int blocks = type == CovarianceType.TIED ? 1 : k;
        double[] cov = switch (type) {
            case FULL, TIED -> new double[blocks * d * d];
            case DIAG -> new double[k * d];
            case SPHERICAL -> new double[k];
        };
        for (int c = 0; c < blocks; c++) {
            switch (type) {
                case FULL, TIED -> {
                    double[][] a = new double[d][d];
                    for (int i = 0; i < d; i++) {
                        for (int j = 0; j < d; j++) {
                            a[i][j] = r.nextGaussian();
                        }
                    }
                    for (int i = 0; i < d; i++) {
                        for (int j = 0; j < d; j++) {
                            double s = i == j ? 0.3 : 0;
                            for (int t = 0; t < d; t++) {
                                s += a[i][t] * a[j][t] / d;
                            }
                            cov[c * d * d + i * d + j] = s;
                        }
                    }
                }
                case DIAG -> {
                    for (int i = 0; i < d; i++) {
                        cov[c * d + i] = 0.2 + 2 * r.nextDouble();
                    }
                }
                case SPHERICAL -> cov[c] = 0.2 + 2 * r.nextDouble();
            }
        }
        return GaussianMixtureModel.of(type, w, means, cov, FitSummary.notFitted());
    }

    /** KL between single Gaussians from the model's dense covariances: an explicit inverse and determinants. */
    static double denseClosedForm(GaussianMixtureModel a, int i, GaussianMixtureModel b, int j) {
        int d = a.dimensions();
        DMatrixRMaj sa = new DMatrixRMaj(a.covariance(i));
        DMatrixRMaj sb = new DMatrixRMaj(b.covariance(j));
        DMatrixRMaj pb = new DMatrixRMaj(d, d);
        assertTrue(CommonOps_DDRM.invert(sb, pb));
        DMatrixRMaj prod = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(pb, sa, prod);
        double trace = CommonOps_DDRM.trace(prod);
        double quad = 0;
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                quad += (b.means()[j][r] - a.means()[i][r]) * pb.get(r, c) * (b.means()[j][c] - a.means()[i][c]);
            }
        }
        return 0.5 * (trace + quad - d + Math.log(CommonOps_DDRM.det(sb)) - Math.log(CommonOps_DDRM.det(sa)));
    }

    /** The mixture density term by term from dense inverses and determinants (independent of the model's scoring). */
    static final class NaiveMixture {
        private final double[][] means;
        private final DMatrixRMaj[] precisions;
        private final double[] logNorms;

        NaiveMixture(GaussianMixtureModel m) {
            this.means = m.means();
            int d = m.dimensions();
            precisions = new DMatrixRMaj[m.components()];
            logNorms = new double[m.components()];
            for (int c = 0; c < m.components(); c++) {
                DMatrixRMaj s = new DMatrixRMaj(m.covariance(c));
                precisions[c] = new DMatrixRMaj(d, d);
                assertTrue(CommonOps_DDRM.invert(s, precisions[c]));
                logNorms[c] = Math.log(m.weights()[c]) - 0.5 * (d * Math.log(2 * Math.PI) + Math.log(CommonOps_DDRM.det(s)));
            }
        }

        double logDensity(double[] x) {
            int d = x.length;
            double[] terms = new double[means.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < terms.length; c++) {
                double quad = 0;
                for (int r = 0; r < d; r++) {
                    for (int t = 0; t < d; t++) {
                        quad += (x[r] - means[c][r]) * precisions[c].get(r, t) * (x[t] - means[c][t]);
                    }
                }
                terms[c] = logNorms[c] - 0.5 * quad;
                max = Math.max(max, terms[c]);
            }
            double sum = 0;
            for (double t : terms) {
                sum += Math.exp(t - max);
            }
            return max + Math.log(sum);
        }
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void closedFormMatchesTheDenseComputation(CovarianceType type) {
        for (int seed = 0; seed < 50; seed++) {
            int d = 1 + seed % 5;
            GaussianMixtureModel a = randomModel(type, 1, d, seed);
            GaussianMixtureModel b = randomModel(type, 1, d, 1000 + seed);
            double expected = denseClosedForm(a, 0, b, 0);
            Divergence.Estimate e = Divergence.kl(a, b, 10, 0);
            assertEquals(Divergence.Method.CLOSED_FORM, e.method());
            assertEquals(0.0, e.standardError());
            assertEquals(expected, e.value(), 1e-12 * Math.abs(expected), type + " seed " + seed);
            assertTrue(expected >= 0 && e.value() >= 0, "KL >= 0");
        }
    }

    @Test
    void closedFormIsTheTextbookFormulaIn1d() {
        double m1 = 0.3;
        double s1 = 0.7;
        double m2 = -1.1;
        double s2 = 1.9;
        GaussianMixtureModel a = GaussianMixtureModel.of(CovarianceType.SPHERICAL, new double[] {1},
                new double[][] {{m1}}, new double[] {s1 * s1}, FitSummary.notFitted());
        GaussianMixtureModel b = GaussianMixtureModel.of(CovarianceType.FULL, new double[] {1},
                new double[][] {{m2}}, new double[] {s2 * s2}, FitSummary.notFitted());
        double expected = Math.log(s2 / s1) + (s1 * s1 + (m1 - m2) * (m1 - m2)) / (2 * s2 * s2) - 0.5;
        assertEquals(expected, Divergence.kl(a, b, 10, 0).value(), 1e-12 * expected);
        assertEquals(expected, Divergence.variational(a, b), 1e-12 * expected);
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void aModelAgainstItselfIsZero(CovarianceType type) {
        GaussianMixtureModel single = randomModel(type, 1, 4, 3);
        // The closed form is a sum of rounded terms that cancel: zero to rounding, never negative.
        double closed = Divergence.kl(single, single, 10, 0).value();
        assertTrue(closed >= 0 && closed < 1e-14, "closed form against itself: " + closed);
        GaussianMixtureModel mixture = randomModel(type, 3, 4, 4);
        Divergence.Estimate mc = Divergence.kl(mixture, mixture, 5000, 9);
        assertEquals(Divergence.Method.MONTE_CARLO, mc.method());
        assertEquals(0.0, mc.value(), "the same draws give log a - log a = 0 exactly");
        assertEquals(0.0, mc.standardError());
        assertEquals(0.0, Divergence.variational(mixture, mixture));
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void monteCarloForSingleGaussiansIsWithinThreeStandardErrorsOfTheClosedForm(CovarianceType type) {
        GaussianMixtureModel a = randomModel(type, 1, 3, 21);
        GaussianMixtureModel b = randomModel(type, 1, 3, 22);
        Divergence.Estimate mc = Divergence.monteCarlo(a, b, 200_000, 5);
        double exact = Divergence.kl(a, b, 10, 0).value();
        assertTrue(mc.standardError() > 0);
        assertTrue(Math.abs(mc.value() - exact) <= 3 * mc.standardError(),
                mc.value() + " +- " + mc.standardError() + " vs closed form " + exact);
    }

    /**
     * Mixtures: the default estimate against a long run (2,000,000 draws, another seed) whose log densities
     * are computed naively, within 3 standard errors of the difference.
     */
    @Test
    void monteCarloForMixturesIsWithinThreeStandardErrorsOfALongIndependentRun() {
        GaussianMixtureModel a = randomModel(CovarianceType.FULL, 3, 2, 31);
        GaussianMixtureModel b = randomModel(CovarianceType.DIAG, 2, 2, 32);
        Divergence.Estimate e = Divergence.kl(a, b, Divergence.DEFAULT_SAMPLES, 0);
        int n = 2_000_000;
        Matrix x = a.sample(n, 12345).x();
        NaiveMixture na = new NaiveMixture(a);
        NaiveMixture nb = new NaiveMixture(b);
        double sum = 0;
        double sumSq = 0;
        for (int r = 0; r < n; r++) {
            double[] row = x.row(r);
            double v = na.logDensity(row) - nb.logDensity(row);
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / n;
        double seLong = Math.sqrt((sumSq / n - mean * mean) / (n - 1));
        double se = Math.hypot(e.standardError(), seLong);
        assertTrue(Math.abs(e.value() - mean) <= 3 * se, e.value() + " vs long run " + mean + " (se " + se + ")");
        assertTrue(e.value() > 0 && mean > 0);
    }

    @Test
    void monteCarloIsReproducibleFromTheSeed() {
        GaussianMixtureModel a = randomModel(CovarianceType.SPHERICAL, 2, 3, 41);
        GaussianMixtureModel b = randomModel(CovarianceType.TIED, 3, 3, 42);
        Divergence.Estimate first = Divergence.kl(a, b, 3000, 7);
        assertEquals(first, Divergence.kl(a, b, 3000, 7));
        assertNotEquals(first.value(), Divergence.kl(a, b, 3000, 8).value());
        assertEquals(3000, first.samples());
    }

    @Test
    void errorsNameWhatIsWrong() {
        GaussianMixtureModel two = randomModel(CovarianceType.FULL, 2, 2, 1);
        GaussianMixtureModel three = randomModel(CovarianceType.FULL, 2, 3, 2);
        assertEquals("KL needs models of the same dimension: the first has 2, the second 3",
                assertThrows(IllegalArgumentException.class, () -> Divergence.kl(two, three, 100, 0)).getMessage());
        assertEquals("samples must be >= 2 for a standard error, got 1",
                assertThrows(IllegalArgumentException.class, () -> Divergence.kl(two, two, 1, 0)).getMessage());
    }
}
