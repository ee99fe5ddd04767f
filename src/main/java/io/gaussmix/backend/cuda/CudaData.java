package io.gaussmix.backend.cuda;

import io.gaussmix.backend.LoadedData;

/**
 * Rows loaded by {@link CudaBackend#load}: shifted by the per-column {@link #shift} (the column
 * means) so float32 keeps uncentred data accurate. Resident: one device buffer for all rows (and
 * one for the weights). Streaming: the shifted rows stay on the host and travel in chunks through
 * two pinned staging buffers and two device buffers, one pair per stream.
 */
final class CudaData implements LoadedData {
    final CudaBackend owner;
    final int n;
    final int d;
    final double[] shift;
    final double totalWeight;
    final boolean weighted;
    final boolean resident;
    final long chunkRows;

    /** Resident buffers (null when streaming; w null without weights). */
    DeviceBuffer x;
    DeviceBuffer w;

    /** Streaming: shifted host rows and weights in the device precision (one of each pair is null). */
    float[] hostXf;
    double[] hostXd;
    float[] hostWf;
    double[] hostWd;
    final PinnedBuffer[] pinnedX = new PinnedBuffer[2];
    final PinnedBuffer[] pinnedW = new PinnedBuffer[2];
    final DeviceBuffer[] chunkX = new DeviceBuffer[2];
    final DeviceBuffer[] chunkW = new DeviceBuffer[2];
    private boolean closed;

    CudaData(CudaBackend owner, int n, int d, double[] shift, double totalWeight, boolean weighted,
             boolean resident, long chunkRows) {
        this.owner = owner;
        this.n = n;
        this.d = d;
        this.shift = shift;
        this.totalWeight = totalWeight;
        this.weighted = weighted;
        this.resident = resident;
        this.chunkRows = chunkRows;
    }

    @Override
    public int rows() {
        return n;
    }

    @Override
    public int cols() {
        return d;
    }

    boolean isClosed() {
        return closed;
    }

    /** Copies rows [off, off + rows) of the shifted host data (and weights) into staging buffer s. */
    void stage(int s, long off, long rows) {
        int from = Math.toIntExact(off * d);
        int len = Math.toIntExact(rows * d);
        pinnedX[s].buffer.clear();
        if (hostXf != null) {
            pinnedX[s].buffer.asFloatBuffer().put(hostXf, from, len);
        } else {
            pinnedX[s].buffer.asDoubleBuffer().put(hostXd, from, len);
        }
        if (weighted) {
            pinnedW[s].buffer.clear();
            if (hostWf != null) {
                pinnedW[s].buffer.asFloatBuffer().put(hostWf, (int) off, (int) rows);
            } else {
                pinnedW[s].buffer.asDoubleBuffer().put(hostWd, (int) off, (int) rows);
            }
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
            closeQuietly(chunkW[s]);
            closeQuietly(chunkX[s]);
            closeQuietly(pinnedW[s]);
            closeQuietly(pinnedX[s]);
        }
        closeQuietly(w);
        closeQuietly(x);
        hostXf = null;
        hostXd = null;
        hostWf = null;
        hostWd = null;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                CudaBackend.LOG.warning("freeing CUDA data failed: " + e.getMessage());
            }
        }
    }
}
