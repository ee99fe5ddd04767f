package io.gaussmix.backend.cuda;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link CudaFitParityTest} (float32 fits against the float64 CPU fit) with the second tiled kernel. */
@RequiresCuda
@ExtendWith(Tiled2Property.class)
class CudaTiled2FitParityTest extends CudaFitParityTest {
}
