package io.gaussmix.backend.cuda;

import io.gaussmix.BackendFitParityTest;
import io.gaussmix.BackendType;
import io.gaussmix.backend.Availability;
import io.gaussmix.backend.Precision;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;

/**
 * Whole fits on CUDA in float32 against the float64 CPU fit, with the bounds the OpenCL float32 suite
 * uses (1e-5 relative on the score, 1e-4 of scale on parameters); skipped without a usable GPU.
 */
@Tag("gpu")
class CudaFitParityTest extends BackendFitParityTest {
    @Override
    protected BackendType backend() {
        return BackendType.CUDA;
    }

    @Override
    protected Precision precision() {
        return Precision.FLOAT32;
    }

    @Override
    protected void requireBackend() {
        Availability a = new CudaProvider().availability();
        Assumptions.assumeTrue(a.available(), () -> "CUDA unavailable: " + a.reason());
    }

    @Override
    protected double scoreTolerance() {
        return 1e-5;
    }

    @Override
    protected double parameterTolerance() {
        return 1e-4;
    }
}
