package io.gaussmix.bench;

import io.gaussmix.CovarianceType;

/**
 * The floating-point work the CUDA kernels <em>execute</em> in one pass, next to the work
 * {@link FlopModel} <em>credits</em>: the gap between the two is what a kernel wastes on padding and
 * on squares where the model counts triangles, and it tells an executed rate near the chip's ceiling
 * from a credited one.
 *
 * <p>This mirrors the tiled kernel of {@code kernels/cuda/estep_tiled.cuh} as of commit 886091c
 * (FULL and TIED, K up to about 150 in float32; larger K runs the simple kernel, not modelled here):
 * 64 x 64 output tiles of 4 x 4 micro-tiles, depth slices of 16, zero padding to the tile. Per row
 * and component it issues
 * <ul>
 *   <li>phase A ({@code (x - mu) U}): for each 64-column block j0, 64 x roundUp16(min(D, j0 + 64))
 *       FMAs (the triangle of U is cut at block granularity only);</li>
 *   <li>phase C (second moments): 64 x 64 FMAs for each block pair (i0 &lt;= j0) of the upper block
 *       triangle, whatever part of the block lies inside D.</li>
 * </ul>
 * At D = 64 that is 4 D^2 flops against the credited 2 D^2; at D = 16, 40 D^2. The DIAG and
 * SPHERICAL kernel does what the model counts. <b>Update this class with the kernels.</b>
 */
public final class CudaKernelWork {
    private static final int TILE = 64;
    private static final int DEPTH = 16;

    private CudaKernelWork() {
    }

    /** Executed flops (2 per FMA) of one pass over N rows; the credited count for DIAG and SPHERICAL. */
    public static double passFlops(CovarianceType type, long n, int d, int k) {
        if (type != CovarianceType.FULL && type != CovarianceType.TIED) {
            return FlopModel.passFlops(type, n, d, k);
        }
        long fmas = 0;
        for (int j0 = 0; j0 < d; j0 += TILE) {
            int depth = Math.min(d, j0 + TILE);
            fmas += (long) TILE * ((depth + DEPTH - 1) / DEPTH * DEPTH);
        }
        long blocks = (d + TILE - 1) / TILE;
        fmas += blocks * (blocks + 1) / 2 * TILE * TILE;
        return 2.0 * fmas * n * k;
    }

    /** One line saying what {@link #passFlops} assumes, for reports. */
    public static String describe() {
        return "tiled kernel of 886091c: 64x64 tiles, depth 16, zero padding; diag/spherical as credited";
    }
}
