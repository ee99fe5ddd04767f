package io.gaussmix.backend.opencl;

import io.gaussmix.backend.LoadedData;
import io.gaussmix.data.Matrix;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Rows loaded for the OpenCL backend. The host subtracts a per-column shift (the column means) in
 * float64 before converting to the device precision, so data far from the origin (say around
 * 1000) keeps its float32 resolution; the backend shifts the means by the same amount, and x - mu,
 * which is all the kernels use, is unchanged. Resident: one buffer of rows and one of weights,
 * uploaded once. Streaming: two chunk-sized buffer pairs (double buffering) and two host staging
 * buffers, filled from the host rows on every pass.
 */
final class DeviceData implements LoadedData {
    /** Rows per blocking upload when filling a resident buffer. */
    private static final long UPLOAD_BYTES = 8L << 20;

    final MemoryPlan plan;
    final double[] shift;
    final double totalWeight;
    final int realBytes;
    final ClMem[] x = new ClMem[2];
    final ClMem[] w = new ClMem[2];
    final ByteBuffer[] xStage = new ByteBuffer[2];
    final ByteBuffer[] wStage = new ByteBuffer[2];
    private final Matrix host;
    private final double[] weights;
    private boolean closed;

    private DeviceData(Matrix host, double[] weights, MemoryPlan plan, int realBytes) {
        this.host = host;
        this.weights = weights;
        this.plan = plan;
        this.realBytes = realBytes;
        this.shift = columnMeans(host);
        double tw = 0;
        if (weights == null) {
            tw = host.rows();
        } else {
            for (double v : weights) {
                tw += v;
            }
        }
        this.totalWeight = tw;
    }

    /** Allocates per the plan and, when resident, uploads every row; frees what it allocated if that fails. */
    static DeviceData load(cl_context context, cl_command_queue queue, Matrix host, double[] weights, MemoryPlan plan,
                           int realBytes, long allocationLimitBytes) {
        DeviceData d = new DeviceData(host, weights, plan, realBytes);
        try {
            int slots = plan.resident() ? 1 : 2;
            long rowBytes = (long) host.cols() * realBytes;
            if (allocationLimitBytes > 0 && plan.chunkRows() * rowBytes > allocationLimitBytes) {
                throw new ClCallException("clCreateBuffer failed with CL_MEM_OBJECT_ALLOCATION_FAILURE (simulated: "
                        + plan.chunkRows() * rowBytes + " bytes > limit " + allocationLimitBytes + ")",
                        CL.CL_MEM_OBJECT_ALLOCATION_FAILURE);
            }
            for (int s = 0; s < slots; s++) {
                d.x[s] = ClMem.allocate(context, CL.CL_MEM_READ_ONLY, plan.chunkRows() * rowBytes, null, "rows");
                d.w[s] = ClMem.allocate(context, CL.CL_MEM_READ_ONLY, (long) plan.chunkRows() * realBytes, null,
                        "sample weights");
            }
            if (plan.resident()) {
                d.uploadResident(queue);
            } else {
                for (int s = 0; s < 2; s++) {
                    d.xStage[s] = direct(plan.chunkRows() * rowBytes);
                    d.wStage[s] = direct((long) plan.chunkRows() * realBytes);
                }
            }
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void uploadResident(cl_command_queue queue) {
        int n = host.rows();
        long rowBytes = (long) cols() * realBytes;
        int piece = (int) Math.max(1, Math.min(n, UPLOAD_BYTES / plan.bytesPerRow()));
        ByteBuffer xb = direct(piece * rowBytes);
        ByteBuffer wb = direct((long) piece * realBytes);
        for (int from = 0; from < n; from += piece) {
            int to = Math.min(n, from + piece);
            stage(from, to, xb, wb);
            Cl.check(CL.clEnqueueWriteBuffer(queue, x[0].mem, true, from * rowBytes, (to - from) * rowBytes,
                    Pointer.to(xb), 0, null, null), "clEnqueueWriteBuffer", "uploading rows " + from + ".." + to);
            Cl.check(CL.clEnqueueWriteBuffer(queue, w[0].mem, true, (long) from * realBytes,
                    (long) (to - from) * realBytes, Pointer.to(wb), 0, null, null), "clEnqueueWriteBuffer",
                    "uploading weights " + from + ".." + to);
        }
    }

    /** Writes rows [from, to) minus the shift, and their weights, as device reals at the start of xb and wb. */
    void stage(int from, int to, ByteBuffer xb, ByteBuffer wb) {
        int d = cols();
        double[] data = host.data();
        boolean f64 = realBytes == 8;
        int o = 0;
        for (int r = from; r < to; r++) {
            int row = r * d;
            for (int j = 0; j < d; j++, o++) {
                double v = data[row + j] - shift[j];
                if (f64) {
                    xb.putDouble(o * 8, v);
                } else {
                    xb.putFloat(o * 4, (float) v);
                }
            }
            double wr = weights == null ? 1.0 : weights[r];
            if (f64) {
                wb.putDouble((r - from) * 8, wr);
            } else {
                wb.putFloat((r - from) * 4, (float) wr);
            }
        }
    }

    private static ByteBuffer direct(long bytes) {
        return ByteBuffer.allocateDirect((int) Math.max(8, bytes)).order(ByteOrder.nativeOrder());
    }

    private static double[] columnMeans(Matrix m) {
        int d = m.cols();
        double[] mean = new double[d];
        double[] data = m.data();
        for (int r = 0; r < m.rows(); r++) {
            for (int j = 0; j < d; j++) {
                mean[j] += data[r * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] = m.rows() == 0 ? 0 : mean[j] / m.rows();
        }
        return mean;
    }

    @Override
    public int rows() {
        return host.rows();
    }

    @Override
    public int cols() {
        return host.cols();
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
