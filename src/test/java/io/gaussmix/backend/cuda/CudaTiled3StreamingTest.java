package io.gaussmix.backend.cuda;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link CudaStreamingTest} (streaming against resident, to the bit) with the third tiled kernel selected;
 * float64 keeps the first variant ({@link TiledKernel}).
 */
@RequiresCuda
@ExtendWith(Tiled3Property.class)
class CudaTiled3StreamingTest extends CudaStreamingTest {
}
