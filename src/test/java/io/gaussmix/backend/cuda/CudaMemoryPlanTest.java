package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.PackedStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory planner and launch arithmetic: pure functions, no GPU. */
class CudaMemoryPlanTest {
    private static final long GIB = 1L << 30;

    @Test
    void smallDataIsResident() {
        CudaMemoryPlan p = CudaMemoryPlan.of(80 * GIB, 1_000_000, 64, 4, true);
        assertTrue(p.resident());
        assertEquals(1_000_000, p.chunkRows());
        assertEquals(64 * 4 + 4, p.bytesPerRow());
    }

    @Test
    void dataLargerThanTheDeviceIsStreamedWithInt64Offsets() {
        long n = 3_000_000_000L;   // > 2^31 rows
        CudaMemoryPlan p = CudaMemoryPlan.of(80 * GIB, n, 64, 4, false);
        assertFalse(p.resident());
        assertTrue(p.chunkRows() > 0 && p.chunkRows() % CudaMemoryPlan.CHUNK_ALIGN == 0);
        assertTrue(p.chunkRows() * p.bytesPerRow() <= CudaMemoryPlan.MAX_CHUNK_BYTES, "a chunk fits one pinned buffer");
        long chunks = (n + p.chunkRows() - 1) / p.chunkRows();
        assertTrue(chunks * p.chunkRows() >= n && (chunks - 1) * p.chunkRows() < n);
    }

    @Test
    void streamingWhenOnlyPartFitsUsesAtMostHalfTheUsableMemoryPerChunk() {
        long free = 2 * GIB;
        CudaMemoryPlan p = CudaMemoryPlan.of(free, 100_000_000L, 16, 8, false);   // 12.8 GB of rows
        assertFalse(p.resident());
        long usable = free - Math.max(CudaMemoryPlan.MIN_RESERVE, free / 8);
        assertTrue(2 * p.chunkRows() * p.bytesPerRow() <= usable);
    }

    @Test
    void tooLittleMemoryIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CudaMemoryPlan.of(600L << 20, 10_000_000L, 8192, 8, false));
        assertTrue(e.getMessage().contains("not enough device memory"));
    }

    @Test
    void halvingStaysAlignedAndStops() {
        assertEquals(4096, streaming(8192).halved().chunkRows());
        assertEquals(4096, streaming(9000).halved().chunkRows());
        assertTrue(streaming(2048).canHalve());
        assertFalse(streaming(1024).canHalve());
        assertThrows(IllegalStateException.class, () -> streaming(1024).halved());
    }

    @Test
    void aResidentPlanThatFailsStreamsHalfTheRows() {
        CudaMemoryPlan p = new CudaMemoryPlan(true, 100_000, 68, 80 * GIB).asStreaming();
        assertFalse(p.resident());
        assertEquals(49_152, p.chunkRows());   // 50 000 rounded down to a multiple of 1024
        assertEquals(CudaMemoryPlan.CHUNK_ALIGN, new CudaMemoryPlan(true, 10, 68, 80 * GIB).asStreaming().chunkRows(),
                "never below one aligned chunk");
    }

    private static CudaMemoryPlan streaming(long chunkRows) {
        return new CudaMemoryPlan(false, chunkRows, 68, GIB);
    }

    @Test
    void partialBlocksFitTheirBudget() {
        long stride = PackedStats.length(CovarianceType.FULL, 16, 64);
        assertEquals(1 + 16 + 16 * 64 + 16L * 64 * 65 / 2, stride, "packed upper triangles");
        assertEquals(264, CudaMemoryPlan.partialBlocks(80 * GIB, 264, stride, 2));
        int g = CudaMemoryPlan.partialBlocks(GIB, 1000, PackedStats.length(CovarianceType.FULL, 64, 1024), 2);
        assertEquals(1, g, "one block when even one partial exceeds the budget");
        int h = CudaMemoryPlan.partialBlocks(GIB, 1000, stride, 2);
        assertTrue(h < 1000 && (long) h * stride * 16 <= GIB / 4);
    }

    @Test
    void launchShapesStayUnderTheSharedMemoryLimit() {
        assertEquals(256, LaunchConfig.tiledSuperRows(16, 4));
        assertEquals(192, LaunchConfig.tiledSuperRows(16, 8));
        assertEquals(0, LaunchConfig.tiledSuperRows(1000, 4), "huge K falls back to the simple kernel");
        for (int k : new int[] {1, 5, 16, 100}) {
            for (int elementBytes : new int[] {4, 8}) {
                int rows = LaunchConfig.tiledSuperRows(k, elementBytes);
                assertTrue(rows % LaunchConfig.TILE_ROWS == 0);
                assertTrue(LaunchConfig.tiledStaticShared(elementBytes) + (long) rows * k * elementBytes <= LaunchConfig.SHARED_LIMIT);
            }
        }
        for (int d : new int[] {1, 33, 64, 1000}) {
            int rows = LaunchConfig.simpleTileRows(d, 8, 8);
            assertTrue(rows >= 1 && rows <= LaunchConfig.MAX_SIMPLE_TILE_ROWS);
            assertTrue(LaunchConfig.simpleStaticShared() + (long) rows * (d + 8) * 8 <= LaunchConfig.SHARED_LIMIT);
        }
        assertEquals(0, LaunchConfig.simpleTileRows(10_000, 8, 8));
    }
}
