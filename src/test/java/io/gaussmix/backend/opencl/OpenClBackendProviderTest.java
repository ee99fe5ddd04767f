package io.gaussmix.backend.opencl;

import io.gaussmix.BackendType;
import io.gaussmix.backend.Availability;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.BackendUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The provider's probe (cached, never throwing, with or without a platform) and the memory plan. */
class OpenClBackendProviderTest {

    @Test
    void availabilityIsCachedAndNeverThrows() {
        OpenClProvider provider = new OpenClProvider();
        assertEquals(BackendType.OPENCL, provider.type());
        Availability a = provider.availability();
        assertSame(a, provider.availability());
        if (a.available()) {
            assertFalse(a.devices().isEmpty());
            assertTrue(a.devices().get(0).contains("fp64"), a.devices().get(0));
            assertEquals(a.hasGpu(), provider.firstGpu().isPresent());
        } else {
            assertTrue(a.reason() != null && !a.reason().isBlank());
        }
    }

    @Test
    void openingAMissingDeviceExplainsWhy() {
        OpenClProvider provider = OpenClAssumptions.requireOpenCl();
        int count = provider.availability().devices().size();
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> provider.open(new BackendOptions(count, null, 0)));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    /** ocl-icd reads the drivers from OCL_ICD_VENDORS: an empty folder means no platform at all. */
    @Test
    void withoutAPlatformTheProviderReportsUnavailable(@TempDir Path emptyVendors) throws Exception {
        OpenClAssumptions.requireOpenCl(); // JOCL's native library must load for this to say anything
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                NoPlatformProbe.class.getName());
        pb.environment().put("OCL_ICD_VENDORS", emptyVendors.toString());
        pb.redirectErrorStream(true);
        Process proc = pb.start();
        String output = readAll(proc);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
        assertEquals(0, proc.exitValue(), output);
        assertTrue(output.contains("available=false cached=true"), output);
        assertTrue(output.contains("CL_PLATFORM_NOT_FOUND_KHR"), output);
    }

    private static String readAll(Process proc) throws IOException {
        return new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void memoryPlanKeepsRowsResidentWhenTheyFit() {
        ClMemoryPlan plan = ClMemoryPlan.of(1000, 3, 4, 1L << 30, 1L << 28, 0);
        assertTrue(plan.resident());
        assertEquals(16, plan.bytesPerRow());
        assertEquals(1000, plan.chunkRows());
    }

    @Test
    void memoryPlanStreamsTwoChunksWithinTheBudget() {
        // 10^6 rows of 16 floats + weight = 68 MB against a 32 MB budget (half of 64 MB).
        ClMemoryPlan plan = ClMemoryPlan.of(1_000_000, 16, 4, 64L << 20, 16L << 20, 0);
        assertFalse(plan.resident());
        assertTrue(2 * plan.chunkRows() * plan.bytesPerRow() <= 32L << 20);
        assertTrue(plan.chunkRows() * 16L * 4 <= 16L << 20, "a chunk fits one allocation");
        // Chunks stay multiples of the largest tile, so streamed passes add the same tiles as resident ones.
        assertEquals(0, plan.chunkRows() % ClMemoryPlan.CHUNK_ALIGN);
        long half = plan.chunkRows() / 2 / ClMemoryPlan.CHUNK_ALIGN * ClMemoryPlan.CHUNK_ALIGN;
        assertEquals(half, plan.halved().chunkRows());
    }

    @Test
    void memoryPlanHonoursTheMaxAllocationEvenWithinBudget() {
        ClMemoryPlan plan = ClMemoryPlan.of(100_000, 10, 8, 1L << 34, 1L << 20, 0);
        assertFalse(plan.resident());
        assertTrue(plan.chunkRows() * 80L <= 1L << 20);
    }
}
