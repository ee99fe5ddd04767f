package io.gaussmix.backend.cuda;

import io.gaussmix.backend.DeviceRows;

/**
 * Where the rows live on the GPU, decided before anything is allocated: resident (all N rows
 * uploaded once per fit) when they fit in the free memory less a reserve, otherwise streamed in
 * chunks of at most {@code chunkRows} through two device buffers (a pass rounds the chunk down to a
 * whole number of its kernel's tiles, so streamed statistics are the same bits as resident ones). Sizes are long because byte counts
 * pass 2^31 long before row counts do (the planner itself takes any N; a {@code Matrix} holds
 * fewer than 2^31 rows). The OpenCL
 * backend's {@code ClMemoryPlan} has the same components and methods; only the planning rules differ.
 *
 * @param resident    whether every row stays on the device
 * @param chunkRows   rows per upload (N when resident)
 * @param bytesPerRow device bytes one row needs (features, plus its weight when weighted)
 * @param budgetBytes the device bytes the rows may take (free memory less the reserve)
 */
record CudaMemoryPlan(boolean resident, long chunkRows, long bytesPerRow, long budgetBytes) {
    /** Kept free for the context, the JIT, parameters, partial statistics and output slices. */
    static final long MIN_RESERVE = 512L << 20;
    /** One chunk at most this large: pinned staging buffers are viewed as ByteBuffers (int-indexed). */
    static final long MAX_CHUNK_BYTES = 1L << 30;
    /** Chunks are multiples of this many rows (and never smaller). */
    static final long CHUNK_ALIGN = 1024;
    /** Partial statistics may take at least this much, whatever the free memory. */
    static final long MIN_PARTIAL_BUDGET = 64L << 20;

    /**
     * @param freeBytes    device memory available (from cuMemGetInfo, or a test budget)
     * @param n            rows
     * @param d            features
     * @param elementBytes 4 (float32) or 8 (float64)
     * @param weighted     whether sample weights travel with the rows
     * @throws IllegalStateException when not even two minimal chunks fit
     */
    static CudaMemoryPlan of(long freeBytes, long n, int d, int elementBytes, boolean weighted) {
        long bytesPerRow = (long) d * elementBytes + (weighted ? elementBytes : 0);
        long reserve = Math.max(MIN_RESERVE, freeBytes / 8);
        long usable = freeBytes - reserve;
        if (usable > 0 && n <= usable / bytesPerRow) {
            return new CudaMemoryPlan(true, n, bytesPerRow, usable);
        }
        long chunk = Math.min(usable / 2 / bytesPerRow, MAX_CHUNK_BYTES / bytesPerRow);
        chunk = chunk / CHUNK_ALIGN * CHUNK_ALIGN;
        if (chunk < CHUNK_ALIGN) {
            throw new IllegalStateException("not enough device memory: " + freeBytes + " bytes free, "
                    + "streaming needs at least 2 x " + CHUNK_ALIGN + " rows of " + bytesPerRow + " bytes plus a reserve of "
                    + reserve + " bytes");
        }
        return new CudaMemoryPlan(false, Math.min(chunk, n), bytesPerRow, usable);
    }

    /**
     * After the resident allocation failed all the same (other users of the GPU): streaming in
     * chunks of half the rows (aligned, within {@link #MAX_CHUNK_BYTES}).
     */
    CudaMemoryPlan asStreaming() {
        long chunk = shrink(Math.max(chunkRows, CHUNK_ALIGN * 2));
        chunk = Math.min(chunk, MAX_CHUNK_BYTES / bytesPerRow / CHUNK_ALIGN * CHUNK_ALIGN);
        return new CudaMemoryPlan(false, chunk, bytesPerRow, budgetBytes);
    }

    /** Whether {@link #halved} can give a smaller chunk (it stays a multiple of {@link #CHUNK_ALIGN}). */
    boolean canHalve() {
        return shrink(chunkRows) > 0;
    }

    /** A streaming plan with half the chunk, aligned (after an out-of-memory error). */
    CudaMemoryPlan halved() {
        if (!canHalve()) {
            throw new IllegalStateException("a chunk of " + chunkRows + " rows cannot shrink further");
        }
        return new CudaMemoryPlan(false, shrink(chunkRows), bytesPerRow, budgetBytes);
    }

    /** Pinned host bytes the streaming pass stages chunks in: two chunks of rows and weights (none when resident). */
    long hostBytes() {
        return resident ? 0 : 2 * chunkRows * bytesPerRow;
    }

    /** The plan for {@code rows} rows in the words both device backends use. */
    String describe(long rows) {
        return DeviceRows.describePlan(resident, rows, chunkRows, bytesPerRow, budgetBytes, hostBytes());
    }

    private static long shrink(long chunkRows) {
        long half = chunkRows / 2 / CHUNK_ALIGN * CHUNK_ALIGN;
        return half >= CHUNK_ALIGN ? half : 0;
    }

    /**
     * Blocks of the persistent grid, each owning one partial of {@code strideDoubles} doubles per
     * stream set: the wanted number, fewer when the partials would take more than a quarter of the
     * given memory (at least one); callers pass a fixed figure so the grid never changes between passes.
     */
    static int partialBlocks(long memoryBytes, int wanted, long strideDoubles, int sets) {
        long perBlock = strideDoubles * 8 * sets;
        long budget = Math.max(MIN_PARTIAL_BUDGET, memoryBytes / 4);
        return (int) Math.max(1, Math.min(wanted, budget / perBlock));
    }
}
