package io.gaussmix.backend.cuda;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link CudaFitParityTest} (float32 fits against the float64 CPU fit) with the third tiled kernel (tensor cores). */
@RequiresCuda
@ExtendWith(Tiled3Property.class)
class CudaTiled3FitParityTest extends CudaFitParityTest {
}
