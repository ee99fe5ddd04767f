package io.gaussmix.backend.cuda;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link CudaStreamingTest} (streaming against resident, float32 and float64) with the second tiled
 * kernel selected; float64 keeps the first variant ({@link TiledKernel}).
 */
@RequiresCuda
@ExtendWith(Tiled2Property.class)
class CudaTiled2StreamingTest extends CudaStreamingTest {
}
