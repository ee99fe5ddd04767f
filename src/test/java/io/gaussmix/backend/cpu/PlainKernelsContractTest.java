package io.gaussmix.backend.cpu;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendContractTest;

/**
 * The contract again with the plain-Java kernels forced, since the default test JVM has the Vector
 * API module and would otherwise only exercise {@link VectorTriangular}.
 */
class PlainKernelsContractTest extends BackendContractTest {
    @Override
    protected Backend openBackend() {
        return new CpuBackend(0, false);
    }

    @Override
    protected double tolerance() {
        return 1e-11;
    }
}
