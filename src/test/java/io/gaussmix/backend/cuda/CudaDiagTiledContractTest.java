package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendContractTest;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.NaiveReference;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DIAG and SPHERICAL through the tiled kernel ({@link DiagKernel#TILED}, float32), so both kernels meet
 * the contract while both are selectable; the same tolerance as {@link CudaBackendContractTest}.
 */
@RequiresCuda
class CudaDiagTiledContractTest extends BackendContractTest {
    @Override
    protected Backend openBackend() {
        if (!RequiresCuda.Condition.available()) {
            return null;   // every test is skipped with the reason (RequiresCuda)
        }
        CudaBackend b = new CudaBackend(0, Precision.FLOAT32, Long.MAX_VALUE);
        b.diagKernel = DiagKernel.TILED;
        return b;
    }

    /** Float32 rows and parameters, float64 statistics: see {@link #FLOAT32_DEVICE_TOLERANCE}. */
    @Override
    protected double tolerance() {
        return FLOAT32_DEVICE_TOLERANCE;
    }

    /**
     * The shapes the shared cases miss: K = 130 is two component tiles of 128 (the second with two
     * components), D = 70 two feature tiles of 64 and five depth slices of 16 (the last partial), 700 weighted
     * rows three statistics tiles of 256 (the last partial) and six log-density tiles of 128.
     */
    @Test
    void componentAndFeatureTilesMatchNaiveReference() {
        for (CovarianceType t : new CovarianceType[] {CovarianceType.DIAG, CovarianceType.SPHERICAL}) {
            MixtureParams p = SyntheticMixtures.randomParams(t, 130, 70, 51, 3.0, 20.0);
            Matrix x = SyntheticMixtures.sample(p, 700, 52);
            double[] w = weights(700);
            SufficientStats expected = NaiveReference.stats(p, x, w);
            SufficientStats actual;
            try (LoadedData data = backend.load(x, w)) {
                actual = backend.accumulate(data, p);
            }
            assertClose(t + " logLikelihood", new double[] {expected.logLikelihood}, new double[] {actual.logLikelihood});
            assertClose(t + " nk", expected.nk, actual.nk);
            assertClose(t + " sumDiff", expected.sumDiff, actual.sumDiff, maxAbs(expected.nk) * 3.0);
            assertClose(t + " sumSq", expected.sumSq, actual.sumSq);
        }
    }

    /**
     * Slices of the rows (the responsibility buffer's size) are whole statistics tiles, so a pass cut
     * into slices of 256 rows adds the same values in the same order as one slice: the same bits.
     */
    @Test
    void slicedPassIsTheSameBits() {
        CudaBackend cuda = (CudaBackend) backend;
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.DIAG, 9, 11, 61, 3.0, 5.0);
        Matrix x = SyntheticMixtures.sample(p, 1_300, 62);
        SufficientStats whole;
        SufficientStats sliced;
        try (LoadedData data = backend.load(x, null)) {
            whole = backend.accumulate(data, p);
            cuda.accumulator.diag.sliceRowsLimit = 256;
            try {
                sliced = backend.accumulate(data, p);
            } finally {
                cuda.accumulator.diag.sliceRowsLimit = 0;
            }
        }
        assertTrue(cuda.accumulator.diag.sliceRows(1_300, 9) >= 1_300, "one slice without the limit");
        assertEquals(whole.logLikelihood, sliced.logLikelihood, 0.0);
        assertArrayEquals(whole.nk, sliced.nk, 0.0);
        assertArrayEquals(whole.sumDiff, sliced.sumDiff, 0.0);
        assertArrayEquals(whole.sumSq, sliced.sumSq, 0.0);
        SufficientStats expected = NaiveReference.stats(p, x, null);
        assertClose("sliced sumSq", expected.sumSq, sliced.sumSq);
    }

    private static double[] weights(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = i % 11 == 0 ? 0.0 : 0.25 + (i % 5) * 0.5;   // zero weights too: they must add nothing
        }
        return w;
    }
}
