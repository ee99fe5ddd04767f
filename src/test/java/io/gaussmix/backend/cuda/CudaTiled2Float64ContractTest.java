package io.gaussmix.backend.cuda;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link CudaBackendFloat64ContractTest} with {@code gaussmix.cuda.tiledKernel=v2}: the second
 * variant is float32 only, so float64 must fall back to the first and still meet 1e-12.
 */
@RequiresCuda
@ExtendWith(Tiled2Property.class)
class CudaTiled2Float64ContractTest extends CudaBackendFloat64ContractTest {
}
