package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.DeviceException;
import io.gaussmix.backend.PackedStats;
import io.gaussmix.backend.Precision;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;

/**
 * Which statistics kernel one fused pass runs and with what shape: for FULL and TIED the chosen
 * triangular tiled kernel when K leaves room for its super-tile in shared memory (the second and third
 * variants fall back to the first in float64 or when their larger super-tile does not fit), the simple kernel
 * otherwise; for DIAG and SPHERICAL the simple kernel, or in float32 the tiled one when chosen
 * ({@link DiagTiledPass}: its partials are the z index of its statistics grid, {@link #blocks} of them);
 * block size, shared memory, the partial's stride and the persistent grid.
 */
final class StatsLaunch {
    final CovarianceType type;
    final int k;
    final int d;
    final Precision precision;
    final boolean tiled;
    /** DIAG or SPHERICAL through {@link DiagTiledPass} (the caller launches it). */
    final boolean diagTiled;
    final int tileRows;
    final int shared;
    final int threads;
    final String kernel;
    /** Doubles per block partial ({@link PackedStats#length}). */
    final int stride;
    /** Blocks of the persistent grid: fixed per device and shape, so the summation order is too. */
    final int blocks;

    /**
     * @param simpleOnly    run FULL and TIED through the simple kernel as well (a test knob)
     * @param tiledKernel   the tiled variant wanted for FULL and TIED
     * @param diagKernel    the kernel wanted for DIAG and SPHERICAL
     */
    StatsLaunch(CovarianceType type, int k, int d, Precision precision, CudaContext ctx, boolean simpleOnly,
                TiledKernel tiledKernel, DiagKernel diagKernel) {
        this.type = type;
        this.k = k;
        this.d = d;
        this.precision = precision;
        int elementBytes = precision.elementBytes();
        int superRows = LaunchConfig.tiledSuperRows(k, elementBytes);
        boolean triangular = type == CovarianceType.FULL || type == CovarianceType.TIED;
        tiled = triangular && superRows >= LaunchConfig.TILE_ROWS && !simpleOnly;
        // The second and third variants: float32, and K small enough for a 128-row super-tile.
        int superRows2 = tiledKernel == TiledKernel.V3 ? LaunchConfig.tiled3SuperRows(k)
                : LaunchConfig.tiled2SuperRows(k, elementBytes);
        boolean later = tiled && tiledKernel != TiledKernel.V1 && precision == Precision.FLOAT32
                && superRows2 >= LaunchConfig.TILED2_ROWS;
        diagTiled = DiagTiledPass.runs(type, precision, diagKernel);
        if (diagTiled) {
            tileRows = LaunchConfig.DIAG_STATS_ROWS;
            shared = 0;
            threads = LaunchConfig.DIAG_THREADS;
            kernel = KernelNames.DIAG_STATS;
        } else if (later) {
            tileRows = superRows2;
            shared = superRows2 * k * elementBytes;
            threads = LaunchConfig.TILED2_THREADS;
            kernel = tiledKernel == TiledKernel.V3 ? KernelNames.triangularPass3() : KernelNames.triangularPass2();
        } else if (tiled) {
            tileRows = superRows;
            shared = superRows * k * elementBytes;
            threads = LaunchConfig.TILED_THREADS;
            kernel = KernelNames.triangularPass(precision);
        } else {
            tileRows = LaunchConfig.simpleTileRows(d, k, elementBytes);
            if (tileRows < 1) {
                throw new DeviceException("D=" + d + " and K=" + k + " need more shared memory per row than the CUDA kernels allow");
            }
            shared = tileRows * (d + k) * elementBytes;
            threads = LaunchConfig.SIMPLE_THREADS;
            kernel = KernelNames.pass(type, precision);
        }
        stride = Math.toIntExact(PackedStats.length(type, k, d));
        // Blocks resident per SM: the second and third variants' 251 registers per thread leave room for one.
        int wanted = diagTiled ? DiagTiledPass.wantedPartials(k, d, ctx.smCount) : ctx.smCount * (later ? 1 : tiled ? 2 : 4);
        // From the total (not the free) memory: the grid, and so the summation order, must not
        // change between passes, or repeated passes would stop being bit-identical.
        blocks = CudaMemoryPlan.partialBlocks(ctx.totalBytes / 2, wanted, stride, 1);
    }

    String describe(long n) {
        return "n=" + n + ", d=" + d + ", k=" + k + ", " + type.id() + ", " + precision.id();
    }

    /**
     * Rows per streamed chunk for buffers of {@code capacity} rows: a whole number of this launch's
     * tiles, so chunk boundaries fall on tile boundaries (all {@code n} when they fit one buffer).
     */
    long chunkRows(long capacity, long n) {
        return capacity >= n ? n : capacity / tileRows * tileRows;
    }

    /** Per-thread log-likelihood sums carried from chunk to chunk of one pass: doubles for the whole grid. */
    long carryDoubles() {
        return (long) blocks * threads;
    }

    /**
     * Launches the pass (not the {@link #diagTiled} one) over {@code n} rows at x (weights w, null = unit), the pass's tiles from
     * {@code firstTile} on, adding into the partials and the log-likelihood carry of the grid. The
     * block that takes a tile depends only on the tile's index in the pass, so a pass cut into chunks
     * of whole tiles adds exactly what one launch over all the rows adds.
     */
    void launch(CudaModule module, CUstream stream, CUdeviceptr x, CUdeviceptr w, long n, long firstTile,
                CudaParams params, CUdeviceptr partials, CUdeviceptr llCarry) {
        Pointer wArg = Pointer.to(w == null ? new CUdeviceptr() : w);   // NULL = unit weights
        Pointer args;
        if (tiled) {
            long uStride = type == CovarianceType.FULL ? (long) d * d : 0L;
            args = Pointer.to(Pointer.to(x), Pointer.to(new long[] {n}), Pointer.to(new long[] {firstTile}),
                    Pointer.to(new int[] {d}), Pointer.to(new int[] {k}), wArg, params.meansArg(), params.factorsArg(),
                    Pointer.to(new long[] {uStride}), params.constantsArg(), Pointer.to(new int[] {tileRows}),
                    Pointer.to(partials), Pointer.to(new int[] {stride}), Pointer.to(llCarry));
        } else {
            args = Pointer.to(Pointer.to(x), Pointer.to(new long[] {n}), Pointer.to(new long[] {firstTile}),
                    Pointer.to(new int[] {d}), Pointer.to(new int[] {k}), wArg, params.meansArg(), params.factorsArg(),
                    params.constantsArg(), Pointer.to(new int[] {tileRows}), Pointer.to(partials),
                    Pointer.to(new int[] {stride}), Pointer.to(llCarry));
        }
        Cuda.check(cuLaunchKernel(module.function(kernel), blocks, 1, 1, threads, 1, 1, shared, stream, args, null),
                "cuLaunchKernel(" + kernel + ")", describe(n));
    }
}
