package io.gaussmix.spark;

import io.gaussmix.BackendType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which device a task opens, from the GPU addresses Spark's scheduler gives it (none: the configured one). */
class ExecutorBackendTest {
    @Test
    void aGpuBackendOpensTheTasksFirstGpu() {
        for (BackendType t : new BackendType[]{BackendType.CUDA, BackendType.OPENCL, BackendType.AUTO}) {
            assertEquals(3, ExecutorBackend.deviceFor(t, 0, new String[]{"3"}), t.id());
            assertEquals(1, ExecutorBackend.deviceFor(t, 0, new String[]{" 1", "2"}), t.id() + ": the first of two");
        }
    }

    @Test
    void withoutAGpuOrOnTheCpuTheConfiguredDeviceStays() {
        assertEquals(2, ExecutorBackend.deviceFor(BackendType.CUDA, 2, null));
        assertEquals(2, ExecutorBackend.deviceFor(BackendType.CUDA, 2, new String[0]));
        assertEquals(0, ExecutorBackend.deviceFor(BackendType.CPU, 0, new String[]{"5"}));
    }

    @Test
    void anAddressThatIsNoDeviceNumberIsAClearError() {
        for (String bad : new String[]{"GPU-8a3b", "-1", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ExecutorBackend.deviceFor(BackendType.CUDA, 0, new String[]{bad}));
            assertTrue(e.getMessage().contains("'" + bad + "' is not a device number"), e.getMessage());
        }
    }
}
