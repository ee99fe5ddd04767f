package io.gaussmix.backend.opencl;

import io.gaussmix.backend.DeviceRows;

/**
 * Where the rows live on the device, decided from the device's limits before anything is
 * allocated: all resident (uploaded once per fit), or streamed in chunks through two buffers. The
 * CUDA backend's {@code CudaMemoryPlan} has the same components and methods; only the planning
 * rules differ.
 *
 * @param resident    whether all rows fit on the device at once
 * @param chunkRows   rows per chunk (all rows when resident; a multiple of {@link #CHUNK_ALIGN} when streaming)
 * @param bytesPerRow device bytes of one row: D values plus its sample weight
 * @param budgetBytes the bytes the rows may take on the device
 */
record ClMemoryPlan(boolean resident, long chunkRows, long bytesPerRow, long budgetBytes) {
    /** A streamed chunk is staged in host direct buffers: keep it well under their 2 GiB limit. */
    static final long MAX_CHUNK_BYTES = 256L << 20;
    /**
     * Streamed chunks are multiples of this many rows, the largest tile (work-group) the backend
     * uses; every tile is a power of two up to it, so chunk boundaries fall on tile boundaries and
     * a streamed pass adds the same tiles into the same partial sums as a resident one.
     */
    static final long CHUNK_ALIGN = 64;

    /**
     * Plans N rows of D columns at {@code elementBytes} per value. The rows may take half of the
     * global memory (the rest is left to the other buffers and other programs) or {@code maxDataBytes}
     * when that is positive (a test knob); one buffer may not exceed CL_DEVICE_MAX_MEM_ALLOC_SIZE.
     * When streaming, two chunks are on the device at a time (double buffering), never fewer than
     * {@link #CHUNK_ALIGN} rows each.
     */
    static ClMemoryPlan of(long rows, int cols, int elementBytes, long globalMemBytes, long maxAllocBytes,
                           long maxDataBytes) {
        long bytesPerRow = (long) (cols + 1) * elementBytes;
        long budget = globalMemBytes / 2;
        if (maxDataBytes > 0) {
            budget = Math.min(budget, maxDataBytes);
        }
        long rowBytes = (long) cols * elementBytes;
        if (rows <= budget / bytesPerRow && rows <= maxAllocBytes / rowBytes) {
            return new ClMemoryPlan(true, Math.max(rows, 1), bytesPerRow, budget);
        }
        long chunk = Math.min(Math.min(budget / (2 * bytesPerRow), maxAllocBytes / rowBytes),
                MAX_CHUNK_BYTES / bytesPerRow);
        chunk = Math.max(CHUNK_ALIGN, chunk / CHUNK_ALIGN * CHUNK_ALIGN);
        return new ClMemoryPlan(false, chunk, bytesPerRow, budget);
    }

    /** Whether {@link #halved} can give a smaller chunk. */
    boolean canHalve() {
        return chunkRows >= 2 * CHUNK_ALIGN;
    }

    /** A streaming plan with half the chunk, still a multiple of {@link #CHUNK_ALIGN} (after an allocation failure). */
    ClMemoryPlan halved() {
        if (!canHalve()) {
            throw new IllegalStateException("a chunk of " + chunkRows + " rows cannot shrink further");
        }
        return new ClMemoryPlan(false, chunkRows / 2 / CHUNK_ALIGN * CHUNK_ALIGN, bytesPerRow, budgetBytes);
    }

    /** Host bytes the streaming pass stages chunks in: two chunks of rows and weights (none when resident). */
    long hostBytes() {
        return resident ? 0 : 2 * chunkRows * bytesPerRow;
    }

    /** The plan for {@code rows} rows in the words both device backends use. */
    String describe(long rows) {
        return DeviceRows.describePlan(resident, rows, chunkRows, bytesPerRow, budgetBytes, hostBytes());
    }
}
