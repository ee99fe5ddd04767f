package io.gaussmix.backend.cuda;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendContractTest;
import io.gaussmix.backend.Precision;

/**
 * FULL and TIED through the simple kernels (which production uses only when K is too large for the
 * tiled kernel's shared memory), so both code paths meet the contract. Float32, same tolerance as
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

    /** See {@link CudaBackendContractTest#tolerance()}: float32 inputs, float64 statistics. */
    @Override
    protected double tolerance() {
        return 1e-4;
    }
}
