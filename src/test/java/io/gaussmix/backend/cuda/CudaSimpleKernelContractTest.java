package io.gaussmix.backend.cuda;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendContractTest;
import io.gaussmix.backend.Precision;

/**
 * FULL and TIED through the simple kernels (which production uses only when K is too large for the
 * tiled kernel's shared memory), so both code paths meet the contract. Float32, the same tolerance as
 * {@link CudaBackendContractTest}.
 */
@RequiresCuda
class CudaSimpleKernelContractTest extends BackendContractTest {
    @Override
    protected Backend openBackend() {
        if (!RequiresCuda.Condition.available()) {
            return null;   // every test is skipped with the reason (RequiresCuda)
        }
        CudaBackend b = new CudaBackend(0, Precision.FLOAT32, Long.MAX_VALUE);
        b.simpleKernelsOnly = true;
        return b;
    }

    /** The same arithmetic as the tiled kernel: see {@link #FLOAT32_DEVICE_TOLERANCE}. */
    @Override
    protected double tolerance() {
        return FLOAT32_DEVICE_TOLERANCE;
    }
}
