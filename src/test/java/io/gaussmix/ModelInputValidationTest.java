package io.gaussmix;

import io.gaussmix.data.Matrix;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #11 (6, 7, 9) through the API: {@link GaussianMixtureModel#of} and the model's data checks. */
class ModelInputValidationTest {
    private static GaussianMixtureModel diag(double... weights) {
        return GaussianMixtureModel.of(CovarianceType.DIAG, weights, new double[][] {{0, 0}, {5, 5}},
                new double[] {1, 1, 2, 2}, FitSummary.notFitted());
    }

    private static String fails(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void asymmetricCovarianceNamesComponentAndEntry() {
        String m = fails(() -> GaussianMixtureModel.of(CovarianceType.FULL, new double[] {0.5, 0.5},
                new double[][] {{0, 0, 0}, {1, 1, 1}},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1, /* component 1: */ 1, 0, 0, 0, 1, 0.2, 0, 0.3, 1},
                FitSummary.notFitted()));
        assertTrue(m.startsWith("the covariance of component 1 is not symmetric: [1][2] = 0.2 but [2][1] = 0.3"), m);
        // A difference of rounding size, relative to sqrt(a_ii a_jj), is accepted and kept as given.
        double[] cov = {9e-20, 1e-20 * (1 + 1e-13), 1e-20, 4e-20};
        GaussianMixtureModel ok = GaussianMixtureModel.of(CovarianceType.TIED, new double[] {1}, new double[][] {{0, 0}},
                cov, FitSummary.notFitted());
        assertArrayEquals(cov, ok.covariances(), 0.0);
    }

    @Test
    void weightsThatOverflowTheirSumAreStillNormalised() {
        GaussianMixtureModel big = diag(1e308, 1e308);
        assertArrayEquals(new double[] {0.5, 0.5}, big.weights(), 0.0);
        Matrix x = Matrix.wrap(new double[] {0, 0, 5, 5, 1, -1}, 3, 2);
        assertEquals(diag(0.5, 0.5).score(x), big.score(x), 0.0);
        assertArrayEquals(diag(1, 3).weights(), diag(Double.MAX_VALUE / 3, Double.MAX_VALUE).weights(), 4 * Math.ulp(1.0));
        assertTrue(fails(() -> diag(-1, 2)).contains("weight 0 (0-based) is -1.0"));
        assertTrue(fails(() -> diag(Double.NaN, 1)).contains("finite"));
        assertTrue(fails(() -> diag(0, 0)).contains("positive sum"));
    }

    @Test
    void valuesWhoseSquareOverflowsAreRefusedByEveryScoringMethod() {
        GaussianMixtureModel m = diag(0.5, 0.5);
        Matrix x = Matrix.wrap(new double[] {1, 2, 1e308, 1e308, 3, 4}, 3, 2);
        for (Runnable r : new Runnable[] {() -> m.score(x), () -> m.predict(x), () -> m.predictProba(x), () -> m.impute(x),
                () -> m.scoreSamples(x), () -> m.imputeWithResponsibilities(x)}) {
            String msg = fails(r);
            assertTrue(msg.startsWith("data row 1, column 0 (0-based) is 1.0E308: too large to score"), msg);
        }
        // The limit itself is accepted: its square is finite.
        Matrix edge = Matrix.wrap(new double[] {Math.sqrt(Double.MAX_VALUE), 0}, 1, 2);
        assertEquals(1, m.predict(edge).length);
    }
}
