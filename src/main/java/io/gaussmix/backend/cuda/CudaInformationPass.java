package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.InformationInputs;
import io.gaussmix.backend.Precision;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.RowInformation;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

import java.util.ArrayList;
import java.util.List;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

/**
 * The device side of {@code Backend.rowInformation} on CUDA, float64 ({@code information.cuh}): the P x P
 * output and the score stay on the device for the whole pass; each block of rows runs the backend's log
 * densities ({@link CudaLogDensities#launch}) and then the information kernels, all on stream 0 in order, so
 * every output entry receives the blocks' sums in block order and the result is the same bits run to run.
 * The inputs and the block size are {@link InformationInputs}'.
 */
final class CudaInformationPass implements AutoCloseable {
    private final CudaContext ctx;
    private final CudaModule module;
    private final CudaLogDensities logDensities;
    private final CudaParams params;
    private final InformationInputs in;
    private final String logDensityKernel;
    private final int tileRows;
    private final List<DeviceBuffer> buffers = new ArrayList<>();
    private final DeviceBuffer lambda;
    private final DeviceBuffer weights;
    private final DeviceBuffer support;
    private final DeviceBuffer supportLength;
    private final DeviceBuffer directionAt;
    private final DeviceBuffer direction;
    private final DeviceBuffer out;
    private final DeviceBuffer score;
    private final DeviceBuffer a;
    private final DeviceBuffer g;
    private final DeviceBuffer s;
    private final DeviceBuffer lp;

