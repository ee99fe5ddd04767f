package io.gaussmix.backend.cuda;

import io.gaussmix.BackendFitParityTest;
import io.gaussmix.BackendType;
import io.gaussmix.backend.Precision;

/**
 * Whole fits on CUDA in float32 against the float64 CPU fit, at the float32 bounds of
 * {@link BackendFitParityTest#scoreTolerance}; skipped without a usable GPU.
 */
@RequiresCuda
class CudaFitParityTest extends BackendFitParityTest {
    @Override
    protected BackendType backend() {
        return BackendType.CUDA;
    }

    @Override
    protected Precision precision() {
        return Precision.FLOAT32;
    }

    @Override
    protected void requireBackend() {
        // Each test is skipped with the reason where CUDA is unavailable (RequiresCuda).
    }
}
