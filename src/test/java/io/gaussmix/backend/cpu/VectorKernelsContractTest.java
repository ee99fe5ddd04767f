package io.gaussmix.backend.cpu;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendContractTest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The contract with the Vector API kernels forced (skipped when the module is absent). */
class VectorKernelsContractTest extends BackendContractTest {
    @Override
    protected Backend openBackend() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "no jdk.incubator.vector");
        return new CpuBackend(0, true);
    }

    @Override
    protected double tolerance() {
        return 1e-11;
    }
}
