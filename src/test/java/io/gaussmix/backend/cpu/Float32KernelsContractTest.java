package io.gaussmix.backend.cpu;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendContractTest;
import io.gaussmix.backend.Precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract with the CPU's float32 kernels (skipped when the Vector API module is
 * absent), against the naive float64 reference, at the float32 devices' tolerance. The arithmetic it rests
 * on is theirs (x - mu formed in float64 before the rounding; products and squared norms in float32; the
 * log-sum-exp in float64), with one difference that stays inside it: the second moments are summed in
 * float32 over at most one block of 64 kept rows before they reach float64, an error of at most
 * 64 eps32 = 3.8e-6 of the largest diagonal entry (|S_aj| <= sqrt(S_aa S_jj)), about 8 eps32 = 5e-7 with
 * random signs. The diagonal and spherical types have no float32 kernels: they run in float64 and meet
 * the tolerance with room to spare.
 */
class Float32KernelsContractTest extends BackendContractTest {
    @Override
    protected Backend openBackend() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "no jdk.incubator.vector");
        CpuBackend b = new CpuBackend(0, Precision.FLOAT32);
        assertEquals(Precision.FLOAT32, b.precision());
        return b;
    }

    @Override
    protected double tolerance() {
        return FLOAT32_DEVICE_TOLERANCE;
    }
}
