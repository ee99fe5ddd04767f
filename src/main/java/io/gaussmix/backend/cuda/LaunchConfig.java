package io.gaussmix.backend.cuda;

import io.gaussmix.backend.InformationInputs;

/**
 * Launch shapes, mirroring the constants in the kernels ({@code KernelConstantsTest} reads the
 * {@code .cuh} sources and checks them against these). Pure arithmetic, tested without a GPU.
 */
final class LaunchConfig {
    /** Threads per block of the simple kernels ({@code SIMPLE_THREADS}). */
    static final int SIMPLE_THREADS = 128;
    /** Threads per block of the tiled kernel ({@code TILED_THREADS}). */
    static final int TILED_THREADS = 256;
    /** Rows per sub-tile of the tiled kernel ({@code TILE_ROWS}); super-tiles are multiples of it. */
    static final int TILE_ROWS = 64;
    /** Depth of the tiled kernel's shared-memory slices ({@code TILE_DEPTH}). */
    static final int TILE_DEPTH = 16;
    /** Padded leading dimension of those slices ({@code TILE_LD}). */
    static final int TILE_LD = 68;
    /** Threads per block of the second tiled kernel ({@code TILED2_THREADS}). */
    static final int TILED2_THREADS = 256;
    /** Rows per phase-A sub-tile of the second tiled kernel ({@code TILED2_ROWS}). */
    static final int TILED2_ROWS = 128;
    /** Bytes per column of its shared depth slices ({@code TILED2_SLICE_BYTES}: 16 floats). */
    static final int TILED2_SLICE_BYTES = 64;
    /** Padded leading dimension of those slices ({@code TILED2_LD}). */
    static final int TILED2_LD = 132;
    /** The third tiled kernel's leading dimension of the same slices ({@code TILED3_LD}: no bank conflicts for mma fragments). */
    static final int TILED3_LD = 136;
    /** Threads per block of the tiled DIAG/SPHERICAL kernels ({@code DIAG_THREADS}). */
    static final int DIAG_THREADS = 256;
    /** Rows (log densities) and components (both) per block of those kernels ({@code DIAG_TILE}). */
    static final int DIAG_TILE = 128;
    /** Features per block of their statistics kernel ({@code DIAG_COLS}). */
    static final int DIAG_COLS = 64;
    /** Rows per statistics tile ({@code DIAG_STATS_ROWS}): the float32 run before each float64 flush. */
    static final int DIAG_STATS_ROWS = 256;
    static final int MAX_SUPER_ROWS = 256;
    static final int MAX_SIMPLE_TILE_ROWS = 128;
    /** Static + dynamic shared memory per block: stays under the 48 KB that needs no opt-in attribute. */
    static final int SHARED_LIMIT = 48 * 1024;
    static final int REDUCE_THREADS = 256;
    /** Tile edge of the information's outer-product kernels ({@code INFO_TILE}: blocks of 16 x 16 threads). */
    static final int INFO_TILE = InformationInputs.TILE;
    /** Threads per block of the information's per-row and per-coordinate kernels ({@code INFO_SCORE_THREADS}). */
    static final int INFO_SCORE_THREADS = 128;

    private LaunchConfig() {
    }

    /** Static shared bytes of the simple kernels: the block-sum scratch. */
    static int simpleStaticShared() {
        return SIMPLE_THREADS * 8;
    }

    /** Static shared bytes of the tiled kernel: two TILE_DEPTH x TILE_LD slices and the block-sum scratch. */
    static int tiledStaticShared(int elementBytes) {
        return 2 * TILE_DEPTH * TILE_LD * elementBytes + TILED_THREADS * 8;
    }

    /**
     * Static shared bytes of the second tiled kernel: two slices of TILED2_SLICE_BYTES / elementBytes
     * rows of TILED2_LD values, four components' means over that depth and the block-sum scratch.
     */
    static int tiled2StaticShared(int elementBytes) {
        return slicedStaticShared(elementBytes, TILED2_LD);
    }

    /** Static shared bytes of the third tiled kernel (float32): the second's, with slices of TILED3_LD. */
    static int tiled3StaticShared() {
        return slicedStaticShared(4, TILED3_LD);
    }

    private static int slicedStaticShared(int elementBytes, int ld) {
        int depth = TILED2_SLICE_BYTES / elementBytes;
        return 2 * depth * ld * elementBytes + 4 * depth * elementBytes + TILED2_THREADS * 8;
    }

    /** Rows per super-tile of the second tiled kernel (a multiple of TILED2_ROWS); 0 = does not fit. */
    static int tiled2SuperRows(int k, int elementBytes) {
        return superRows(tiled2StaticShared(elementBytes), k, elementBytes);
    }

    /** Rows per super-tile of the third tiled kernel (float32); 0 = does not fit. */
    static int tiled3SuperRows(int k) {
        return superRows(tiled3StaticShared(), k, 4);
    }

    private static int superRows(int staticShared, int k, int elementBytes) {
        long rows = (SHARED_LIMIT - staticShared) / ((long) k * elementBytes);
        rows = Math.min(MAX_SUPER_ROWS, rows) / TILED2_ROWS * TILED2_ROWS;
        return (int) Math.max(0, rows);
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
}
