package io.gaussmix;

import io.gaussmix.data.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input gets an IllegalArgumentException whose message says what is wrong and where. */
class BadInputTest {
    static final Matrix X = Matrix.wrap(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 6, 2);

    static void fails(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) {
            assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' lacks '" + f + "'");
        }
    }

    static GaussianMixture.Builder cpu() {
        return GaussianMixture.builder().backend(BackendType.CPU);
    }

    @Test
    void nonFiniteValuesNameTheirPlace() {
        double[] d = X.data().clone();
        d[5] = Double.NaN;
        fails(() -> cpu().k(2).build().fit(Matrix.wrap(d, 6, 2)), "row 2", "column 1", "NaN");
        d[5] = Double.POSITIVE_INFINITY;
        fails(() -> cpu().k(2).build().fit(Matrix.wrap(d, 6, 2)), "row 2", "Infinity");
    }

    @Test
    void unequalRows() {
        fails(() -> Matrix.of(new double[][] {{1, 2}, {3}}), "row 1", "1 values", "row 0 has 2");
    }

    @Test
    void badSettings() {
        fails(() -> cpu().k(0), "k must be >= 1");
        fails(() -> cpu().tol(-1), "tol");
        fails(() -> cpu().regCovar(Double.NaN), "regCovar");
        fails(() -> cpu().maxIter(-1), "maxIter");
        fails(() -> cpu().nInit(0), "nInit");
        fails(() -> cpu().k(7).build().fit(X), "6 rows", "k = 7");
    }

    /** A front end names its own option from the exception, never by parsing the message. */
    @Test
    void aBadSettingIsNamedByTheException() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> cpu().maxIter(-1));
        org.junit.jupiter.api.Assertions.assertEquals("maxIter", e.setting());
        org.junit.jupiter.api.Assertions.assertEquals("maxIter must be >= 0, got -1", e.getMessage());
        org.junit.jupiter.api.Assertions.assertEquals("--max-iter must be >= 0, got -1", e.messageNaming("--max-iter"));
        org.junit.jupiter.api.Assertions.assertEquals("regCovar",
                assertThrows(InvalidSettingException.class, () -> cpu().regCovar(-1)).setting());
        org.junit.jupiter.api.Assertions.assertEquals("nInit",
                assertThrows(InvalidSettingException.class, () -> cpu().nInit(0)).setting());
    }

    @Test
    void modelAndDataDimensionsMustAgree() {
        GaussianMixtureModel m = cpu().k(2).build().fit(X);
        Matrix threeCols = Matrix.wrap(new double[9], 3, 3);
        fails(() -> m.score(threeCols), "3 columns", "2 dimensions");
        fails(() -> m.predict(threeCols), "3 columns");
        fails(() -> cpu().initialModel(m).build().fit(threeCols), "2 dimensions", "3 columns");
        fails(() -> cpu().initialModel(m).k(3).build().fit(X), "2 components", "k = 3");
    }

    @Test
    void badSampleWeights() {
        fails(() -> cpu().k(2).build().fit(X, new double[] {1, 1}), "2 sample weights for 6 rows");
        fails(() -> cpu().k(2).build().fit(X, new double[] {1, 1, -1, 1, 1, 1}), "row 2", ">= 0");
        fails(() -> cpu().k(2).build().fit(X, new double[6]), "sum to 0");
    }

    @Test
    void componentIndexOutOfRangeGetsTheApisMessage() {
        GaussianMixtureModel m = cpu().k(2).build().fit(X);
        fails(() -> m.covariance(-1), "component -1 does not exist", "2 components");
        fails(() -> m.covariance(2), "component 2 does not exist");
        fails(() -> m.precisionCholesky(-1), "component -1 does not exist");
    }

    @Test
    void badModelParameters() {
        fails(() -> GaussianMixtureModel.of(CovarianceType.FULL, new double[] {1}, new double[][] {{0, 0}},
                new double[] {1, 2, 2, 1}, FitSummary.notFitted()), "not positive definite");
        fails(() -> GaussianMixtureModel.of(CovarianceType.DIAG, new double[] {1}, new double[][] {{0, 0}},
                new double[] {1}, FitSummary.notFitted()), "covariances hold 1 values, expected 2");
    }
}
