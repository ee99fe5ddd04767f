package io.gaussmix.backend.cuda;

import io.gaussmix.BackendType;
import io.gaussmix.OnlineBackendParity;

/** Online EM on CUDA (the emulator in the build) against the CPU; see {@link OnlineBackendParity}. */
@RequiresCuda
class CudaOnlineFitTest extends OnlineBackendParity {
    @Override
    protected BackendType backend() {
        return BackendType.CUDA;
    }

    @Override
    protected void requireBackend() {
        // Each test is skipped with the reason where CUDA is unavailable (RequiresCuda).
    }

    @Override
    protected void requireFloat64() {
        // CUDA devices (and the emulator) have float64.
    }
}
