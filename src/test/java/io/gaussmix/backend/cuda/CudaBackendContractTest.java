package io.gaussmix.backend.cuda;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendContractTest;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.Precision;

/** The CUDA backend in float32 against the naive float64 reference; skipped without a usable GPU. */
@RequiresCuda
class CudaBackendContractTest extends BackendContractTest {
    @Override
    protected Backend openBackend() {
        if (!RequiresCuda.Condition.available()) {
            return null;   // every test is skipped with the reason (RequiresCuda)
        }
        return new CudaProvider().open(BackendOptions.DEFAULT.withPrecision(Precision.FLOAT32));
    }

    /** Float32 rows and parameters, float64 statistics: see {@link #FLOAT32_DEVICE_TOLERANCE}. */
    @Override
    protected double tolerance() {
        return FLOAT32_DEVICE_TOLERANCE;
    }
}
