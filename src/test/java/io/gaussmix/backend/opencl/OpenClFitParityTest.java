package io.gaussmix.backend.opencl;

import io.gaussmix.BackendFitParityTest;
import io.gaussmix.BackendType;
import io.gaussmix.backend.Precision;

/**
 * Whole fits on OpenCL in float32 against the float64 CPU fit, at the float32 bounds of
 * {@link BackendFitParityTest#scoreTolerance} (1e-5 relative on the score, 1e-4 of scale on parameters).
 */
class OpenClFitParityTest extends BackendFitParityTest {
    @Override
    protected BackendType backend() {
        return BackendType.OPENCL;
    }

    @Override
    protected Precision precision() {
        return Precision.FLOAT32;
    }

    @Override
    protected void requireBackend() {
        OpenClAssumptions.requireOpenCl();
    }

    /** See {@link BackendFitParityTest#assertIllConditionedFitIsPromotedToFloat64}. */
    @org.junit.jupiter.api.Test
    void illConditionedFitIsPromotedToFloat64() {
        assertIllConditionedFitIsPromotedToFloat64();
    }
}
