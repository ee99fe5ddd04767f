package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.DeviceRows;
import io.gaussmix.backend.Precision;
import io.gaussmix.math.MixtureParams;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

/**
 * The register-tiled DIAG/SPHERICAL pass ({@link DiagKernel#TILED}, float32; kernels/cuda/estep_diag_tiled.cuh).
 * A row block is cut into slices of at most {@link #sliceRows} rows; per slice three launches on one stream:
 * the log densities into the responsibility buffer (rows x K), the responsibilities in place with each
 * 256-row tile's log-likelihood, then the statistics into the partials, where tile t of the pass goes to
 * partial t mod {@link StatsLaunch#blocks}. Slices are whole tiles, so any slicing (and any streaming
 * chunk size) adds the same values in the same order. Owns the buffers the launches share, kept between
 * passes and grown when a pass needs more.
 */
final class DiagTiledPass implements AutoCloseable {
    /** The responsibility buffer takes at most this much (and at most a sixteenth of the device's memory). */
    static final long MAX_BUFFER_BYTES = 1L << 30;
    /** Slices stay within the log-density launch's grid (rows / 128 blocks in y, at most 65535). */
    static final long MAX_SLICE_ROWS = 1L << 22;

    private final CudaContext ctx;
    private final CudaModule module;
    /** Rows per slice at most, when positive (tests set it to run several slices per chunk). */
    long sliceRowsLimit;
    private DeviceBuffer factors;
    private DeviceBuffer shiftedFactors;
    private DeviceBuffer responsibilities;
    private DeviceBuffer tileLogLikelihoods;

    DiagTiledPass(CudaContext ctx, CudaModule module) {
        this.ctx = ctx;
        this.module = module;
    }

    /** Whether a pass of this type and precision runs here under {@code choice}. */
    static boolean runs(CovarianceType type, Precision precision, DiagKernel choice) {
        return choice == DiagKernel.TILED && precision == Precision.FLOAT32
                && (type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL);
    }

    /** Partials for K components and D features: enough statistics blocks for two per SM. */
    static int wantedPartials(int k, int d, int smCount) {
        long blocksPerPartial = (long) ceilDiv(k, LaunchConfig.DIAG_TILE) * ceilDiv(d, LaunchConfig.DIAG_COLS);
        return (int) Math.max(1, ceilDiv(2L * smCount, blocksPerPartial));
    }

