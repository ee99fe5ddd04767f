package io.gaussmix.backend.opencl;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendContractTest;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.Precision;

/** The OpenCL backend in float64 (devices with cl_khr_fp64) against the naive float64 reference. */
class OpenClBackendFloat64ContractTest extends BackendContractTest {
    @Override
    protected Backend openBackend() {
        OpenClAssumptions.requireFp64();
        return OpenClAssumptions.requireOpenCl().open(BackendOptions.DEFAULT.withPrecision(Precision.FLOAT64));
    }

    /** See {@link #FLOAT64_DEVICE_TOLERANCE}. */
    @Override
    protected double tolerance() {
        return FLOAT64_DEVICE_TOLERANCE;
    }
}
