package io.gaussmix.backend.opencl;

/**
 * Where the rows live on the device, decided from the device's limits before anything is
 * allocated: all resident (uploaded once per fit), or streamed in chunks through two buffers.
 *
 * @param resident    whether all rows fit on the device at once
 * @param chunkRows   rows per chunk (all rows when resident)
 * @param bytesPerRow device bytes of one row: D values plus its sample weight
 * @param budgetBytes the bytes the rows may take on the device
 */
record MemoryPlan(boolean resident, int chunkRows, long bytesPerRow, long budgetBytes) {
    /** A streamed chunk is staged in host direct buffers: keep it well under their 2 GiB limit. */
    static final long MAX_CHUNK_BYTES = 256L << 20;

    /**
     * Plans N rows of D columns at {@code realBytes} per value. The rows may take half of the global
     * memory (the rest is left to the other buffers and other programs) or {@code maxDataBytes} when
     * that is positive (a test knob); one buffer may not exceed CL_DEVICE_MAX_MEM_ALLOC_SIZE. When
     * streaming, two chunks are on the device at a time (double buffering).
     */
    static MemoryPlan of(int rows, int cols, int realBytes, long globalMemBytes, long maxAllocBytes, long maxDataBytes) {
        long bytesPerRow = (long) (cols + 1) * realBytes;
        long budget = globalMemBytes / 2;
        if (maxDataBytes > 0) {
            budget = Math.min(budget, maxDataBytes);
        }
        long rowBytes = (long) cols * realBytes;
        if ((long) rows * bytesPerRow <= budget && (long) rows * rowBytes <= maxAllocBytes) {
            return new MemoryPlan(true, Math.max(rows, 1), bytesPerRow, budget);
        }
        long chunk = Math.min(Math.min(budget / (2 * bytesPerRow), maxAllocBytes / rowBytes),
                MAX_CHUNK_BYTES / bytesPerRow);
        chunk = Math.max(1, Math.min(chunk, rows));
        return new MemoryPlan(false, (int) chunk, bytesPerRow, budget);
    }

    /** A streaming plan with half the chunk (after an allocation failure). */
    MemoryPlan halved() {
        return new MemoryPlan(false, Math.max(1, chunkRows / 2), bytesPerRow, budgetBytes);
    }

    String describe() {
        return resident ? "resident (" + bytesPerRow + " bytes per row)"
                : "streaming in chunks of " + chunkRows + " rows (" + bytesPerRow + " bytes per row, budget "
                + budgetBytes + " bytes)";
    }
}
