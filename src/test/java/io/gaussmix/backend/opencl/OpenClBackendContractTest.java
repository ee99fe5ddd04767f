package io.gaussmix.backend.opencl;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendContractTest;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.Precision;

/** The OpenCL backend in float32 (its default) against the naive float64 reference. */
class OpenClBackendContractTest extends BackendContractTest {
    @Override
    protected Backend openBackend() {
        return OpenClAssumptions.requireOpenCl().open(BackendOptions.DEFAULT.withPrecision(Precision.FLOAT32));
    }

    /** Float32 rows and parameters, double (or compensated) sums: see {@link #FLOAT32_DEVICE_TOLERANCE}. */
    @Override
    protected double tolerance() {
        return FLOAT32_DEVICE_TOLERANCE;
    }
}
