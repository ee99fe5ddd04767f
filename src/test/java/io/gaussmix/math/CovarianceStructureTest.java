package io.gaussmix.math;

import io.gaussmix.CovarianceType;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-type layout and math against closed forms and scikit-learn's shapes and parameter counts. */
class CovarianceStructureTest {

    /** scikit-learn's covariances_ sizes and _n_parameters' covariance counts, written out per type. */
    @Test
    void lengthsAndParameterCountsAreScikitLearns() {
        int k = 5;
        int d = 7;
        assertEquals(k * d * d, CovarianceStructure.FULL.length(k, d));
        assertEquals(d * d, CovarianceStructure.TIED.length(k, d));
        assertEquals(k * d, CovarianceStructure.DIAG.length(k, d));
        assertEquals(k, CovarianceStructure.SPHERICAL.length(k, d));
        assertEquals(k * d * (d + 1) / 2, CovarianceStructure.FULL.freeParameters(k, d));
        assertEquals(d * (d + 1) / 2, CovarianceStructure.TIED.freeParameters(k, d));
        assertEquals(k * d, CovarianceStructure.DIAG.freeParameters(k, d));
        assertEquals(k, CovarianceStructure.SPHERICAL.freeParameters(k, d));
    }

    /** The API's enum and the math's structure name the same four types, in the same order. */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void theApiEnumDelegatesToItsStructure(CovarianceType t) {
        assertEquals(t.name(), t.structure().name());
        assertSame(t, CovarianceType.of(t));
        MixtureParams p = SyntheticMixtures.randomParams(t, 3, 4, 5, 2.0, 0.0);
        assertSame(t, p.type(), "params keep the API's constant");
        assertEquals(t.covarianceLength(3, 4), t.structure().length(3, 4));
    }

    /**
     * Every entry of the dense view, and the precision factor: U_c^T Sigma_c U_c = I for each component
     * (precision = U U^T), and its log-determinant term is sum log diag U.
     */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void denseEntriesAndPrecisionFactorsAgree(CovarianceType t) {
        int k = 3;
        int d = 4;
        MixtureParams p = SyntheticMixtures.randomParams(t, k, d, 9, 2.0, 0.0);
        CovarianceStructure s = t.structure();
        for (int c = 0; c < k; c++) {
            double[][] sigma = new double[d][d];
            double[][] u = new double[d][d];
            double logDiag = 0;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    sigma[i][j] = s.entry(p.covariances(), c, d, i, j);
                    u[i][j] = s.entry(p.precisionCholesky(), c, d, i, j);
                }
                logDiag += Math.log(u[i][i]);
            }
            assertEquals(logDiag, p.logDetPrecChol()[c], 1e-12, t + " component " + c + ": log det");
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double v = 0;
                    for (int i = 0; i < d; i++) {
                        for (int j = 0; j < d; j++) {
                            v += u[i][a] * sigma[i][j] * u[j][b];
                        }
                    }
                    assertEquals(a == b ? 1 : 0, v, 1e-12, t + " component " + c + ": (U^T S U)[" + a + "][" + b + "]");
                }
            }
        }
    }

    /** ||diag(s) U||_F^2 is the sum over the dense factor's entries of (s_i U_ij)^2. */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void rowScaledNormIsTheDenseSum(CovarianceType t) {
        int d = 3;
        MixtureParams p = SyntheticMixtures.randomParams(t, 2, d, 13, 2.0, 0.0);
        double[] s2 = {4, 0.25, 9};
        for (int c = 0; c < 2; c++) {
            double dense = 0;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double u = t.structure().entry(p.precisionCholesky(), c, d, i, j);
                    dense += s2[i] * u * u;
                }
            }
            double got = t.structure().rowScaledNormSquared(p.precisionCholesky(), c, d, s2);
            assertEquals(dense, got, 1e-13 * dense, t + " component " + c);
        }
    }

    /** The identity and the diagonal ridge touch the diagonal only; a non-positive variance does not factor. */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void identityRidgeAndFailureToFactor(CovarianceType t) {
        int k = 2;
        int d = 3;
        CovarianceStructure s = t.structure();
        double[] v = s.identity(k, d);
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    assertEquals(i == j ? 1 : 0, s.entry(v, c, d, i, j), 0.0);
                }
            }
        }
        s.addToDiagonal(v, s.offset(k - 1, d), d, 0.5);
        assertEquals(1.5, s.entry(v, k - 1, d, d - 1, d - 1), 0.0);
        assertEquals(1.5, s.meanDiagonalMagnitude(v, s.offset(k - 1, d), d), 1e-15);
        s.addToDiagonal(v, s.offset(k - 1, d), d, -3);
        double[] out = new double[s.blockLength(d)];
        assertTrue(Double.isNaN(s.factor(v, s.offset(k - 1, d), d, out, 0)), "a negative diagonal must not factor");
    }
}