    /**
     * Uploads the per-component operands of the log densities, depth-major (D x K): the precision factor
     * p_cj (a DIAG factor's entry, or a SPHERICAL factor for every j) and -mu_cj p_cj, formed in float64
     * from the shifted means and rounded once. The means and constants come from {@link CudaParams}.
     */
    void upload(MixtureParams p, DeviceRows rows) {
        int k = p.components();
        int d = p.dimensions();
        double[] mu = rows.shiftedMeans(p);
        double[] u = p.precisionCholesky();
        boolean spherical = CovarianceType.of(p.type()) == CovarianceType.SPHERICAL;
        float[] pf = new float[k * d];
        float[] nmp = new float[k * d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                double f = spherical ? u[c] : u[c * d + j];
                pf[j * k + c] = (float) f;
                nmp[j * k + c] = (float) (-mu[c * d + j] * f);
            }
        }
        factors = upload(factors, pf, "diagonal precision factors");
        shiftedFactors = upload(shiftedFactors, nmp, "means times factors");
    }

    private static DeviceBuffer upload(DeviceBuffer buf, float[] values, String what) {
        long bytes = (long) values.length * 4;
        buf = DeviceBuffer.atLeast(buf, bytes, what);
        Cuda.check(cuMemcpyHtoD(buf.ptr, Pointer.to(values), bytes), "cuMemcpyHtoD", what + ", " + bytes + " bytes");
        return buf;
    }

    /** Rows per slice for a block of n rows: whole statistics tiles, as many as the responsibility buffer allows. */
    long sliceRows(long n, int k) {
        long tile = LaunchConfig.DIAG_STATS_ROWS;
        long budget = Math.min(MAX_BUFFER_BYTES, ctx.totalBytes / 16);
        long rows = Math.min(MAX_SLICE_ROWS, budget / (4L * k)) / tile * tile;
        if (sliceRowsLimit > 0) {
            rows = Math.min(rows, sliceRowsLimit / tile * tile);
        }
        return Math.max(tile, Math.min(rows, ceilDiv(n, tile) * tile));
    }

    /**
     * Adds the statistics of n rows at x (weights w, null = unit), the pass's tiles from
     * {@code firstTile} on, into the partials of {@code launch}; kernels queued on {@code stream}.
     */
    void launch(CUstream stream, CUdeviceptr x, CUdeviceptr w, long n, long firstTile, StatsLaunch launch,
                CudaParams params, CUdeviceptr partials) {
        int k = launch.k;
        int d = launch.d;
        long slice = sliceRows(n, k);
        responsibilities = DeviceBuffer.atLeast(responsibilities, slice * k * 4, "responsibilities");
        tileLogLikelihoods = DeviceBuffer.atLeast(tileLogLikelihoods, slice / LaunchConfig.DIAG_STATS_ROWS * 8,
                "tile log-likelihoods");
        int componentTiles = ceilDiv(k, LaunchConfig.DIAG_TILE);
        int featureTiles = ceilDiv(d, LaunchConfig.DIAG_COLS);
        for (long off = 0; off < n; off += slice) {
            long rows = Math.min(slice, n - off);
            CUdeviceptr xs = x.withByteOffset(off * d * 4);
            CUdeviceptr ws = w == null ? new CUdeviceptr() : w.withByteOffset(off * 4);   // NULL = unit weights
            long tile = firstTile + off / LaunchConfig.DIAG_STATS_ROWS;
            String what = launch.describe(rows) + ", rows " + off + ".." + (off + rows) + " of the block";
            run(KernelNames.DIAG_LOGDENS, componentTiles, (int) ceilDiv(rows, LaunchConfig.DIAG_TILE), 1, stream, what,
                    Pointer.to(xs), Pointer.to(new long[] {rows}), Pointer.to(new int[] {d}), Pointer.to(new int[] {k}),
                    factors.arg(), shiftedFactors.arg(), params.constantsArg(), responsibilities.arg());
            run(KernelNames.DIAG_RESPONSIBILITIES, (int) ceilDiv(rows, LaunchConfig.DIAG_STATS_ROWS), 1, 1, stream, what,
                    responsibilities.arg(), Pointer.to(new long[] {rows}), Pointer.to(new int[] {k}), Pointer.to(ws),
                    tileLogLikelihoods.arg());
            run(KernelNames.DIAG_STATS, componentTiles, featureTiles, launch.blocks, stream, what,
                    Pointer.to(xs), responsibilities.arg(), Pointer.to(new long[] {rows}), Pointer.to(new long[] {tile}),
                    Pointer.to(new int[] {d}), Pointer.to(new int[] {k}), params.meansArg(), tileLogLikelihoods.arg(),
                    Pointer.to(partials), Pointer.to(new int[] {launch.stride}));
        }
    }

    private void run(String kernel, int gx, int gy, int gz, CUstream stream, String what, Pointer... args) {
        Cuda.check(cuLaunchKernel(module.function(kernel), gx, gy, gz, LaunchConfig.DIAG_THREADS, 1, 1, 0, stream,
                Pointer.to(args), null), "cuLaunchKernel(" + kernel + ")", what);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    @Override
    public void close() {
        try (DeviceBuffer f = factors; DeviceBuffer s = shiftedFactors; DeviceBuffer r = responsibilities;
             DeviceBuffer t = tileLogLikelihoods) {
            factors = shiftedFactors = responsibilities = tileLogLikelihoods = null;
        }
    }
}
