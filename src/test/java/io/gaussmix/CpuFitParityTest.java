package io.gaussmix;

import io.gaussmix.backend.Precision;

/** The CPU backend against itself is trivially exact; this subclass pins the suite's float64 baseline. */
class CpuFitParityTest extends BackendFitParityTest {
    @Override
    protected BackendType backend() {
        return BackendType.CPU;
    }

    @Override
    protected Precision precision() {
        return null;
    }

    @Override
    protected void requireBackend() {
    }

    /** scikit-learn parity is 1e-9 (SklearnParityTest); against itself the CPU is exact. */
    @Override
    protected double scoreTolerance() {
        return 1e-9;
    }

    @Override
    protected double parameterTolerance() {
        return 1e-12;
    }
}
