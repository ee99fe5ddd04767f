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
     * Mahalanobis sum of at most 33 * 34 / 2 products, so its error is a few hundred eps32 of the
     * largest magnitude involved (about 2e-5 relative); the data are shifted by their column means
     * before the conversion, so the offset-1000 case loses nothing to the offset. The statistics
     * sum at most 3000 rows in double, each row's terms carrying a few eps32 from the float
     * responsibilities and differences: relative errors stay around 1e-6. 1e-4 leaves a margin
     * without hiding a wrong term (those show up as errors of order 1).
     */
    @Override
    protected double tolerance() {
        return 1e-4;
    }
}
