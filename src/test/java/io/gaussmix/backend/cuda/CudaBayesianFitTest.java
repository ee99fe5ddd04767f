package io.gaussmix.backend.cuda;

import io.gaussmix.BackendType;
import io.gaussmix.BayesianBackendParity;
import io.gaussmix.backend.Precision;
import org.junit.jupiter.api.Test;

/**
 * The variational fit on CUDA in float32 through EM's pass against the float64 CPU fit (the
 * Dirichlet-process cases: in CI this runs on the CPU emulator, whose cost is in the kernels, not here).
 */
@RequiresCuda
class CudaBayesianFitTest {
    @Test
    void float32MatchesTheCpuFit() {
        BayesianBackendParity.check(BackendType.CUDA, Precision.FLOAT32, 1e-4, 1e-5, "dirichlet-process");
    }
}
