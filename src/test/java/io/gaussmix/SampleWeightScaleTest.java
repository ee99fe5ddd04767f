package io.gaussmix;

import io.gaussmix.data.Matrix;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fit depends on the sample weights' ratios only: multiplying every weight by the same positive
 * constant, anywhere in the double range, gives the same model (issue #11.8).
 */
class SampleWeightScaleTest {
    static final double[] SCALES = {1e-300, 1e-200, 1e-100, 1e-15, 1e-14, 1e-3, 7.0, 1e15, 1e100, 1e200, 1e300};

    static GaussianMixture.Builder cpu(CovarianceType type) {
        return GaussianMixture.builder().backend(BackendType.CPU).k(3).covarianceType(type).seed(4);
    }

    static double[] weights(int n) {
        Random rnd = new Random(12);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.25 + rnd.nextDouble() * 3;
        }
        return w;
    }

    static double[] scaled(double[] w, double c) {
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i] * c;
        }
        return out;
    }

    /**
     * Every scale gives the model of the unscaled weights: the same iterations and interventions, and
     * parameters equal up to the rounding of w * c (1 ulp per weight, a few ulps after EM). One
     * initialisation: with several, two restarts that reach the same optimum tie to within those ulps,
     * and which one is kept (the component order) is a coin toss.
     */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void scalingAllWeightsChangesNothing(CovarianceType type) {
        Matrix x = SyntheticMixtures.sample(SyntheticMixtures.randomParams(type, 3, 2, 31, 4.0, 0.0), 600, 32);
        double[] w = weights(x.rows());
        GaussianMixtureModel ref = cpu(type).build().fit(x, w);
        for (double c : SCALES) {
            GaussianMixtureModel m = cpu(type).build().fit(x, scaled(w, c));
            String what = type + " scale " + c;
            assertEquals(ref.summary().iterations(), m.summary().iterations(), what + ": iterations");
            assertEquals(ref.summary().interventions().size(), m.summary().interventions().size(), what + ": interventions");
            assertEquals(ref.summary().lowerBound(), m.summary().lowerBound(), 1e-12 * Math.abs(ref.summary().lowerBound()), what);
            assertClose(ref.weights(), m.weights(), what + ": weights");
            assertClose(Matrix.of(ref.means()).data(), Matrix.of(m.means()).data(), what + ": means");
            assertClose(ref.covariances(), m.covariances(), what + ": covariances");
        }
    }

    /** The missing-data EM too: rows with every value missing do not count in the weight unit. */
    @Test
    void scalingAllWeightsChangesNothingWithMissingValues() {
        Matrix x = SyntheticMixtures.sample(SyntheticMixtures.randomParams(CovarianceType.FULL, 2, 3, 71, 4.0, 0.0), 500, 72);
        double[] v = x.data().clone();
        Random rnd = new Random(73);
        for (int r = 1; r < x.rows(); r++) {
            if (rnd.nextDouble() < 0.3) {
                v[r * 3 + rnd.nextInt(3)] = Double.NaN;     // one missing value in 30% of the rows
            }
        }
        Arrays.fill(v, 0, 3, Double.NaN);        // row 0: every value missing
        Matrix holes = Matrix.wrap(v, x.rows(), x.cols());
        double[] w = weights(x.rows());
        w[0] = 1e6;                              // a heavy excluded row
        GaussianMixture.Builder em = cpu(CovarianceType.FULL).k(2).missing(MissingPolicy.EM);
        GaussianMixtureModel ref = em.build().fit(holes, w);
        assertEquals(1, ref.summary().rowsAllMissing());
        for (double c : new double[] {1e-300, 1e-15, 1e300}) {
            GaussianMixtureModel m = em.build().fit(holes, scaled(w, c));
            assertEquals(ref.summary().iterations(), m.summary().iterations(), "scale " + c);
            assertEquals(ref.summary().lowerBound(), m.summary().lowerBound(), 1e-12 * Math.abs(ref.summary().lowerBound()));
            assertClose(ref.covariances(), m.covariances(), "scale " + c + ": covariances");
        }
    }

    /** Tiny equal weights fit as unit weights do: no re-seeds, the true lower bound (issue: -1.5e8 at 1e-14). */
    @Test
    void tinyEqualWeightsFitAsUnitWeights() {
        Matrix x = SyntheticMixtures.sample(SyntheticMixtures.randomParams(CovarianceType.FULL, 2, 2, 41, 4.0, 0.0), 200, 42);
        GaussianMixtureModel unit = cpu(CovarianceType.FULL).k(2).build().fit(x);
        for (double c : new double[] {1e-15, 1e-14, 1e-300}) {
            double[] w = new double[x.rows()];
            Arrays.fill(w, c);
            GaussianMixtureModel m = cpu(CovarianceType.FULL).k(2).build().fit(x, w);
            assertTrue(m.summary().interventions().isEmpty(), c + ": " + m.summary().interventions());
            assertEquals(unit.summary().lowerBound(), m.summary().lowerBound(), 1e-12 * Math.abs(unit.summary().lowerBound()));
            assertClose(unit.covariances(), m.covariances(), c + ": covariances");
        }
    }

    /** Weights of 1e308, whose sum overflows, are just weights: the fit is that of unit weights. */
    @Test
    void weightsWhoseSumOverflowsFitAsUnitWeights() {
        Matrix x = SyntheticMixtures.sample(SyntheticMixtures.randomParams(CovarianceType.DIAG, 2, 2, 51, 4.0, 0.0), 300, 52);
        double[] w = new double[x.rows()];
        Arrays.fill(w, 1e308);
        GaussianMixtureModel unit = cpu(CovarianceType.DIAG).k(2).build().fit(x);
        GaussianMixtureModel huge = cpu(CovarianceType.DIAG).k(2).build().fit(x, w);
        assertTrue(Double.isFinite(huge.summary().lowerBound()));
        assertEquals(unit.summary().lowerBound(), huge.summary().lowerBound(), 1e-12 * Math.abs(unit.summary().lowerBound()));
        assertClose(unit.covariances(), huge.covariances(), "covariances");
        assertFalse(huge.summary().interventions().stream().anyMatch(i -> i.kind() == Intervention.Kind.RESEEDED));
    }

    /** k larger than the number of rows with a positive weight is an error naming both counts. */
    @Test
    void kAboveTheRowsWithPositiveWeightIsAnError() {
        Matrix x = SyntheticMixtures.sample(SyntheticMixtures.randomParams(CovarianceType.FULL, 2, 2, 61, 4.0, 0.0), 50, 62);
        double[] w = new double[x.rows()];
        w[3] = 1;
        w[7] = 2;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cpu(CovarianceType.FULL).build().fit(x, w));
        assertTrue(e.getMessage().contains("2 of them with a positive sample weight"), e.getMessage());
        assertTrue(e.getMessage().contains("k = 3"), e.getMessage());
        // k equal to the number of such rows is allowed.
        assertEquals(2, cpu(CovarianceType.FULL).k(2).nInit(1).build().fit(x, w).components());
    }

    static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-10 * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
        }
    }
}
