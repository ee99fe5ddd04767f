package io.gaussmix.backend.opencl;

import io.gaussmix.BackendType;
import io.gaussmix.BayesianBackendParity;
import io.gaussmix.backend.Precision;
import org.junit.jupiter.api.Test;

/** The variational fit on OpenCL through EM's pass: float32 and float64 against the float64 CPU fit. */
class OpenClBayesianFitTest {
    @Test
    void float32MatchesTheCpuFit() {
        OpenClAssumptions.requireOpenCl();
        BayesianBackendParity.check(BackendType.OPENCL, Precision.FLOAT32, 1e-4, 1e-5, null);
    }

    @Test
    void float64MatchesTheCpuFit() {
        OpenClAssumptions.requireFp64();
        BayesianBackendParity.check(BackendType.OPENCL, Precision.FLOAT64, 1e-9, 1e-9, null);
    }
}
