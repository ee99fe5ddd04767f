package io.gaussmix.backend.cpu;

import io.gaussmix.BackendFitParityTest;
import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.testing.ReferenceCases;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Whole fits with {@code --precision float32} on the CPU against the float64 CPU fit, at the devices'
 * float32 bounds ({@link BackendFitParityTest#scoreTolerance}; the per-pass error is measured in
 * Float32KernelsContractTest).
 */
class CpuFloat32FitParityTest extends BackendFitParityTest {
    @Override
    protected BackendType backend() {
        return BackendType.CPU;
    }

    @Override
    protected Precision precision() {
        return Precision.FLOAT32;
    }

    @Override
    protected void requireBackend() {
        assumeTrue(CpuBackend.VECTOR_DEFAULT, "float32 on the CPU needs the jdk.incubator.vector module");
    }

    @Test
    void illConditionedFitIsPromotedToFloat64() {
        assertIllConditionedFitIsPromotedToFloat64();
    }

    /** The float32 kernels ran (the full fits' summary says so), not the float64 ones under another name. */
    @Test
    void fullFitsSayFloat32() {
        for (com.fasterxml.jackson.databind.JsonNode c : ReferenceCases.cases()) {
            if (CovarianceType.parse(c.get("covarianceType").asText()) == CovarianceType.FULL) {
                Matrix x = ReferenceCases.dataset(c.get("data").asText());
                String backend = estimator(c, BackendType.CPU, Precision.FLOAT32).fit(x).summary().backend();
                assertTrue(backend.startsWith("cpu (float32"), backend);
                return;
            }
        }
        throw new AssertionError("no full-covariance reference case");
    }
}
