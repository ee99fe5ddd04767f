package io.gaussmix.em;

import io.gaussmix.CovarianceType;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The guard's error model, on cases whose value follows by hand. */
class Float32GuardTest {
    static final double EPS32 = Math.ulp(1.0f);

    @Test
    void columnRangeIsTheLargestDistanceFromTheColumnMean() {
        Matrix x = Matrix.wrap(new double[] {0, 10, 2, 10, 4, 13}, 3, 2);   // means 2 and 11
        assertArrayEquals(new double[] {2, 2}, Float32Guard.columnRange(x), 1e-15);
    }

    /** DIAG: e = eps32 sqrt(D) max_k sqrt(sum_i X_i^2 / var_ki). */
    @Test
    void diagonalErrorFollowsTheVariances() {
        double[] range = {3, 4};
        MixtureParams p = MixtureParams.of(CovarianceType.DIAG, new double[] {1, 1}, new double[4],
                new double[] {1, 1, 1e-6, 4}, 2);
        double expected = EPS32 * Math.sqrt(2) * Math.sqrt(9 / 1e-6 + 16 / 4.0);
        assertEquals(expected, Float32Guard.predictedError(p, range), 1e-12 * expected);
    }

    /** FULL with a diagonal covariance must agree with DIAG; the triangle of U is what counts. */
    @Test
    void fullAgreesWithDiagonalOnADiagonalCovariance() {
        double[] range = {3, 4};
        MixtureParams full = MixtureParams.of(CovarianceType.FULL, new double[] {1}, new double[2],
                new double[] {2, 0, 0, 5}, 2);
        MixtureParams diag = MixtureParams.of(CovarianceType.DIAG, new double[] {1}, new double[2],
                new double[] {2, 5}, 2);
        assertEquals(Float32Guard.predictedError(diag, range), Float32Guard.predictedError(full, range), 1e-15);
    }

    /** A unit-scale, unit-variance component is far below the limit; a variance of 1e-6 against a range of 16 is far above. */
    @Test
    void limitSeparatesWellAndIllConditionedComponents() {
        double[] range = {16, 16, 16};
        MixtureParams good = MixtureParams.of(CovarianceType.SPHERICAL, new double[] {1}, new double[3],
                new double[] {1}, 3);
        MixtureParams bad = MixtureParams.of(CovarianceType.DIAG, new double[] {1}, new double[3],
                new double[] {1, 1, 1e-6}, 3);
        double g = Float32Guard.predictedError(good, range);
        double b = Float32Guard.predictedError(bad, range);
        org.junit.jupiter.api.Assertions.assertTrue(g < Float32Guard.LIMIT / 10, "well-conditioned: " + g);
        org.junit.jupiter.api.Assertions.assertTrue(b > Float32Guard.LIMIT * 10, "ill-conditioned: " + b);
    }
}