    /** Uploads what the kernels read about p (params must hold p already) and zeroes the outputs; frees all if that fails. */
    CudaInformationPass(CudaContext ctx, CudaModule module, CudaLogDensities logDensities, CudaParams params,
                        MixtureParams p, int tileRows) {
        this.ctx = ctx;
        this.module = module;
        this.logDensities = logDensities;
        this.params = params;
        this.in = new InformationInputs(p);
        this.tileRows = tileRows;
        this.logDensityKernel = KernelNames.logDensities(CovarianceType.of(p.type()), Precision.FLOAT64);
        int rows = in.blockRows;
        try {
            lambda = keep(upload(Pointer.to(in.precisions), 8L * in.precisions.length, "precisions"));
            weights = keep(upload(Pointer.to(in.weights), 8L * in.k, "weights"));
            support = keep(upload(Pointer.to(in.supports), 4L * in.supports.length, "supports"));
            supportLength = keep(upload(Pointer.to(in.supportLengths), 4L * in.k, "support lengths"));
            directionAt = keep(upload(Pointer.to(in.directionStart), 4L * in.directionStart.length,
                    "direction offsets"));
            int[] pairs = in.directionPairs.length == 0 ? new int[1] : in.directionPairs;
            direction = keep(upload(Pointer.to(pairs), 4L * pairs.length, "directions"));
            out = keep(upload(Pointer.to(new double[in.size * in.size]), 8L * in.size * in.size,
                    "information rows term"));
            score = keep(upload(Pointer.to(new double[in.size]), 8L * in.size, "score"));
            a = keep(DeviceBuffer.allocate(8L * in.k * in.maxSupport * rows, "component scores"));
            g = keep(DeviceBuffer.allocate(8L * in.k * rows, "weighted responsibilities"));
            s = keep(DeviceBuffer.allocate(8L * in.size * rows, "row scores"));
            lp = keep(DeviceBuffer.allocate(8L * in.k * rows, "log densities"));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static DeviceBuffer upload(Pointer host, long bytes, String what) {
        DeviceBuffer b = DeviceBuffer.allocate(bytes, what);
        try {
            Cuda.check(cuMemcpyHtoD(b.ptr, host, bytes), "cuMemcpyHtoD", what + ", " + bytes + " bytes");
            return b;
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
    }

    private DeviceBuffer keep(DeviceBuffer b) {
        buffers.add(b);
        return b;
    }

    /**
     * Adds the {@code count} rows at {@code x} (float64, D wide, shifted like the uploaded means) with their
     * weights at {@code w} (null: 1 each), block by block; enqueued on stream 0 (the caller syncs before reusing x).
     */
    void rows(CUdeviceptr x, CUdeviceptr w, long count) {
        for (long r0 = 0; r0 < count; r0 += in.blockRows) {
            int n = (int) Math.min(in.blockRows, count - r0);
            CUdeviceptr xb = x.withByteOffset(r0 * in.d * 8);
            CUdeviceptr wb = w == null ? null : w.withByteOffset(r0 * 8);
            logDensities.launch(logDensityKernel, xb, n, tileRows, in.d, in.k, 8, params, lp.ptr);
            block(xb, wb, n);
        }
    }

    private void block(CUdeviceptr x, CUdeviceptr w, int n) {
        Pointer wArg = Pointer.to(w == null ? new CUdeviceptr() : w);   // a null device pointer: every weight 1
        int stride = in.blockRows;
        launch(KernelNames.INFO_SCORES, blocks(n, LaunchConfig.INFO_SCORE_THREADS), LaunchConfig.INFO_SCORE_THREADS,
                Pointer.to(Pointer.to(x), wArg, ints(n), ints(in.d), ints(in.k), ints(in.size), ints(in.maxSupport),
                        ints(stride), params.meansArg(), lambda.arg(), weights.arg(), support.arg(),
                        supportLength.arg(), directionAt.arg(), direction.arg(), ints(in.directions), lp.arg(),
                        a.arg(), g.arg(), s.arg()));
        int tile = LaunchConfig.INFO_TILE;
        for (int c = 0; c < in.k; c++) {
            launch(KernelNames.INFO_COMPONENT_OUTER, upperTiles(in.supportLengths[c]), tile * tile, Pointer.to(a.arg(), g.arg(), ints(c),
                    ints(n), ints(in.maxSupport), ints(stride), support.arg(), supportLength.arg(), ints(in.size),
                    out.arg()));
        }
        launch(KernelNames.INFO_CROSS_OUTER, upperTiles(in.size), tile * tile, Pointer.to(s.arg(), wArg, ints(n), ints(stride),
                ints(in.size), out.arg()));
        launch(KernelNames.INFO_SCORE_SUM, blocks(in.size, LaunchConfig.INFO_SCORE_THREADS),
                LaunchConfig.INFO_SCORE_THREADS, Pointer.to(s.arg(), wArg, ints(n), ints(stride), ints(in.size),
                        score.arg()));
    }

    private void launch(String kernel, int grid, int threads, Pointer args) {
        Cuda.check(cuLaunchKernel(module.function(kernel), grid, 1, 1, threads, 1, 1, 0, ctx.stream(0), args, null), "cuLaunchKernel(" + kernel + ")", "P=" + in.size + ", K=" + in.k + ", D=" + in.d);
    }

    private static Pointer ints(int v) {
        return Pointer.to(new int[] {v});
    }

    /** Tiles on or above the diagonal of an m x m matrix in 16 x 16 tiles: one block each. */
    private static int upperTiles(int m) {
        int t = blocks(m, LaunchConfig.INFO_TILE);
        return t * (t + 1) / 2;
    }

    private static int blocks(int n, int per) {
        return Math.max(1, (n + per - 1) / per);
    }

    /** Waits for stream 0 and reads the outputs back. */
    RowInformation result() {
        ctx.sync(0, "the information's rows term");
        double[] outer = new double[in.size * in.size];
        double[] total = new double[in.size];
        Cuda.check(cuMemcpyDtoH(Pointer.to(outer), out.ptr, 8L * outer.length), "cuMemcpyDtoH",
                "the information's rows term");
        Cuda.check(cuMemcpyDtoH(Pointer.to(total), score.ptr, 8L * total.length), "cuMemcpyDtoH", "the score");
        return new RowInformation(in.layout, outer, total);
    }

    /** Frees every buffer (after the stream's work: the caller's sync or {@link #result}). */
    @Override
    public void close() {
        ctx.synchronizeQuietly();
        for (int i = buffers.size() - 1; i >= 0; i--) {
            ctx.closeQuietly(buffers.get(i), "an information buffer");
        }
        buffers.clear();
    }
}
