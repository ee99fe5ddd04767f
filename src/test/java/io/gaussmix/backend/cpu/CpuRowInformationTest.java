package io.gaussmix.backend.cpu;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.RowInformationContractTest;

/**
 * The CPU backend's {@link Backend#rowInformation} (the seam's host default over the rows and weights the
 * backend was loaded with) under the same contract as the device backends.
 */
class CpuRowInformationTest extends RowInformationContractTest {
    @Override
    protected Backend openBackend() {
        return new CpuBackend(0);
    }
}
