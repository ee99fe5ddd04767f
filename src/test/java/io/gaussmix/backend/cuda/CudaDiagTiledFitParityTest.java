package io.gaussmix.backend.cuda;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link CudaFitParityTest} (float32 fits against the float64 CPU fit) with the tiled DIAG/SPHERICAL kernel. */
@RequiresCuda
@ExtendWith(DiagTiledProperty.class)
class CudaDiagTiledFitParityTest extends CudaFitParityTest {
}
