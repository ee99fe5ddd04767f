package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.Precision;
import io.gaussmix.backend.RowInformationContractTest;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.RowInformation;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The CUDA rows term of the observed information ({@code information.cuh}) against the host path (the contract
 * of {@link RowInformationContractTest}), streamed too; a float32 backend takes the host path. On the emulator
 * in the build's cuda-emulator run; skipped without a usable CUDA device.
 */
@RequiresCuda
class CudaRowInformationTest extends RowInformationContractTest {
    @Override
    protected Backend openBackend() {
        if (!RequiresCuda.Condition.available()) {
            return null;   // every test is skipped with the reason (RequiresCuda)
        }
        return new CudaProvider().open(BackendOptions.DEFAULT.withPrecision(Precision.FLOAT64));
    }

    @Test
    void streamedRowsMatchTheHostPath() {
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.TIED, 3, 5, 41, 1.5, 0.0);
        Matrix x = SyntheticMixtures.sample(p, 5000, 42);
        double[] w = positiveWeights(x.rows(), 43);
        // The reserve plus two chunks of 1024 rows plans exactly that chunk: blocks restart at every chunk
        long budget = CudaMemoryPlan.MIN_RESERVE + 2 * CudaMemoryPlan.CHUNK_ALIGN * (5 + 1) * 8;
        try (CudaBackend streamed = new CudaBackend(0, Precision.FLOAT64, budget)) {
            assertClose("streamed", p, x, w, RowInformation.onHost(p, x, w), onBackend(streamed, p, x, w));
            assertClose("streamed, no weights", p, x, null, RowInformation.onHost(p, x, null),
                    onBackend(streamed, p, x, null));
        }
    }

    @Test
    void aFloat32BackendTakesTheHostPath() {
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.SPHERICAL, 2, 3, 51, 1.5, 0.0);
        Matrix x = SyntheticMixtures.sample(p, 400, 52);
        try (CudaBackend f32 = new CudaBackend(0, Precision.FLOAT32, Long.MAX_VALUE)) {
            RowInformation device = onBackend(f32, p, x, null);
            RowInformation host = RowInformation.onHost(p, x, null);
            assertArrayEquals(host.outer(), device.outer());
            assertArrayEquals(host.score(), device.score());
        }
    }
}
