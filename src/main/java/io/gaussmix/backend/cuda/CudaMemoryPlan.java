package io.gaussmix.backend.cuda;

/**
 * Where the rows live on the device, decided before anything is allocated: resident (all N rows
 * uploaded once per fit) when they fit in the free memory less a reserve, otherwise streamed in
 * chunks of {@code chunkRows} through two device buffers. All sizes are long (N may exceed 2^31 rows).
 *
 * @param resident    whether every row stays on the device
 * @param chunkRows   rows per upload (N when resident)
 * @param bytesPerRow device bytes one row needs (features, plus its weight)
 */
record MemoryPlan(boolean resident, long chunkRows, long bytesPerRow) {
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
    static MemoryPlan forData(long freeBytes, long n, int d, int elementBytes, boolean weighted) {
        long bytesPerRow = (long) d * elementBytes + (weighted ? elementBytes : 0);
        long usable = freeBytes - Math.max(MIN_RESERVE, freeBytes / 8);
        if (fits(n, bytesPerRow, usable)) {
            return new MemoryPlan(true, n, bytesPerRow);
        }
        long chunk = Math.min(usable / 2 / bytesPerRow, MAX_CHUNK_BYTES / bytesPerRow);
        chunk = chunk / CHUNK_ALIGN * CHUNK_ALIGN;
        if (chunk < CHUNK_ALIGN) {
            throw new IllegalStateException("not enough device memory: " + freeBytes + " bytes free, "
                    + "streaming needs at least 2 x " + CHUNK_ALIGN + " rows of " + bytesPerRow + " bytes plus a reserve of "
                    + Math.max(MIN_RESERVE, freeBytes / 8) + " bytes");
        }
        return new MemoryPlan(false, Math.min(chunk, n), bytesPerRow);
    }

    private static boolean fits(long n, long bytesPerRow, long usable) {
        if (usable <= 0) {
            return false;
        }
        return n <= usable / bytesPerRow;
    }

    /** After an out-of-memory error: half the chunk (aligned), or 0 when it cannot shrink further. */
    static long shrink(long chunkRows) {
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
