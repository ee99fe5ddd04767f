package io.gaussmix.backend.cuda;

import io.gaussmix.backend.DeviceException;
import io.gaussmix.backend.DeviceRows;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.RowSource;
import jcuda.Pointer;
import jcuda.driver.CUstream;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;

/**
 * Rows loaded by {@link CudaBackend#load}, shifted and converted by {@link DeviceRows}. Resident:
 * one device buffer for all rows (and one for the weights), uploaded in slices. Streaming: every
 * pass reads the rows from the source again, chunk by chunk, into two pinned staging buffers
 * (double buffering: the host fills one while the other's copy runs) and two device buffers; the
 * host never holds all N rows.
 */
final class CudaData implements LoadedData {
    /** Values per host-side conversion slice when uploading resident data. */
    private static final int UPLOAD_SLICE_ELEMENTS = 1 << 22;

    final CudaContext owner;
    final DeviceRows rows;
    final Precision precision;
    final long n;
    final int d;
    final boolean weighted;
    final boolean resident;
    final long chunkRows;

    /** Resident buffers (null when streaming; w null without weights). */
    DeviceBuffer x;
    DeviceBuffer w;

    /** Streaming: one staging buffer and one device buffer per stream (the weight ones only when weighted). */
    final PinnedBuffer[] pinnedX = new PinnedBuffer[2];
    final PinnedBuffer[] pinnedW = new PinnedBuffer[2];
    final DeviceBuffer[] chunkX = new DeviceBuffer[2];
    final DeviceBuffer[] chunkW = new DeviceBuffer[2];
    private boolean closed;

    private CudaData(CudaContext owner, DeviceRows rows, Precision precision, CudaMemoryPlan plan) {
        this.owner = owner;
        this.rows = rows;
        this.precision = precision;
        this.n = rows.rows();
        this.d = rows.cols();
        this.weighted = rows.weighted();
        this.resident = plan.resident();
        this.chunkRows = plan.resident() ? n : Math.min(plan.chunkRows(), Math.max(n, 1));
    }

    /**
     * Plans from the free memory (at most {@code dataBudget}), then allocates: resident if that
     * works, else streaming buffers, halving the chunk on every out-of-memory error.
     */
    static CudaData load(CudaContext ctx, DeviceRows rows, Precision precision, long dataBudget) {
        long n = rows.rows();
        int d = rows.cols();
        CudaMemoryPlan plan;
        try {
            plan = CudaMemoryPlan.of(Math.min(ctx.freeBytes(), dataBudget), n, d, precision.elementBytes(),
                    rows.weighted());
        } catch (IllegalStateException e) {
            throw new DeviceException(e.getMessage() + " (n=" + n + ", d=" + d + ")");
        }
        CudaData data = null;
        try {
            if (plan.resident()) {
                data = new CudaData(ctx, rows, precision, plan);
                if (data.allocateResident()) {
                    data.uploadResident();
                    ctx.note("CUDA device " + ctx.index + ": " + plan.describe(n));
                    return data;
                }
                data.close();   // out of memory after all: stream instead
                data = null;
                plan = plan.asStreaming();
                ctx.note("CUDA device " + ctx.index + ": the " + n + " x " + d + " rows did not fit after all");
            }
            while (true) {
                if (plan.chunkRows() <= 0) {
                    throw outOfMemory(n, d);
                }
                data = new CudaData(ctx, rows, precision, plan);
                if (data.allocateStreaming()) {
                    ctx.note("CUDA device " + ctx.index + ": " + plan.describe(n));
                    return data;
                }
                data.close();
                data = null;
                if (!plan.canHalve()) {
                    throw outOfMemory(n, d);
                }
                plan = plan.halved();
                ctx.note("CUDA device " + ctx.index + ": out of memory for the streaming buffers, retrying "
                        + plan.describe(n));
            }
        } catch (RuntimeException e) {
            if (data != null) {
                data.close();
            }
            throw e;
        }
    }

    private static DeviceException outOfMemory(long n, int d) {
        return new DeviceException("cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY (streaming buffers for n=" + n
                + ", d=" + d + " do not fit even at " + CudaMemoryPlan.CHUNK_ALIGN + " rows per chunk)");
    }

    private boolean allocateResident() {
        int elementBytes = precision.elementBytes();
        x = DeviceBuffer.tryAllocate((long) n * d * elementBytes, "rows");
        if (x != null && weighted) {
            w = DeviceBuffer.tryAllocate((long) n * elementBytes, "sample weights");
        }
        return x != null && (!weighted || w != null);
    }

