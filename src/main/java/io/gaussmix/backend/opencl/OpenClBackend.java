package io.gaussmix.backend.opencl;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.backend.CovarianceCodes;
import io.gaussmix.backend.DeviceException;
import io.gaussmix.backend.DeviceRows;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.PackedStats;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.RowSource;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.RowInformation;
import io.gaussmix.math.SufficientStats;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The OpenCL backend: the fused pass of {@code estep.cl} on one device, in float32 (default) or
 * float64 (devices with cl_khr_fp64). Partial sums are kept in double where the device has fp64,
 * else in Kahan-compensated float; they are reduced in a fixed order with no atomics, so repeated
 * passes give bit-identical statistics. Rows stay on the device between passes when they fit
 * (see {@link ClMemoryPlan}); otherwise every pass streams them through two chunk buffers.
 */
public final class OpenClBackend implements Backend {
    private static final String SOURCE = "estep.cl";
    private static final String INFORMATION_SOURCE = "information.cl";
    /** Rows per work-group (tile) at most: 64 keeps the local tile small on every device; streamed chunks align to it. */
    private static final int MAX_TILE = (int) ClMemoryPlan.CHUNK_ALIGN;
    /** Local memory kept free for the implementation's own use. */
    private static final long LOCAL_RESERVE = 512;

    private final ClDevice device;
    private final Precision precision;
    private final long maxDataBytes;
    private final boolean accumulateInDouble;
    private final cl_context context;
    private final cl_command_queue queue;
    private final Map<Boolean, ClProgram> programs = new HashMap<>();
    /** information.cl, built on the first rowInformation. */
    private ClProgram informationProgram;
    private final Consumer<String> notes;
    private ClMemoryPlan lastPlan;
    private long lastRows;
    private boolean closed;
    /** Test knobs: the local memory to plan with (0 = the device's) and a simulated allocation limit (0 = none). */
    private long localMemoryOverride;
    private long allocationLimitBytes;

