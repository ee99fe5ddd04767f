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

    /**
     * float64 throughout, summed in another order than the reference (tiles, then groups, then
     * chunks), and the device may contract a*b+c into fma: a few hundred eps64 (2.2e-16) over sums of
     * up to ~3000 rows and D up to 33, i.e. about 1e-13. The worst measured on PoCL is 1.1e-15;
     * 1e-12 keeps a margin.
     */
    @Override
    protected double tolerance() {
        return 1e-12;
    }
}
