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

/**
 * FULL and TIED through the second tiled kernel ({@link TiledKernel#V2}, float32), so both variants
 * meet the contract while they are both selectable; the same tolerance as {@link CudaBackendContractTest}.
 */
@RequiresCuda
class CudaTiled2ContractTest extends BackendContractTest {
    @Override
    protected Backend openBackend() {
        if (!RequiresCuda.Condition.available()) {
            return null;   // every test is skipped with the reason (RequiresCuda)
        }
        CudaBackend b = new CudaBackend(0, Precision.FLOAT32, Long.MAX_VALUE);
        b.tiledKernel = variant();
        return b;
    }

    /** The tiled kernel under test. */
    protected TiledKernel variant() {
        return TiledKernel.V2;
    }

    /** Float32 rows and parameters, float64 statistics: see {@link #FLOAT32_DEVICE_TOLERANCE}. */
    @Override
    protected double tolerance() {
        return FLOAT32_DEVICE_TOLERANCE;
    }

    /**
     * The shapes the shared cases miss: K = 21 spans six groups of four components in phase A (the
     * last partial) and two groups of sixteen in phase C; D = 40 two diagonal blocks, the second
     * partial; 600 rows three super-tiles of 256, the last partial.
     */
    @Test
    void componentGroupsAndPartialBlocksMatchNaiveReference() {
        for (CovarianceType t : new CovarianceType[] {CovarianceType.FULL, CovarianceType.TIED}) {
            MixtureParams p = SyntheticMixtures.randomParams(t, 21, 40, 41, 3.0, 0.0);
            Matrix x = SyntheticMixtures.sample(p, 600, 42);
            SufficientStats expected = NaiveReference.stats(p, x, null);
            SufficientStats actual;
            try (LoadedData data = backend.load(x, null)) {
                actual = backend.accumulate(data, p);
            }
            assertClose(t + " logLikelihood", new double[] {expected.logLikelihood}, new double[] {actual.logLikelihood});
            assertClose(t + " nk", expected.nk, actual.nk);
            assertClose(t + " sumDiff", expected.sumDiff, actual.sumDiff, maxAbs(expected.nk) * 3.0);
            assertClose(t + " sumSq", expected.sumSq, actual.sumSq);
        }
    }
}