    /**
     * @param maxDataBytes       when positive, the most device bytes the rows may take (tests force streaming with it)
     * @param accumulateInDouble partial sums in double (needs fp64); false uses Kahan-compensated float
     * @param notes              receives what the caller should know (streaming plans, allocation fallbacks)
     */
    OpenClBackend(ClDevice device, Precision precision, long maxDataBytes, boolean accumulateInDouble,
                  Consumer<String> notes) {
        if (precision == Precision.FLOAT64 && !device.fp64()) {
            throw new BackendUnavailableException("OpenCL device '" + device.name()
                    + "' has no cl_khr_fp64, so float64 is unavailable on it; use float32");
        }
        if (accumulateInDouble && !device.fp64()) {
            throw new IllegalArgumentException("double accumulation needs cl_khr_fp64");
        }
        this.device = device;
        this.precision = precision;
        this.maxDataBytes = maxDataBytes;
        this.accumulateInDouble = accumulateInDouble;
        this.notes = notes;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, device.platform());
        int[] err = new int[1];
        this.context = CL.clCreateContext(props, 1, new cl_device_id[] {device.id()}, null, null, err);
        Cl.check(err[0], "clCreateContext", "opening device " + device.name());
        @SuppressWarnings("deprecation") // clCreateCommandQueue also works on OpenCL 1.2 platforms
        cl_command_queue q = CL.clCreateCommandQueue(context, device.id(), 0, err);
        if (err[0] != CL.CL_SUCCESS) {
            CL.clReleaseContext(context);
            Cl.check(err[0], "clCreateCommandQueue", "opening device " + device.name());
        }
        this.queue = q;
        if (!accumulateInDouble) {
            notes.accept("OpenCL device '" + device.name() + "' has no fp64: partial sums in Kahan-compensated float");
        }
    }

    /** Opens the device in the given precision, accumulating in double when the device has fp64. */
    static OpenClBackend open(ClDevice device, Precision precision, Consumer<String> notes) {
        return new OpenClBackend(device, precision, 0, device.fp64(), notes);
    }

    @Override
    public String description() {
        String s = "opencl: " + device.name() + " (" + device.platformName() + "), " + precision.id();
        return lastPlan != null && !lastPlan.resident() ? s + ", " + lastPlan.describe(lastRows) : s;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public Backend reopen(Precision p) {
        return open(device, p, notes);
    }

    /** Plans tiles as if the device had only {@code bytes} of local memory (tests reach the global-factor path). */
    void setLocalMemoryBudget(long bytes) {
        this.localMemoryOverride = bytes;
    }

    /** Makes every row buffer larger than {@code bytes} fail as CL_MEM_OBJECT_ALLOCATION_FAILURE (tests the fallback). */
    void setAllocationLimit(long bytes) {
        this.allocationLimitBytes = bytes;
    }

    private boolean f64() {
        return precision == Precision.FLOAT64;
    }

    /**
     * Reads the source once for the column means, then plans: resident rows are uploaded in pieces
     * now; streamed rows are read from the source again, chunk by chunk, in every pass.
     */
    @Override
    public LoadedData load(RowSource source, RowSource sampleWeights) {
        ensureOpen();
        DeviceRows rows = DeviceRows.of(source, sampleWeights);
        long n = rows.rows();
        ClMemoryPlan plan = ClMemoryPlan.of(n, rows.cols(), precision.elementBytes(), device.globalMemBytes(),
                device.maxAllocBytes(), maxDataBytes);
        while (true) {
            try {
                DeviceData data = DeviceData.load(context, queue, rows, plan, precision, allocationLimitBytes);
                lastPlan = plan;
                lastRows = n;
                notes.accept("OpenCL device '" + device.name() + "': " + plan.describe(n));
                return data;
            } catch (ClCallException e) {
                if (!e.isOutOfMemory() || (!plan.resident() && !plan.canHalve())) {
                    throw e;
                }
                notes.accept("OpenCL device '" + device.name() + "': allocation failed for " + plan.describe(n)
                        + " (" + e.getMessage() + "); retrying smaller");
                // Resident failed: stream with half the rows' bytes as the budget; streaming failed: halve the chunk.
                plan = plan.resident() ? ClMemoryPlan.of(n, rows.cols(), precision.elementBytes(), device.globalMemBytes(),
                        device.maxAllocBytes(), Math.max(1, n * plan.bytesPerRow() / 2)) : plan.halved();
            }
        }
    }

    @Override
    public SufficientStats accumulate(LoadedData loaded, MixtureParams p) {
        DeviceData data = checked(loaded, p);
        int k = p.components();
        int d = p.dimensions();
        int stride = Math.toIntExact(PackedStats.length(CovarianceType.of(p.type()), k, d));
        if (data.rows() == 0) {
            return PackedStats.unpack(new double[stride], CovarianceType.of(p.type()), k, d, data.rows.totalWeight());
        }
        Shape shape = shape(p, "accumulate_stats");
        int accBytes = accumulateInDouble ? 8 : 4;
        int copies = accumulateInDouble ? 1 : 2; // float sums carry their Kahan compensations
        // One set of partials for the whole pass, from N and the tile alone: streamed chunks start on
        // tile boundaries, so every tile is added into the same group's partial in the same order as
        // when the rows are resident, and the statistics are the same bits.
        int groups = (int) Math.min(Math.max(1, 4 * device.computeUnits()), ceilDiv(data.rows(), shape.tile));
        double[] totals;
        try (DeviceParams dp = DeviceParams.upload(context, p, data.rows, f64());
             ClMem partial = ClMem.allocate(context, CL.CL_MEM_READ_WRITE | CL.CL_MEM_COPY_HOST_PTR,
                     (long) groups * stride * accBytes * copies, zeros(groups * stride * copies), "partial sums");
             ClMem total = ClMem.allocate(context, CL.CL_MEM_READ_WRITE | CL.CL_MEM_COPY_HOST_PTR,
                     (long) stride * accBytes * copies, zeros(stride * copies), "totals")) {
            cl_kernel acc = shape.program.kernel("accumulate_stats");
            cl_kernel reduce = shape.program.kernel("reduce_partials");
            int elementBytes = precision.elementBytes();
            data.forEachChunk(queue, (slot, first, rows) -> {
                new KernelArgs(acc, "accumulate_stats").mem(data.x[slot]).mem(data.w[slot]).int32(rows)
                        .int64(first / shape.tile).int32(d)
                        .int32(k).int32(CovarianceCodes.of(p.type())).mem(dp.means).mem(dp.factors).int32(dp.factorLength)
                        .mem(dp.constants).mem(partial).int32(stride)
                        .local((long) shape.tile * d * elementBytes).local((long) shape.tile * k * elementBytes)
                        .local((long) shape.tile * elementBytes).local(shape.factorsLocal ? (long) dp.factorLength * elementBytes : 0);
                run(acc, "accumulate_stats", (long) groups * shape.tile, shape.tile);
            });
            new KernelArgs(reduce, "reduce_partials").mem(partial).int32(groups).int32(stride).mem(total);
            run(reduce, "reduce_partials", ceilDiv(stride, 64) * 64, 0);
            totals = readTotals(total, stride);
        }
        return PackedStats.unpack(totals, CovarianceType.of(p.type()), k, d, data.rows.totalWeight());
    }

    private double[] readTotals(ClMem total, int stride) {
        double[] out = new double[stride];
        if (accumulateInDouble) {
            Cl.check(CL.clEnqueueReadBuffer(queue, total.mem, true, 0, (long) stride * 8, Pointer.to(out), 0, null,
                    null), "clEnqueueReadBuffer", "reading the statistics");
            return out;
        }
        float[] f = new float[2 * stride];
        Cl.check(CL.clEnqueueReadBuffer(queue, total.mem, true, 0, (long) f.length * 4, Pointer.to(f), 0, null, null),
                "clEnqueueReadBuffer", "reading the statistics");
        for (int e = 0; e < stride; e++) {
            out[e] = (double) f[e] - f[stride + e]; // sum minus its Kahan compensation
        }
        return out;
    }

    @Override
    public void logDensities(LoadedData loaded, MixtureParams p, double[] out) {
        DeviceData data = checked(loaded, p);
        int k = p.components();
        long n = data.rows();
        if (out.length != n * k) {
            throw new IllegalArgumentException("out holds " + out.length + " values, expected N*K = " + n + "*" + k);
        }
        if (n == 0) {
            return;
        }
        Shape shape = shape(p, "log_densities");
        int elementBytes = precision.elementBytes();
        long windowBytes = Math.min(device.maxAllocBytes(), 64L << 20);
        int window = (int) Math.max(1, Math.min(data.plan.chunkRows(), windowBytes / ((long) k * elementBytes)));
        ByteBuffer host = ByteBuffer.allocateDirect(window * k * elementBytes).order(ByteOrder.nativeOrder());
        try (DeviceParams dp = DeviceParams.upload(context, p, data.rows, f64());
             ClMem result = ClMem.allocate(context, CL.CL_MEM_WRITE_ONLY, (long) window * k * elementBytes, null,
                     "log densities")) {
            data.forEachChunk(queue, (slot, first, rows) -> {
                // A resident buffer is read in windows; a streamed chunk is never larger than one window.
                for (int from = 0; from < rows; from += window) {
                    int count = Math.min(window, rows - from);
                    long bufferFirst = data.plan.resident() ? first + from : from;
                    enqueueLogDensities(shape, p, dp, data.x[slot], bufferFirst, count, result);
                    Cl.check(CL.clEnqueueReadBuffer(queue, result.mem, true, 0, (long) count * k * elementBytes,
                            Pointer.to(host), 0, null, null), "clEnqueueReadBuffer", "reading log densities");
                    int o = Math.toIntExact((first + from) * k);
                    for (int i = 0; i < count * k; i++) {
                        out[o + i] = elementBytes == 8 ? host.getDouble(i * 8) : host.getFloat(i * 4);
                    }
                }
            });
        }
    }

    /** Enqueues log_densities for rows [bufferFirst, bufferFirst + count) of buffer x into result (count x K). */
    private void enqueueLogDensities(Shape shape, MixtureParams p, DeviceParams dp, ClMem x, long bufferFirst, int count,
                                     ClMem result) {
        int k = p.components();
        int elementBytes = precision.elementBytes();
        cl_kernel kernel = shape.program.kernel("log_densities");
        new KernelArgs(kernel, "log_densities").mem(x).int64(bufferFirst).int32(count)
                .int32(p.dimensions()).int32(k).int32(CovarianceCodes.of(p.type())).mem(dp.means).mem(dp.factors)
                .int32(dp.factorLength).mem(dp.constants).mem(result)
                .local((long) shape.tile * p.dimensions() * elementBytes).local((long) shape.tile * k * elementBytes)
                .local((long) shape.tile * elementBytes)
                .local(shape.factorsLocal ? (long) dp.factorLength * elementBytes : 0);
        run(kernel, "log_densities", ceilDiv(count, shape.tile) * shape.tile, shape.tile);
    }

    /**
     * In float64 on the device ({@link ClInformationPass}, {@code information.cl}): per block of rows the
     * backend's own log densities, the per-row scores, then the components' support blocks and the dense cross
     * term as tiled outer products into one P x P output. A float32 backend, or a device whose work-groups
     * cannot hold one 16 x 16 tile, takes the host default.
     */
    @Override
    public RowInformation rowInformation(LoadedData loaded, MixtureParams p) {
        DeviceData data = checked(loaded, p);
        if (!f64()) {
            return Backend.super.rowInformation(loaded, p);
        }
        ClProgram program = informationProgram();
        int group = ClInformationPass.TILE * ClInformationPass.TILE;
        if (program.maxWorkGroupSize("info_cross_outer") < group
                || program.maxWorkGroupSize("info_component_outer") < group) {
            notes.accept("OpenCL device '" + device.name() + "' runs no " + group
                    + "-item work-groups: the information's rows term runs on the host");
            return Backend.super.rowInformation(loaded, p);
        }
        Shape shape = shape(p, "log_densities");
        try (DeviceParams dp = DeviceParams.upload(context, p, data.rows, true);
             ClInformationPass pass = new ClInformationPass(context, queue, program, p)) {
            int block = pass.blockRows();
            data.forEachChunk(queue, (slot, first, rows) -> {
                for (int from = 0; from < rows; from += block) {
                    int count = Math.min(block, rows - from);
                    long bufferFirst = data.plan.resident() ? first + from : from;
                    enqueueLogDensities(shape, p, dp, data.x[slot], bufferFirst, count, pass.logDensities);
                    pass.block(data.x[slot], data.w[slot], dp.means, bufferFirst, count);
                }
            });
            return pass.result();
        }
    }

    private ClProgram informationProgram() {
        if (informationProgram == null) {
            informationProgram = compile(ClProgram.source(INFORMATION_SOURCE), "", INFORMATION_SOURCE);
        }
        return informationProgram;
    }

    private void run(cl_kernel kernel, String name, long global, long local) {
        Cl.check(CL.clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {global},
                local > 0 ? new long[] {local} : null, 0, null, null), "clEnqueueNDRangeKernel",
                "running " + name + " with " + global + " work-items" + (local > 0 ? " in groups of " + local : ""));
    }

    /** A program variant and the tile (= work-group) size for one parameter shape. */
    record Shape(ClProgram program, int tile, boolean factorsLocal) {
    }

    /**
     * Picks the tile: the largest power of two up to 64 whose local arrays (rows, log densities,
     * log-sum-exps) fit in local memory, then puts the factors in local memory if they fit beside it.
     */
    Shape shape(MixtureParams p, String kernel) {
        int elementBytes = precision.elementBytes();
        long budget = (localMemoryOverride > 0 ? localMemoryOverride : device.localMemBytes()) - LOCAL_RESERVE;
        long perRow = (long) (p.dimensions() + p.components() + 1) * elementBytes;
        int tile = Integer.highestOneBit((int) Math.min(MAX_TILE, device.maxWorkGroupSize()));
        while (tile > 1 && tile * perRow > budget) {
            tile /= 2;
        }
        if (tile * perRow > budget) {
            throw new DeviceException("K=" + p.components() + ", D=" + p.dimensions() + " needs " + perRow
                    + " bytes of local memory per row, more than the " + (budget + LOCAL_RESERVE) + " of " + device.name());
        }
        boolean factorsLocal = tile * perRow + (long) p.precisionCholesky().length * elementBytes <= budget;
        ClProgram program = program(factorsLocal);
        long kernelMax = program.maxWorkGroupSize(kernel);
        while (tile > 1 && tile > kernelMax) {
            tile /= 2;
        }
        return new Shape(program, tile, factorsLocal);
    }

    private ClProgram program(boolean factorsLocal) {
        ClProgram program = programs.get(factorsLocal);
        if (program == null) {
            String options = (f64() ? "-DREAL_DOUBLE " : "") + (accumulateInDouble ? "-DACC_DOUBLE " : "")
                    + (factorsLocal ? "-DFACTORS_LOCAL" : "");
            program = compile(ClProgram.source(SOURCE), options.trim(), SOURCE);
            programs.put(factorsLocal, program);
        }
        return program;
    }

    /** Builds a program on this backend's device (package-private so tests can build broken sources). */
    ClProgram compile(String source, String options, String name) {
        ensureOpen();
        return ClProgram.build(context, device.id(), source, options, name);
    }

    private DeviceData checked(LoadedData loaded, MixtureParams p) {
        ensureOpen();
        if (!(loaded instanceof DeviceData)) {
            throw new IllegalArgumentException("data was not loaded by an OpenCL backend");
        }
        if (loaded.cols() != p.dimensions()) {
            throw new IllegalArgumentException("data has " + loaded.cols() + " columns, parameters have D="
                    + p.dimensions());
        }
        return (DeviceData) loaded;
    }

    private Pointer zeros(int n) {
        return accumulateInDouble ? Pointer.to(new double[n]) : Pointer.to(new float[n]);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the OpenCL backend is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (ClProgram program : programs.values()) {
                program.close();
            }
            programs.clear();
            if (informationProgram != null) {
                informationProgram.close();
            }
        } finally {
            int q = CL.clReleaseCommandQueue(queue);
            int c = CL.clReleaseContext(context);
            Cl.check(q, "clReleaseCommandQueue", "closing the OpenCL backend");
            Cl.check(c, "clReleaseContext", "closing the OpenCL backend");
        }
    }
}
