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
 * SPHERICAL kernel does what the model counts.
 *
 * <p>{@link #passFlopsV2} mirrors the second variant, {@code kernels/cuda/estep_tiled2.cuh}
 * ({@code -Dgaussmix.cuda.tiledKernel=v2}, float32, K up to 58; beyond, and in float64, the first
 * runs): 8 x 8 micro-tiles, 32-wide diagonal blocks, components in groups of 4 (phase A) and 16
 * (phase C), the groups padded with empty components. Per row and component slot it issues
 * <ul>
 *   <li>phase A: for each 32-column block j0, 32 x roundUp16(min(D, j0 + 32)) FMAs, for
 *       roundUp4(K) slots;</li>
 *   <li>phase C: 32 x 32 FMAs for each block pair (i0 &lt;= j0), for roundUp16(K) slots.</li>
 * </ul>
 * At D = 64, K = 16 that is 3 D^2 flops against the credited 2 D^2 (1.5 times); at D = 16, K = 8,
 * 20 D^2 (phase C's sixteen slots are half empty). Not counted: the subtractions of the means and
 * the weighting, 1 per 8 FMAs in phase A and 3 per 8 in phase C, which the FMA pipe also issues.
 *
 * <p>{@link #passFlopsDiagTiled} mirrors the register-tiled DIAG/SPHERICAL pass,
 * {@code kernels/cuda/estep_diag_tiled.cuh} ({@code -Dgaussmix.cuda.diagKernel=tiled}, float32): log densities
 * in 128-row x 128-component tiles, depth padded to 16, two FMAs per element (4 flops); statistics in
 * 128-component x 64-feature tiles over 16-row slices, a subtraction, a multiplication, an addition and an FMA
 * per element (5 flops). At K = 1024, D = 128 that is 9 N K D against the credited 6 N K D (1.5 times); small
 * K and D pay for the padding (K = 8, D = 5: 221 times).
 * <b>Update this class with the kernels.</b>
 */
public final class CudaKernelWork {
    private static final int TILE = 64;
    private static final int DEPTH = 16;
    /**
     * The largest K whose 128-row super-tile fits the second kernel's shared memory in float32
     * (LaunchConfig.tiled2SuperRows: (48 KiB - 19200 B static) / (128 rows x 4 B)).
     */
    public static final int V2_MAX_COMPONENTS = 58;
    /** The same for the third kernel, whose slices are padded to 136 floats ((48 KiB - 19712 B) / 512 B). */
    public static final int V3_MAX_COMPONENTS = 57;

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

    /** Executed flops of one pass through the second tiled kernel (FULL and TIED; others as {@link #passFlops}). */
    public static double passFlopsV2(CovarianceType type, long n, int d, int k) {
        return triangular(type) ? blockedFlops(n, d, (k + 3) / 4 * 4L, (k + 15) / 16 * 16L) : FlopModel.passFlops(type, n, d, k);
    }

    /**
     * Executed flops of one pass through the third tiled kernel: the second's blocks, without its empty
     * component slots (a warp skips a component past K), each product once; the tensor cores issue three
     * TF32 products for each (3xTF32), so their own work is three times this.
     */
    public static double passFlopsV3(CovarianceType type, long n, int d, int k) {
        return triangular(type) ? blockedFlops(n, d, k, k) : FlopModel.passFlops(type, n, d, k);
    }

    private static boolean triangular(CovarianceType type) {
        return type == CovarianceType.FULL || type == CovarianceType.TIED;
    }

    /** The second and third kernels' FMAs x 2 for slotsA components in phase A and slotsC in phase C. */
    private static double blockedFlops(long n, int d, long slotsA, long slotsC) {
        final int block = 32;
        long phaseA = 0;
        for (int j0 = 0; j0 < d; j0 += block) {
            int depth = Math.min(d, j0 + block);
            phaseA += (long) block * ((depth + DEPTH - 1) / DEPTH * DEPTH);
        }
        long blocks = (d + block - 1) / block;
        long phaseC = blocks * (blocks + 1) / 2 * block * block;
        return 2.0 * n * (phaseA * slotsA + phaseC * slotsC);
    }

    /** Executed flops of one pass through the tiled DIAG/SPHERICAL kernel (the rows padded once, not per slice). */
    public static double passFlopsDiagTiled(long n, int d, int k) {
        double logDensities = 4.0 * roundUp(n, 128) * roundUp(k, 128) * roundUp(d, DEPTH);
        double statistics = 5.0 * roundUp(n, DEPTH) * roundUp(k, 128) * roundUp(d, 64);
        return logDensities + statistics;
    }

    /** One line saying what {@link #passFlopsDiagTiled} assumes, for reports. */
    public static String describeDiagTiled() {
        return "tiled diag kernel: 128x128 log-density tiles (2 FMAs per element), 128x64 statistics tiles"
                + " (5 flops per element), zero padding";
    }

    private static long roundUp(long v, long m) {
        return (v + m - 1) / m * m;
    }

    /** One line saying what {@link #passFlopsV3} assumes, for reports. */
    public static String describeV3() {
        return "tiled kernel v3: v2's blocks on the tensor cores (m16n8k8, 3xTF32: tensor work 3x this), no empty"
                + " component slots; diag/spherical as credited";
    }

    /** One line saying what {@link #passFlopsV2} assumes, for reports. */
    public static String describeV2() {
        return "tiled kernel v2: 8x8 micro-tiles, 32-wide diagonal blocks, depth 16, component groups of 4 and 16;"
                + " diag/spherical as credited";
    }

    /** One line saying what {@link #passFlops} assumes, for reports. */
    public static String describe() {
        return "tiled kernel of 886091c: 64x64 tiles, depth 16, zero padding; diag/spherical as credited";
    }
}
