package io.gaussmix.backend.cuda;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendContractTest;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.Precision;

/** The CUDA backend in float64 against the naive float64 reference; skipped without a usable GPU. */
@RequiresCuda
class CudaBackendFloat64ContractTest extends BackendContractTest {
    @Override
    protected Backend openBackend() {
        if (!RequiresCuda.Condition.available()) {
            return null;   // every test is skipped with the reason (RequiresCuda)
        }
        return new CudaProvider().open(BackendOptions.DEFAULT.withPrecision(Precision.FLOAT64));
    }

    /**
     * Everything in float64, only the summation order differs from the reference (per-block
     * partials, fixed-order reduction) and exp/log come from CUDA's libdevice (<= 2 ulp): a few
     * hundred ulps over a few thousand terms, far below 1e-10.
     */
    @Override
    protected double tolerance() {
        return 1e-10;
    }
}
