package io.gaussmix;

import io.gaussmix.data.Matrix;
import io.gaussmix.inference.SingularInformationException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Standard errors against the inverse of a numerical Hessian of the total log-likelihood (central
 * differences of {@code model.scoreSamples}, summed, over the entries of the weights, means and covariances
 * themselves), refusals of a singular information, and frequency weights against repeated rows.
 */
class StandardErrorsTest {
    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        for (CovarianceType t : CovarianceType.values()) {
            out.add(Arguments.of(t, 2, 2));
            out.add(Arguments.of(t, 3, 3));
            out.add(Arguments.of(t, 3, 2));
        }
        return out.stream();
    }

    /** A fit to 300 rows drawn from a random model, started at that model. */
    private static GaussianMixtureModel fitted(CovarianceType type, int k, int d, Matrix x, GaussianMixtureModel truth) {
        return GaussianMixture.builder().k(k).covarianceType(type).initialModel(truth).tol(1e-12).maxIter(500)
                .build().fit(x);
    }

    @ParameterizedTest(name = "{0} K={1} D={2}")
    @MethodSource("shapes")
    void matchTheInverseOfANumericalHessian(CovarianceType type, int k, int d) {
        GaussianMixtureModel truth = DivergenceTest.randomModel(type, k, d, 31L * k + d);
        Matrix x = truth.sample(300, 7).x();
        GaussianMixtureModel model = fitted(type, k, d, x, truth);
        StandardErrors se = model.standardErrors(x);

        Coordinates theta = new Coordinates(model);
        double[][] v = inverseOfMinusHessian(theta, x);
        int p = theta.size();
        assertEquals(model.parameterCount(), p);
        assertEquals(p, se.parameters());
        // The error of each central difference (see inverseOfMinusHessian) is below 1e-7 of the Hessian's scale;
        // inverting a Hessian of condition below ~1e2 (these small, separated fits) keeps it below 1e-5, so
        // 1e-4 relative separates a correct analytic information from any wrong term by a wide margin.
        double tol = 1e-4;
        double[] w = se.weights();
        double lastVariance = 0;
        for (int a = 0; a < k - 1; a++) {
            assertRelative(Math.sqrt(v[a][a]), w[a], tol, "weight " + a);
            for (int b = 0; b < k - 1; b++) {
                lastVariance += v[a][b];
            }
        }
        assertRelative(Math.sqrt(lastVariance), w[k - 1], tol, "last weight (delta method)");
        double[][] m = se.means();
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) {
                int at = theta.mean(c, i);
                assertRelative(Math.sqrt(v[at][at]), m[c][i], tol, "mean " + c + "," + i);
            }
        }
        double[] cov = se.covariances();
        for (int e = 0; e < cov.length; e++) {
            int at = theta.covarianceCoordinate(e);
            assertRelative(Math.sqrt(v[at][at]), cov[e], tol, "covariance value " + e);
        }
        // At the maximum the Newton step is a rounding-level fraction of a standard error (tol 1e-12, no ridge
        // beyond the default 1e-6, which moves a covariance by ~1e-6 / SE ~ 1e-4 standard errors at most).
        assertTrue(se.maxNewtonStep() < 1e-3, "Newton step " + se.maxNewtonStep());
        assertTrue(se.converged());
        assertEquals(300, se.rows());
    }

    private static void assertRelative(double expected, double actual, double tol, String what) {
        assertTrue(Math.abs(actual - expected) <= tol * Math.abs(expected),
                what + ": expected " + expected + " got " + actual + " (relative " + Math.abs(actual / expected - 1) + ")");
    }

    /**
     * (-H)^-1 with H by central differences: H_ab = [f(+a,+b) - f(+a,-b) - f(-a,+b) + f(-a,-b)] / (4 h_a h_b)
     * (the diagonal from f(+2a), f(0), f(-2a) over 4 h_a^2), steps h_a = 2e-4 times each coordinate's scale.
     * Truncation: O(h^2) relative, ~(2e-4)^2 * O(10) = 4e-7; rounding: f = sum of 300 row log-likelihoods
     * (|f| ~ 1e3) is exact to ~1e-12 absolute, divided by h_a h_b ~ 4e-8 scale_a scale_b against an entry of
     * ~300 / (scale_a scale_b): ~1e-7 relative. Both far below 1e-4.
     */
    private static double[][] inverseOfMinusHessian(Coordinates theta, Matrix x) {
        int p = theta.size();
        double[] h = new double[p];
        for (int a = 0; a < p; a++) {
            h[a] = 2e-4 * theta.scale(a);
        }
        double[] base = theta.values();
        double f0 = theta.logLikelihood(base, x);
        DMatrixRMaj minusH = new DMatrixRMaj(p, p);
        for (int a = 0; a < p; a++) {
            for (int b = a; b < p; b++) {
                double value;
                if (a == b) {
                    double fp = theta.logLikelihood(shift(base, a, 2 * h[a], b, 0), x);
                    double fm = theta.logLikelihood(shift(base, a, -2 * h[a], b, 0), x);
                    value = (fp - 2 * f0 + fm) / (4 * h[a] * h[a]);
                } else {
                    double fpp = theta.logLikelihood(shift(base, a, h[a], b, h[b]), x);
                    double fpm = theta.logLikelihood(shift(base, a, h[a], b, -h[b]), x);
                    double fmp = theta.logLikelihood(shift(base, a, -h[a], b, h[b]), x);
                    double fmm = theta.logLikelihood(shift(base, a, -h[a], b, -h[b]), x);
                    value = (fpp - fpm - fmp + fmm) / (4 * h[a] * h[b]);
                }
                minusH.set(a, b, -value);
                minusH.set(b, a, -value);
            }
        }
        DMatrixRMaj inv = new DMatrixRMaj(p, p);
        assertTrue(CommonOps_DDRM.invert(minusH, inv));
        double[][] out = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                out[a][b] = inv.get(a, b);
            }
        }
        return out;
    }

    private static double[] shift(double[] base, int a, double da, int b, double db) {
        double[] t = base.clone();
        t[a] += da;
        t[b] += db;
        return t;
    }

    /**
     * The test's own coordinates: K-1 weights (the last one 1 minus their sum), the means, and each stored
     * covariance value that is not a mirror ((i, j) with i <= j for FULL and TIED), in storage order.
     */
    static final class Coordinates {
        private final CovarianceType type;
        private final int k;
        private final int d;
        private final double[] weights;
        private final double[] means;
        private final double[] cov;
        /** Stored covariance index -> its coordinate's stored index (the upper entry for a mirror). */
        private final int[] owner;
        private final List<Integer> covStored = new ArrayList<>();

        Coordinates(GaussianMixtureModel m) {
            type = m.covarianceType();
            k = m.components();
            d = m.dimensions();
            weights = m.weights();
            means = Matrix.of(m.means()).data();
            cov = m.covariances();
            owner = new int[cov.length];
            boolean dense = type == CovarianceType.FULL || type == CovarianceType.TIED;
            for (int e = 0; e < cov.length; e++) {
                int i = (e / d) % d;
                int j = e % d;
                owner[e] = dense && i > j ? e - (i - j) * d + (i - j) : e;
                if (owner[e] == e) {
                    covStored.add(e);
                }
            }
        }

        int size() {
            return k - 1 + k * d + covStored.size();
        }

        int mean(int c, int i) {
            return k - 1 + c * d + i;
        }

        int covarianceCoordinate(int stored) {
            return k - 1 + k * d + covStored.indexOf(owner[stored]);
        }

        double[] values() {
            double[] t = new double[size()];
            System.arraycopy(weights, 0, t, 0, k - 1);
            System.arraycopy(means, 0, t, k - 1, k * d);
            for (int a = 0; a < covStored.size(); a++) {
                t[k - 1 + k * d + a] = cov[covStored.get(a)];
            }
            return t;
        }

        /** Each coordinate's natural size: a weight's distance to 0 or 1, a standard deviation, sqrt(S_ii S_jj). */
        double scale(int a) {
            if (a < k - 1) {
                return Math.min(weights[a], 1 - weights[a]);
            }
            if (a < k - 1 + k * d) {
                int c = (a - k + 1) / d;
                int i = (a - k + 1) % d;
                return Math.sqrt(model(values()).covariance(c)[i][i]);
            }
            int e = covStored.get(a - k + 1 - k * d);
            if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
                int base = e / (d * d) * d * d;
                int i = (e / d) % d;
                int j = e % d;
                return Math.sqrt(cov[base + i * d + i] * cov[base + j * d + j]);
            }
            return cov[e];
        }

        GaussianMixtureModel model(double[] t) {
            double[] w = new double[k];
            double last = 1;
            for (int c = 0; c < k - 1; c++) {
                w[c] = t[c];
                last -= t[c];
            }
            w[k - 1] = last;
            double[][] mu = new double[k][d];
            for (int c = 0; c < k; c++) {
                System.arraycopy(t, k - 1 + c * d, mu[c], 0, d);
            }
            double[] s = new double[cov.length];
            for (int e = 0; e < cov.length; e++) {
                s[e] = t[k - 1 + k * d + covStored.indexOf(owner[e])];
            }
            return GaussianMixtureModel.of(type, w, mu, s, FitSummary.notFitted());
        }

        double logLikelihood(double[] t, Matrix x) {
            double sum = 0;
            for (double v : model(t).scoreSamples(x)) {
                sum += v;
            }
            return sum;
        }
    }

    @Test
    void frequencyWeightsCountAsRepeatedRows() {
        GaussianMixtureModel truth = DivergenceTest.randomModel(CovarianceType.FULL, 2, 2, 5);
        Matrix x = truth.sample(200, 3).x();
        double[] w = new double[200];
        List<double[]> repeated = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            w[i] = 1 + i % 3;
            for (int r = 0; r < w[i]; r++) {
                repeated.add(x.row(i));
            }
        }
        GaussianMixtureModel model = fitted(CovarianceType.FULL, 2, 2, x, truth);
        StandardErrors weighted = model.standardErrors(x, w);
        StandardErrors copies = model.standardErrors(Matrix.of(repeated.toArray(new double[0][])));
        // The same sums in another order: equal to rounding (1e-10 relative leaves room for a P = 11 inverse).
        for (int c = 0; c < 2; c++) {
            assertRelative(copies.weights()[c], weighted.weights()[c], 1e-10, "weight " + c);
            for (int i = 0; i < 2; i++) {
                assertRelative(copies.means()[c][i], weighted.means()[c][i], 1e-10, "mean " + c + "," + i);
            }
        }
        assertEquals(copies.totalWeight(), weighted.totalWeight());
        assertEquals(200, weighted.rows());
    }

    @Test
    void twoIdenticalComponentsAreRefusedNamingTheWeight() {
        // Two copies of one Gaussian: moving weight between them leaves the likelihood exactly unchanged.
        double[][] means = {{0, 0}, {0, 0}};
        double[] cov = {1, 0.3, 0.3, 2, 1, 0.3, 0.3, 2};
        GaussianMixtureModel model = GaussianMixtureModel.of(CovarianceType.FULL, new double[] {0.5, 0.5}, means, cov,
                FitSummary.notFitted());
        Matrix x = model.sample(300, 1).x();
        SingularInformationException e = assertThrows(SingularInformationException.class, () -> model.standardErrors(x));
        assertEquals(List.of("weight 0"), e.parameters(), e.getMessage());
        assertTrue(e.getMessage().contains("weight 0") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aDirectionAcrossSeveralParametersIsNamedByItsLargestEntries() {
        // Components 0 and 1 coincide (at the generating values, not at this sample's maximum), component 2 is
        // far apart. Splitting the pair, one variance up and the other down, then raises the likelihood: the
        // information has a negative eigenvalue along a direction no single diagonal entry shows, and it is
        // named by its largest entries, the two variances, with nothing of component 2.
        double[][] means = {{0, 0}, {0, 0}, {8, 8}};
        double[] variances = {1, 1, 1.5};
        GaussianMixtureModel model = GaussianMixtureModel.of(CovarianceType.SPHERICAL, new double[] {0.3, 0.3, 0.4},
                means, variances, FitSummary.notFitted());
        Matrix x = model.sample(400, 2).x();
        SingularInformationException e = assertThrows(SingularInformationException.class, () -> model.standardErrors(x));
        assertEquals(List.of("component 0's variance", "component 1's variance"),
                e.parameters().subList(0, 2).stream().sorted().toList(), e.getMessage());
        assertTrue(e.parameters().stream().noneMatch(n -> n.contains("component 2")), e.getMessage());
    }

    @Test
    void aComponentOfWeightZeroIsRefused() {
        GaussianMixtureModel model = GaussianMixtureModel.of(CovarianceType.SPHERICAL, new double[] {1, 0},
                new double[][] {{0}, {3}}, new double[] {1, 1}, FitSummary.notFitted());
        Matrix x = model.sample(50, 1).x();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.standardErrors(x));
        assertTrue(e.getMessage().contains("component 1 has weight 0"), e.getMessage());
    }
}
