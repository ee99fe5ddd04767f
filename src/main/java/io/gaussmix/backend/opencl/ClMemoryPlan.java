package io.gaussmix.backend.opencl;

/**
 * Where the rows live on the device, decided from the device's limits before anything is
 * allocated: all resident (uploaded once per fit), or streamed in chunks through two buffers. The
 * CUDA backend's {@code CudaMemoryPlan} has the same components and methods; only the planning
 * rules differ.
 *
 * @param resident    whether all rows fit on the device at once
 * @param chunkRows   rows per chunk (all rows when resident)
 * @param bytesPerRow device bytes of one row: D values plus its sample weight
 * @param budgetBytes the bytes the rows may take on the device
 */
record ClMemoryPlan(boolean resident, long chunkRows, long bytesPerRow, long budgetBytes) {
    /** A streamed chunk is staged in host direct buffers: keep it well under their 2 GiB limit. */
    static final long MAX_CHUNK_BYTES = 256L << 20;

    /**
     * Plans N rows of D columns at {@code elementBytes} per value. The rows may take half of the
     * global memory (the rest is left to the other buffers and other programs) or {@code maxDataBytes}
     * when that is positive (a test knob); one buffer may not exceed CL_DEVICE_MAX_MEM_ALLOC_SIZE.
     * When streaming, two chunks are on the device at a time (double buffering).
     */
    static ClMemoryPlan of(int rows, int cols, int elementBytes, long globalMemBytes, long maxAllocBytes,
                           long maxDataBytes) {
        long bytesPerRow = (long) (cols + 1) * elementBytes;
        long budget = globalMemBytes / 2;
        if (maxDataBytes > 0) {
            budget = Math.min(budget, maxDataBytes);
        }
        long rowBytes = (long) cols * elementBytes;
        if ((long) rows * bytesPerRow <= budget && (long) rows * rowBytes <= maxAllocBytes) {
            return new ClMemoryPlan(true, Math.max(rows, 1), bytesPerRow, budget);
        }
        long chunk = Math.min(Math.min(budget / (2 * bytesPerRow), maxAllocBytes / rowBytes),
                MAX_CHUNK_BYTES / bytesPerRow);
        chunk = Math.max(1, Math.min(chunk, rows));
        return new ClMemoryPlan(false, chunk, bytesPerRow, budget);
    }

    /** Whether {@link #halved} can give a smaller chunk. */
    boolean canHalve() {
        return chunkRows > 1;
    }

    /** A streaming plan with half the chunk (after an allocation failure). */
    ClMemoryPlan halved() {
        if (!canHalve()) {
            throw new IllegalStateException("a chunk of " + chunkRows + " rows cannot shrink further");
        }
        return new ClMemoryPlan(false, chunkRows / 2, bytesPerRow, budgetBytes);
    }

    String describe() {
        return resident ? "resident (" + bytesPerRow + " bytes per row)"
                : "streaming in chunks of " + chunkRows + " rows (" + bytesPerRow + " bytes per row, budget "
                + budgetBytes + " bytes)";
    }
}
