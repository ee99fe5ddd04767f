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

    /**
     * float32 rounds each operation by eps32 = 6e-8. A log density is a constant minus half a
     * Mahalanobis sum of at most 33 * 34 / 2 products, so its error is some tens of eps32 relative to
     * the largest magnitude involved; the rows are shifted by their column means before the
     * conversion, so the offset-1000 case loses nothing to the offset. The statistics add at most
     * 3000 rows in double, each row's terms carrying a few eps32 from the float responsibilities and
     * differences (exp and log may be 3 ulp on a device): relative errors around 1e-6 at most. The
     * worst measured on PoCL is 2.6e-7; 1e-5 leaves a margin for GPUs' exp/log without hiding a
     * wrong term (those give errors of order 1).
     */
    @Override
    protected double tolerance() {
        return 1e-5;
    }
}
