package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.PackedStats;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;

/**
 * The fused pass into sufficient statistics: every block of the persistent grid adds into its own
 * float64 partial (no atomics), {@code gmm_reduce_partials} sums the partials in block order, and
 * the host unpacks the {@link PackedStats} layout. A streamed pass launches the same grid once per
 * chunk into the same partials (and the same per-thread log-likelihood carry), so its statistics are
 * the same bits as a resident pass over the same rows, whatever the chunk size.
 */
final class CudaAccumulator implements AutoCloseable {
    private final CudaContext ctx;
    private final CudaModule module;
    private DeviceBuffer partials;
    private DeviceBuffer reduced;
    private DeviceBuffer carry;
    /** The tiled DIAG/SPHERICAL pass's operands and buffers. */
    final DiagTiledPass diag;

    CudaAccumulator(CudaContext ctx, CudaModule module) {
        this.ctx = ctx;
        this.module = module;
        this.diag = new DiagTiledPass(ctx, module);
    }

    SufficientStats accumulate(CudaData data, MixtureParams p, CudaParams params, boolean simpleOnly,
                               TiledKernel tiledKernel, DiagKernel diagKernel) {
        StatsLaunch launch = new StatsLaunch(CovarianceType.of(p.type()), p.components(), p.dimensions(), data.precision, ctx,
                simpleOnly, tiledKernel, diagKernel);
        params.upload(p, data.rows);
        if (launch.diagTiled) {
            diag.upload(p, data.rows);
        }
        long setBytes = (long) launch.blocks * launch.stride * 8;
        long carryBytes = launch.carryDoubles() * 8;
        partials = DeviceBuffer.atLeast(partials, setBytes, "partial statistics");
        carry = DeviceBuffer.atLeast(carry, carryBytes, "log-likelihood carry");
        reduced = DeviceBuffer.atLeast(reduced, (long) launch.stride * 8, "reduced statistics");
        Cuda.check(JCudaDriver.cuMemsetD32Async(partials.ptr, 0, setBytes / 4, ctx.stream(0)),
                "cuMemsetD32Async", "partials, " + setBytes + " bytes");
        Cuda.check(JCudaDriver.cuMemsetD32Async(carry.ptr, 0, carryBytes / 4, ctx.stream(0)),
                "cuMemsetD32Async", "log-likelihood carry, " + carryBytes + " bytes");
        if (data.resident) {
            launch(launch, data.x.ptr, data.w == null ? null : data.w.ptr, data.n, 0, params);
        } else {
            stream(data, launch, params);
        }
        ctx.sync(0, launch.kernel);
        return PackedStats.unpack(reduce(launch.blocks, launch.stride), CovarianceType.of(p.type()), p.components(),
                p.dimensions(), data.rows.totalWeight());
    }

    /**
     * The streamed pass: kernels in chunk order on stream 0 (they add into the one set of partials),
     * copies on stream 1. While chunk i's kernel runs, chunk i+1's copy is under way and the host
     * reads and converts chunk i+2 from the source into the other pinned buffer.
     */
    private void stream(CudaData data, StatsLaunch launch, CudaParams params) {
        long step = launch.chunkRows(data.chunkRows, data.n);
        data.stage(0, 0, Math.min(step, data.n));
        data.upload(0, 0, Math.min(step, data.n), ctx.stream(1));
        long i = 0;
        for (long off = 0; off < data.n; off += step, i++) {
            int s = (int) (i & 1);
            long rows = Math.min(step, data.n - off);
            long next = off + step;
            long nextRows = Math.min(step, data.n - next);
            if (nextRows > 0) {
                data.stage(1 - s, next, nextRows);   // its buffer's last copy was waited for before chunk i-1 ran
            }
            ctx.sync(1, "the copy of rows " + off + ".." + (off + rows));
            ctx.sync(0, launch.kernel);   // chunk i-1's kernel is done: its device buffer may be overwritten
            launch(launch, data.chunkX[s].ptr, data.weighted ? data.chunkW[s].ptr : null, rows, off / launch.tileRows,
                    params);
            if (nextRows > 0) {
                data.upload(1 - s, next, nextRows, ctx.stream(1));
            }
        }
    }

    /** Queues the pass over n rows at x (weights w, null = unit) on stream 0, the pass's tiles from firstTile on. */
    private void launch(StatsLaunch launch, CUdeviceptr x, CUdeviceptr w, long n, long firstTile, CudaParams params) {
        if (launch.diagTiled) {
            diag.launch(ctx.stream(0), x, w, n, firstTile, launch, params, partials.ptr);
        } else {
            launch.launch(module, ctx.stream(0), x, w, n, firstTile, params, partials.ptr, carry.ptr);
        }
    }

    /** Sums {@code count} partials of {@code stride} doubles in block order on the device and copies the result back. */
    private double[] reduce(int count, int stride) {
        String kernel = KernelNames.REDUCE;
        Pointer args = Pointer.to(partials.arg(), Pointer.to(new int[] {count}), Pointer.to(new int[] {stride}),
                reduced.arg());
        int grid = (stride + LaunchConfig.REDUCE_THREADS - 1) / LaunchConfig.REDUCE_THREADS;
        Cuda.check(cuLaunchKernel(module.function(kernel), grid, 1, 1, LaunchConfig.REDUCE_THREADS, 1, 1, 0,
                ctx.stream(0), args, null), "cuLaunchKernel(" + kernel + ")", "partials=" + count + ", stride=" + stride);
        ctx.sync(0, kernel);
        double[] r = new double[stride];
        Cuda.check(cuMemcpyDtoH(Pointer.to(r), reduced.ptr, (long) stride * 8), "cuMemcpyDtoH", "statistics");
        return r;
    }

    @Override
    public void close() {
        try (DiagTiledPass d = diag; DeviceBuffer p = partials; DeviceBuffer r = reduced; DeviceBuffer c = carry) {
            partials = reduced = carry = null;
        }
    }
}
