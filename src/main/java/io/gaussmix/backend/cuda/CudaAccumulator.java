package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.PackedStats;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import jcuda.Pointer;
import jcuda.driver.JCudaDriver;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;

/**
 * The fused pass into sufficient statistics: every block of the persistent grid adds into its own
 * float64 partial (no atomics), {@code gmm_reduce_partials} sums the partials in block order, and
 * the host unpacks the {@link PackedStats} layout. Streaming alternates chunks between the two
 * streams, each with its own set of partials.
 */
final class CudaAccumulator implements AutoCloseable {
    private final CudaContext ctx;
    private final CudaModule module;
    private DeviceBuffer partials;
    private DeviceBuffer reduced;

    CudaAccumulator(CudaContext ctx, CudaModule module) {
        this.ctx = ctx;
        this.module = module;
    }

    SufficientStats accumulate(CudaData data, MixtureParams p, CudaParams params, boolean simpleOnly,
                               TiledKernel tiledKernel) {
        int sets = data.resident ? 1 : 2;
        StatsLaunch launch = new StatsLaunch(CovarianceType.of(p.type()), p.components(), p.dimensions(), data.precision, ctx, sets,
                simpleOnly, tiledKernel);
        params.upload(p, data.rows);
        long setBytes = (long) launch.blocks * launch.stride * 8;
        partials = DeviceBuffer.atLeast(partials, setBytes * sets, "partial statistics");
        reduced = DeviceBuffer.atLeast(reduced, (long) launch.stride * 8, "reduced statistics");
        Cuda.check(JCudaDriver.cuMemsetD32Async(partials.ptr, 0, setBytes * sets / 4, ctx.stream(0)),
                "cuMemsetD32Async", "partials, " + setBytes * sets + " bytes");
        if (data.resident) {
            launch.launch(module, ctx.stream(0), data.x.ptr, data.w == null ? null : data.w.ptr, data.n, params,
                    partials.ptr);
        } else {
            // Set 1 is zeroed on stream 0 but first used on stream 1: wait for the memset.
            ctx.sync(0, launch.kernel);
            long i = 0;
            for (long off = 0; off < data.n; off += data.chunkRows, i++) {
                int s = (int) (i & 1);
                long rows = Math.min(data.chunkRows, data.n - off);
                ctx.sync(s, launch.kernel);   // the chunk before on this stream no longer needs its buffers
                data.uploadRows(s, off, rows);
                if (data.weighted) {
                    data.uploadWeights(s, off, rows);
                }
                launch.launch(module, ctx.stream(s), data.chunkX[s].ptr, data.weighted ? data.chunkW[s].ptr : null,
                        rows, params, partials.at(s * setBytes));
            }
            ctx.sync(1, launch.kernel);
        }
        ctx.sync(0, launch.kernel);
        return PackedStats.unpack(reduce(launch.blocks * sets, launch.stride), CovarianceType.of(p.type()), p.components(),
                p.dimensions(), data.rows.totalWeight());
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
        try (DeviceBuffer p = partials; DeviceBuffer r = reduced) {
            partials = reduced = null;
        }
    }
}
