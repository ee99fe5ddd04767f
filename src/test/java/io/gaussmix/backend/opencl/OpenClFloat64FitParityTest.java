package io.gaussmix.backend.opencl;

import io.gaussmix.BackendFitParityTest;
import io.gaussmix.BackendType;
import io.gaussmix.backend.Precision;

/** Whole fits on OpenCL in float64: the same arithmetic as the CPU up to summation order (~1e-15 per pass). */
class OpenClFloat64FitParityTest extends BackendFitParityTest {
    @Override
    protected BackendType backend() {
        return BackendType.OPENCL;
    }

    @Override
    protected Precision precision() {
        return Precision.FLOAT64;
    }

    @Override
    protected void requireBackend() {
        OpenClAssumptions.requireFp64();
    }
}
