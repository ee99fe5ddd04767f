package io.gaussmix.backend.opencl;

import io.gaussmix.BackendType;
import io.gaussmix.OnlineBackendParity;

/** Online EM on OpenCL (PoCL here) against the CPU; see {@link OnlineBackendParity} for the bounds. */
class OpenClOnlineFitTest extends OnlineBackendParity {
    @Override
    protected BackendType backend() {
        return BackendType.OPENCL;
    }

    @Override
    protected void requireBackend() {
        OpenClAssumptions.requireOpenCl();
    }

    @Override
    protected void requireFloat64() {
        OpenClAssumptions.requireFp64();
    }
}
