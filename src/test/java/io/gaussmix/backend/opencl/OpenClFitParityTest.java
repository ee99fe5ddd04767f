package io.gaussmix.backend.opencl;

import io.gaussmix.BackendFitParityTest;
import io.gaussmix.BackendType;
import io.gaussmix.backend.Precision;

/**
 * Whole fits on OpenCL in float32 against the float64 CPU fit. Each pass's statistics carry a relative
 * error of a few float32 ulps (~1e-7, measured worst 2.6e-7 in the contract suite); 15 EM iterations
 * from the same start propagate it without amplification on these well-separated datasets, so the
 * score must agree to 1e-5 relative and the parameters to 1e-4 of their scale (the bounds).
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

    @Override
    protected double scoreTolerance() {
        return 1e-5;
    }

    @Override
    protected double parameterTolerance() {
        return 1e-4;
    }

    /** See {@link BackendFitParityTest#assertIllConditionedFitIsPromotedToFloat64}. */
    @org.junit.jupiter.api.Test
    void illConditionedFitIsPromotedToFloat64() {
        assertIllConditionedFitIsPromotedToFloat64();
    }
}
