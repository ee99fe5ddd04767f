package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;

/**
 * Launch shapes and partial-statistics sizes, mirroring the constants in the kernels. Pure
 * arithmetic, tested without a GPU.
 */
final class LaunchConfig {
    /** Threads per block of the simple kernels ({@code SIMPLE_THREADS}). */
    static final int SIMPLE_THREADS = 128;
    /** Threads per block of the tiled kernel ({@code TILED_THREADS}). */
    static final int TILED_THREADS = 256;
    /** Rows per sub-tile of the tiled kernel ({@code TILE_ROWS}); super-tiles are multiples of it. */
    static final int TILE_ROWS = 64;
    static final int MAX_SUPER_ROWS = 256;
    static final int MAX_SIMPLE_TILE_ROWS = 128;
    /** Static + dynamic shared memory per block: stays under the 48 KB that needs no opt-in attribute. */
    static final int SHARED_LIMIT = 48 * 1024;
    static final int REDUCE_THREADS = 256;

    private LaunchConfig() {
    }

    /** Static shared bytes of the simple kernels: the block-sum scratch. */
    static int simpleStaticShared() {
        return SIMPLE_THREADS * 8;
    }

    /** Static shared bytes of the tiled kernel: two 16 x 68 slices and the block-sum scratch. */
    static int tiledStaticShared(int elementBytes) {
        return 2 * 16 * 68 * elementBytes + TILED_THREADS * 8;
    }

    /** Rows per tile of the simple kernels (rows and log densities in shared memory); 0 = does not fit. */
    static int simpleTileRows(int d, int k, int elementBytes) {
        long perRow = (long) (d + k) * elementBytes;
        long rows = (SHARED_LIMIT - simpleStaticShared()) / perRow;
        return (int) Math.min(MAX_SIMPLE_TILE_ROWS, rows);
    }

    /** Rows per super-tile of the tiled kernel (K log densities per row in shared memory); 0 = does not fit. */
    static int tiledSuperRows(int k, int elementBytes) {
        long rows = (SHARED_LIMIT - tiledStaticShared(elementBytes)) / ((long) k * elementBytes);
        rows = Math.min(MAX_SUPER_ROWS, rows) / TILE_ROWS * TILE_ROWS;
        return (int) Math.max(0, rows);
    }

    /** Doubles per block partial: log-likelihood, nk (K), sumDiff (K*D), sumSq (K*D*D or K*D). */
    static long stride(CovarianceType type, int k, int d) {
        long kd = (long) k * d;
        long sq = (type == CovarianceType.FULL || type == CovarianceType.TIED) ? kd * d : kd;
        return 1 + k + kd + sq;
    }
}
