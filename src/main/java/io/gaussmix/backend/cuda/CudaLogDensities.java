package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.DeviceException;
import io.gaussmix.math.MixtureParams;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;

/**
 * The N x K weighted log densities (predict, score, tests) through the simple kernels, copied back
 * to the host in slices of at most {@link #OUT_SLICE_BYTES}; streamed data goes chunk by chunk on
 * stream 0.
 */
final class CudaLogDensities implements AutoCloseable {
    /** Device bytes for one slice of log densities on the way back to the host. */
    private static final long OUT_SLICE_BYTES = 64L << 20;

    private final CudaContext ctx;
    private final CudaModule module;
    private DeviceBuffer outSlice;

    CudaLogDensities(CudaContext ctx, CudaModule module) {
        this.ctx = ctx;
        this.module = module;
    }

    void compute(CudaData data, MixtureParams p, CudaParams params, double[] out) {
        int k = p.components();
        int d = p.dimensions();
        int elementBytes = data.precision.elementBytes();
        if (out.length != data.n * k) {
            throw new IllegalArgumentException("out has " + out.length + " values, expected N*K = " + data.n + "*" + k);
        }
        params.upload(p, data.rows);
        int tileRows = LaunchConfig.simpleTileRows(d, k, elementBytes);
        if (tileRows < 1) {
            throw new DeviceException("D=" + d + " and K=" + k + " need more shared memory per row than the CUDA kernels allow");
        }
        String kernel = KernelNames.logDensities(CovarianceType.of(p.type()), data.precision);
        long sliceRows = Math.max(1, Math.min(Math.max(data.n, 1), OUT_SLICE_BYTES / (8L * k)));
        outSlice = DeviceBuffer.atLeast(outSlice, sliceRows * k * 8, "log-density slice");
        if (data.resident) {
            range(kernel, data.x, 0, data.n, sliceRows, tileRows, d, k, elementBytes, params, out);
            return;
        }
        for (long off = 0; off < data.n; off += data.chunkRows) {
            long rows = Math.min(data.chunkRows, data.n - off);
            data.stage(0, off, rows);   // range() waited for the copy and kernels before
            data.upload(0, off, rows, ctx.stream(0));
            range(kernel, data.chunkX[0], off, rows, sliceRows, tileRows, d, k, elementBytes, params, out);
        }
    }

    /** Log densities of the first {@code rows} rows of x (global rows from globalRow0), slice by slice into out. */
    private void range(String kernel, DeviceBuffer x, long globalRow0, long rows, long sliceRows, int tileRows, int d,
                       int k, int elementBytes, CudaParams params, double[] out) {
        for (long r0 = 0; r0 < rows; r0 += sliceRows) {
            long n = Math.min(sliceRows, rows - r0);
            launch(kernel, x.at(r0 * d * elementBytes), n, tileRows, d, k, elementBytes, params, outSlice.ptr);
            ctx.sync(0, kernel);
            long dst = (globalRow0 + r0) * k * 8;
            Cuda.check(cuMemcpyDtoH(Pointer.to(out).withByteOffset(dst), outSlice.ptr, n * k * 8), "cuMemcpyDtoH",
                    "log densities of rows " + (globalRow0 + r0) + ".." + (globalRow0 + r0 + n));
        }
    }

    /**
     * Enqueues the log densities of the {@code n} rows at {@code x} into {@code out} (n x K doubles) on stream 0,
     * with parameters already uploaded; also the first step of the information's rows term (CudaInformationPass).
     */
    void launch(String kernel, CUdeviceptr x, long n, int tileRows, int d, int k, int elementBytes, CudaParams params,
                CUdeviceptr out) {
        long tiles = (n + tileRows - 1) / tileRows;
        int grid = (int) Math.max(1, Math.min(tiles, (long) ctx.smCount * 8));
        Pointer args = Pointer.to(Pointer.to(x), Pointer.to(new long[] {n}),
                Pointer.to(new int[] {d}), Pointer.to(new int[] {k}), params.meansArg(), params.factorsArg(),
                params.constantsArg(), Pointer.to(new int[] {tileRows}), Pointer.to(out));
        Cuda.check(cuLaunchKernel(module.function(kernel), grid, 1, 1, LaunchConfig.SIMPLE_THREADS, 1, 1,
                tileRows * (d + k) * elementBytes, ctx.stream(0), args, null), "cuLaunchKernel(" + kernel + ")",
                "n=" + n + ", d=" + d + ", k=" + k);
    }

    @Override
    public void close() {
        try (DeviceBuffer o = outSlice) {
            outSlice = null;
        }
    }
}
