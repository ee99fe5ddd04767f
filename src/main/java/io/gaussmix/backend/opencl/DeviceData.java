package io.gaussmix.backend.opencl;

import io.gaussmix.backend.DeviceRows;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.RowSource;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_event;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Rows loaded for the OpenCL backend, shifted and converted by {@link DeviceRows}. Resident: one
 * buffer of rows and one of weights, uploaded once in pieces. Streaming: two chunk-sized buffer pairs
 * (double buffering) and two host staging buffers, filled from the row source on every pass (the
 * host never holds all N rows).
 */
final class DeviceData implements LoadedData {
    /** Bytes per blocking upload when filling a resident buffer. */
    private static final long UPLOAD_BYTES = 8L << 20;

    final ClMemoryPlan plan;
    final DeviceRows rows;
    final Precision precision;
    final ClMem[] x = new ClMem[2];
    final ClMem[] w = new ClMem[2];
    final ByteBuffer[] xStage = new ByteBuffer[2];
    final ByteBuffer[] wStage = new ByteBuffer[2];
    private boolean closed;

    private DeviceData(DeviceRows rows, ClMemoryPlan plan, Precision precision) {
        this.rows = rows;
        this.plan = plan;
        this.precision = precision;
    }

    /** Allocates per the plan and, when resident, uploads every row; frees what it allocated if that fails. */
    static DeviceData load(cl_context context, cl_command_queue queue, DeviceRows rows, ClMemoryPlan plan,
                           Precision precision, long allocationLimitBytes) {
        DeviceData d = new DeviceData(rows, plan, precision);
        int elementBytes = precision.elementBytes();
        try {
            int slots = plan.resident() ? 1 : 2;
            long rowBytes = (long) rows.cols() * elementBytes;
            if (allocationLimitBytes > 0 && plan.chunkRows() * rowBytes > allocationLimitBytes) {
                throw new ClCallException("clCreateBuffer failed with CL_MEM_OBJECT_ALLOCATION_FAILURE (simulated: "
                        + plan.chunkRows() * rowBytes + " bytes > limit " + allocationLimitBytes + ")",
                        CL.CL_MEM_OBJECT_ALLOCATION_FAILURE);
            }
            for (int s = 0; s < slots; s++) {
                d.x[s] = ClMem.allocate(context, CL.CL_MEM_READ_ONLY, plan.chunkRows() * rowBytes, null, "rows");
                d.w[s] = ClMem.allocate(context, CL.CL_MEM_READ_ONLY, plan.chunkRows() * elementBytes, null, "sample weights");
            }
            if (plan.resident()) {
                d.uploadResident(queue);
            } else {
                for (int s = 0; s < 2; s++) {
                    d.xStage[s] = direct(plan.chunkRows() * rowBytes);
                    d.wStage[s] = direct(plan.chunkRows() * elementBytes);
                }
            }
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void uploadResident(cl_command_queue queue) {
        long n = rows.rows();
        int elementBytes = precision.elementBytes();
        long rowBytes = (long) cols() * elementBytes;
        long piece = Math.max(1, Math.min(n, UPLOAD_BYTES / plan.bytesPerRow()));
        ByteBuffer xb = direct(piece * rowBytes);
        ByteBuffer wb = direct(piece * elementBytes);
        for (long from = 0; from < n; from += piece) {
            long to = Math.min(n, from + piece);
            stage(from, to, xb, wb);
            Cl.check(CL.clEnqueueWriteBuffer(queue, x[0].mem, true, from * rowBytes, (to - from) * rowBytes,
                    Pointer.to(xb), 0, null, null), "clEnqueueWriteBuffer", "uploading rows " + from + ".." + to);
            Cl.check(CL.clEnqueueWriteBuffer(queue, w[0].mem, true, from * elementBytes, (to - from) * elementBytes,
                    Pointer.to(wb), 0, null, null), "clEnqueueWriteBuffer", "uploading weights " + from + ".." + to);
        }
    }

    /** Writes rows [from, to) minus the shift, and their weights, as device values at the start of xb and wb. */
    private void stage(long from, long to, ByteBuffer xb, ByteBuffer wb) {
        rows.putRows(from, to, xb, precision);
        rows.putWeights(from, to, wb, precision);
    }

    /** Work on the rows [first, first + rows) held in buffer slot {@code slot}. */
    interface ChunkTask {
        void run(int slot, long first, int rows);
    }

    /**
     * Resident data: one call covering every row. Streaming: chunk c goes to slot c % 2 by a
     * non-blocking upload, and the queue is flushed after its kernels, so the host reads and stages
     * the next chunk from the source while the device uploads and works on this one; the in-order
     * queue runs each chunk's upload after the kernels that used its slot before.
     */
    void forEachChunk(cl_command_queue queue, ChunkTask task) {
        if (plan.resident()) {
            task.run(0, 0, Math.toIntExact(rows()));
            return;
        }
        long n = rows();
        long chunk = plan.chunkRows();
        long rowBytes = (long) cols() * precision.elementBytes();
        cl_event[][] uploads = new cl_event[2][];
        try {
            long c = 0;
            for (long from = 0; from < n; c++, from += chunk) {
                int slot = (int) (c & 1);
                long to = Math.min(n, from + chunk);
                awaitAndRelease(uploads, slot);
                stage(from, to, xStage[slot], wStage[slot]);
                uploads[slot] = new cl_event[] {new cl_event(), new cl_event()};
                Cl.check(CL.clEnqueueWriteBuffer(queue, x[slot].mem, false, 0, (to - from) * rowBytes,
                        Pointer.to(xStage[slot]), 0, null, uploads[slot][0]), "clEnqueueWriteBuffer",
                        "streaming rows " + from + ".." + to);
                Cl.check(CL.clEnqueueWriteBuffer(queue, w[slot].mem, false, 0,
                        (to - from) * precision.elementBytes(), Pointer.to(wStage[slot]), 0, null,
                        uploads[slot][1]), "clEnqueueWriteBuffer",
                        "streaming weights " + from + ".." + to);
                task.run(slot, from, (int) (to - from));
                Cl.check(CL.clFlush(queue), "clFlush", "starting the work on rows " + from + ".." + to);
            }
        } finally {
            CL.clFinish(queue);
            awaitAndRelease(uploads, 0);
            awaitAndRelease(uploads, 1);
        }
    }

    private static void awaitAndRelease(cl_event[][] uploads, int slot) {
        if (uploads[slot] == null) {
            return;
        }
        cl_event[] events = uploads[slot];
        uploads[slot] = null;
        Cl.check(CL.clWaitForEvents(events.length, events), "clWaitForEvents", "waiting for a chunk upload");
        for (cl_event e : events) {
            Cl.check(CL.clReleaseEvent(e), "clReleaseEvent", "releasing a chunk upload event");
        }
    }

    private static ByteBuffer direct(long bytes) {
        return ByteBuffer.allocateDirect((int) Math.max(8, bytes)).order(ByteOrder.nativeOrder());
    }

    @Override
    public long rows() {
        return rows.rows();
    }

    @Override
    public int cols() {
        return rows.cols();
    }

    @Override
    public RowSource source() {
        return rows.source();
    }

    @Override
    public RowSource sampleWeights() {
        return rows.sampleWeights();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int s = 0; s < 2; s++) {
            if (x[s] != null) {
                x[s].close();
            }
            if (w[s] != null) {
                w[s].close();
            }
        }
    }
}
