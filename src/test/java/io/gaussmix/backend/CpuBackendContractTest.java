package io.gaussmix.backend;

import io.gaussmix.backend.cpu.CpuBackend;

/** The CPU backend against the naive float64 reference: both are float64, so only rounding separates them. */
class CpuBackendContractTest extends BackendContractTest {
    @Override
    protected Backend openBackend() {
        return new CpuBackend(0);
    }

    /** Sums of up to ~3000 float64 terms in a different order: a few hundred ulps at most. */
    @Override
    protected double tolerance() {
        return 1e-11;
    }
}
