package io.gaussmix.backend.cuda;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.DeviceException;
import io.gaussmix.backend.DeviceRows;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.RowSource;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.RowInformation;
import io.gaussmix.math.SufficientStats;

import java.util.function.Consumer;

/**
 * The E-step on one NVIDIA GPU through the CUDA driver API. Float32 by default (float64 on request);
 * statistics are accumulated in float64 per block and reduced in a fixed order, so repeated passes
 * are bit-identical. Confined to one thread at a time; every public entry makes the backend's
 * context (the device's primary context) current on the calling thread.
 *
 * <p>A coordinator: {@link CudaContext} (device, context, streams), {@link CudaModule} (the PTX),
 * {@link CudaData} (rows, resident or streamed), {@link CudaParams} (parameter upload),
 * {@link CudaAccumulator} (the fused pass) and {@link CudaLogDensities}.
 */
public final class CudaBackend implements Backend {
    private final Precision precision;
    private final long dataBudget;
    private final Consumer<String> notes;
    private final CudaContext ctx;
    private final CudaModule module;
    private final CudaParams params;
    final CudaAccumulator accumulator;
    private final CudaLogDensities logDensities;
    private final String description;
    /** Tests set this to run FULL and TIED through the simple kernels (normally only for very large K). */
    boolean simpleKernelsOnly;
    /** The tiled kernel for FULL and TIED, read once when the backend opens (tests may set it). */
    TiledKernel tiledKernel;
    /** The float32 DIAG/SPHERICAL kernel, read once when the backend opens (tests may set it). */
    DiagKernel diagKernel;

    /**
     * Opens device {@code index} (use {@link CudaProvider#open}, which checks availability first).
     *
     * @param dataBudget at most this many device bytes are planned for rows (tests force streaming
     *                   with a small value); Long.MAX_VALUE = the free memory
     * @param notes      receives what the caller should know (streaming, failures while freeing)
     */
    CudaBackend(int index, Precision precision, long dataBudget, Consumer<String> notes) {
        this.precision = precision == null ? Precision.FLOAT32 : precision;
        this.dataBudget = dataBudget;
        this.notes = notes;
        tiledKernel = TiledKernel.fromProperty();
        diagKernel = DiagKernel.fromProperty();
        ctx = new CudaContext(index, notes);
        try {
            module = new CudaModule(ctx.driverVersion);
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
        params = new CudaParams(this.precision);
        accumulator = new CudaAccumulator(ctx, module);
        logDensities = new CudaLogDensities(ctx, module);
        description = "cuda: " + ctx.deviceDescription + ", " + this.precision.id();
    }

    /** Without notes (tests). */
    CudaBackend(int index, Precision precision, long dataBudget) {
        this(index, precision, dataBudget, note -> { });
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public Backend reopen(Precision p) {
        return new CudaBackend(ctx.index, p, dataBudget, notes);
    }

    @Override
    public String description() {
        return description;
    }

    /** Free device memory in bytes, for the leak tests. */
    long freeBytes() {
        ctx.ensureOpen();
        return ctx.freeBytes();
    }

    /**
     * Reads the source once for the column means, then plans: resident rows are uploaded in slices
     * now; streamed rows are read from the source again, chunk by chunk, in every pass.
     */
    @Override
    public LoadedData load(RowSource rows, RowSource sampleWeights) {
        ctx.ensureOpen();
        return CudaData.load(ctx, DeviceRows.of(rows, sampleWeights), precision, dataBudget);
    }

    @Override
    public SufficientStats accumulate(LoadedData data, MixtureParams p) {
        ctx.ensureOpen();
        return accumulator.accumulate(own(data, p), p, params, simpleKernelsOnly, tiledKernel, diagKernel);
    }

    @Override
    public void logDensities(LoadedData data, MixtureParams p, double[] out) {
        ctx.ensureOpen();
        logDensities.compute(own(data, p), p, params, out);
    }

    /**
     * In float64 on the GPU ({@link CudaInformationPass}, {@code information.cuh}): per block of rows the
     * backend's log densities, the per-row scores, then the components' support blocks and the dense cross term
     * as 16 x 16 tiled outer products into one P x P output. A float32 backend takes the host default.
     */
    @Override
    public RowInformation rowInformation(LoadedData data, MixtureParams p) {
        ctx.ensureOpen();
        CudaData dd = own(data, p);
        if (precision != Precision.FLOAT64) {
            return Backend.super.rowInformation(data, p);
        }
        int tileRows = LaunchConfig.simpleTileRows(p.dimensions(), p.components(), 8);
        if (tileRows < 1) {
            throw new DeviceException("D=" + p.dimensions() + " and K=" + p.components()
                    + " need more shared memory per row than the CUDA kernels allow");
        }
        params.upload(p, dd.rows);
        try (CudaInformationPass pass = new CudaInformationPass(ctx, module, logDensities, params, p, tileRows)) {
            if (dd.resident) {
                pass.rows(dd.x.ptr, dd.w == null ? null : dd.w.ptr, dd.n);
            } else {
                for (long off = 0; off < dd.n; off += dd.chunkRows) {
                    long rows = Math.min(dd.chunkRows, dd.n - off);
                    dd.stage(0, off, rows);   // the previous chunk's work was waited for below
                    dd.upload(0, off, rows, ctx.stream(0));
                    pass.rows(dd.chunkX[0].ptr, dd.weighted ? dd.chunkW[0].ptr : null, rows);
                    ctx.sync(0, "the information's rows term");
                }
            }
            return pass.result();
        }
    }

    private CudaData own(LoadedData data, MixtureParams p) {
        if (!(data instanceof CudaData) || ((CudaData) data).owner != ctx) {
            throw new IllegalArgumentException("data was not loaded by this CUDA backend");
        }
        CudaData dd = (CudaData) data;
        if (dd.isClosed()) {
            throw new IllegalStateException("the loaded data is closed");
        }
        if (p.dimensions() != dd.d) {
            throw new IllegalArgumentException("parameters have D=" + p.dimensions() + " but the data has " + dd.d + " columns");
        }
        long kdd = (long) p.components() * p.dimensions() * p.dimensions();
        if (kdd > Integer.MAX_VALUE / 2) {
            throw new DeviceException("K*D*D = " + kdd + " is too large for the CUDA kernels (int indexing)");
        }
        return dd;
    }

    /** Frees everything in reverse order of creation and releases the primary context; idempotent. */
    @Override
    public void close() {
        if (ctx.isClosed()) {
            return;
        }
        try {
            ctx.makeCurrent();
            ctx.synchronizeQuietly();
        } catch (RuntimeException e) {
            ctx.note("closing " + description + ": " + e.getMessage());
        }
        ctx.closeQuietly(logDensities, "the log-density slice");
        ctx.closeQuietly(accumulator, "the partial statistics");
        ctx.closeQuietly(params, "the parameters");
        ctx.closeQuietly(module, "the kernel module");
        ctx.close();
    }
}