    /** Converts and uploads in slices, never holding a converted copy of all rows. */
    private void uploadResident() {
        int elementBytes = precision.elementBytes();
        long sliceRows = Math.max(1, Math.min(n, UPLOAD_SLICE_ELEMENTS / d));
        ByteBuffer xs = direct(sliceRows * d * elementBytes);
        ByteBuffer ws = weighted ? direct(sliceRows * elementBytes) : null;
        for (long r0 = 0; r0 < n; r0 += sliceRows) {
            long r1 = Math.min(n, r0 + sliceRows);
            rows.putRows(r0, r1, xs, precision);
            Cuda.check(cuMemcpyHtoD(x.at(r0 * d * elementBytes), Pointer.to(xs), (r1 - r0) * d * elementBytes),
                    "cuMemcpyHtoD", "rows " + r0 + ".." + r1 + " of " + n);
            if (weighted) {
                rows.putWeights(r0, r1, ws, precision);
                Cuda.check(cuMemcpyHtoD(w.at(r0 * elementBytes), Pointer.to(ws), (r1 - r0) * elementBytes),
                        "cuMemcpyHtoD", "sample weights " + r0 + ".." + r1 + " of " + n);
            }
        }
    }

    private static ByteBuffer direct(long bytes) {
        return ByteBuffer.allocateDirect((int) Math.max(8, bytes)).order(ByteOrder.nativeOrder());
    }

    /** Two pinned staging buffers and two device chunk buffers per array; false on out-of-memory. */
    private boolean allocateStreaming() {
        int elementBytes = precision.elementBytes();
        long rowBytes = (long) d * elementBytes;
        for (int s = 0; s < 2; s++) {
            chunkX[s] = DeviceBuffer.tryAllocate(chunkRows * rowBytes, "row chunk " + s);
            pinnedX[s] = chunkX[s] == null ? null : PinnedBuffer.tryAllocate(chunkRows * rowBytes, "row staging " + s);
            if (pinnedX[s] == null) {
                return false;
            }
            if (weighted) {
                chunkW[s] = DeviceBuffer.tryAllocate(chunkRows * elementBytes, "weight chunk " + s);
                pinnedW[s] = chunkW[s] == null ? null : PinnedBuffer.tryAllocate(chunkRows * elementBytes, "weight staging " + s);
                if (pinnedW[s] == null) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public long rows() {
        return n;
    }

    @Override
    public int cols() {
        return d;
    }

    @Override
    public RowSource source() {
        return rows.source();
    }

    @Override
    public RowSource sampleWeights() {
        return rows.sampleWeights();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Streaming: reads rows [off, off + count) (and their weights) from the source, shifted and
     * converted, into staging buffer s. The caller knows the copy that read that buffer before is done.
     */
    void stage(int s, long off, long count) {
        rows.putRows(off, off + count, pinnedX[s].buffer, precision);
        if (weighted) {
            rows.putWeights(off, off + count, pinnedW[s].buffer, precision);
        }
    }

    /**
     * Streaming: starts the asynchronous copy of the {@code count} rows staged in buffer s (and their
     * weights) into device chunk s on {@code stream}; the caller knows chunk s is no longer read.
     */
    void upload(int s, long off, long count, CUstream stream) {
        int elementBytes = precision.elementBytes();
        Cuda.check(cuMemcpyHtoDAsync(chunkX[s].ptr, pinnedX[s].ptr, count * d * elementBytes, stream),
                "cuMemcpyHtoDAsync", "rows " + off + ".." + (off + count));
        if (weighted) {
            Cuda.check(cuMemcpyHtoDAsync(chunkW[s].ptr, pinnedW[s].ptr, count * elementBytes, stream),
                    "cuMemcpyHtoDAsync", "weights " + off + ".." + (off + count));
        }
    }

    /** Frees in reverse order of allocation; safe to call twice, and after the backend closed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (owner.isClosed()) {
            return;   // releasing the context freed everything
        }
        owner.makeCurrent();
        owner.synchronizeQuietly();
        for (int s = 1; s >= 0; s--) {
            owner.closeQuietly(chunkW[s], "a weight chunk");
            owner.closeQuietly(chunkX[s], "a row chunk");
            owner.closeQuietly(pinnedW[s], "a weight staging buffer");
            owner.closeQuietly(pinnedX[s], "a row staging buffer");
        }
        owner.closeQuietly(w, "the sample weights");
        owner.closeQuietly(x, "the rows");
    }
}
