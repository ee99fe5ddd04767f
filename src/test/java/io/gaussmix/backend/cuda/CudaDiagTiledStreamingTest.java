package io.gaussmix.backend.cuda;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link CudaStreamingTest} (streaming against resident, to the bit) with the tiled DIAG/SPHERICAL kernel
 * selected: chunks of 1024 rows are four of its statistics tiles; float64 keeps the simple kernel.
 */
@RequiresCuda
@ExtendWith(DiagTiledProperty.class)
class CudaDiagTiledStreamingTest extends CudaStreamingTest {
}
