package io.gaussmix.backend.cuda;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendContractTest;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.Precision;

/** The CUDA backend in float32 against the naive float64 reference; skipped without a usable GPU. */
@RequiresCuda
class CudaBackendContractTest extends BackendContractTest {
    @Override
    protected Backend openBackend() {
        if (!RequiresCuda.Condition.available()) {
            return null;   // every test is skipped with the reason (RequiresCuda)
        }
        return new CudaProvider().open(BackendOptions.DEFAULT.withPrecision(Precision.FLOAT32));
    }

    /**
     * Float32 rows and parameters (relative rounding 6e-8) shifted by the column means on the host,
     * products over D <= 33 terms, second moments summed in float32 over at most 256 rows per
     * super-tile and in float64 beyond: errors stay near 1e-6 relative; 1e-4 leaves a wide margin
     * while still catching any indexing or reduction mistake (those give O(1) errors).
     */
    @Override
    protected double tolerance() {
        return 1e-4;
    }
}
