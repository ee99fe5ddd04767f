package io.gaussmix.backend.cuda;

import io.gaussmix.BackendType;
import io.gaussmix.backend.Availability;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe never throws, is cached, and explains itself (runs everywhere, GPU or not). */
class CudaProviderTest {
    @Test
    void availabilityNeverThrowsAndExplainsItself() {
        CudaProvider p = new CudaProvider();
        assertEquals(BackendType.CUDA, p.type());
        Availability first = p.availability();
        Availability second = new CudaProvider().availability();
        assertSame(first, second, "the probe runs once per JVM");
        if (first.available()) {
            assertFalse(first.devices().isEmpty());
            assertTrue(first.hasGpu());
        } else {
            assertTrue(first.reason() != null && !first.reason().isBlank(), "an unavailable backend says why");
            assertTrue(first.devices().isEmpty());
        }
    }

    @Test
    void missingDriverReadsAsOneLine() {
        String reason = CudaProvider.linkageReason(new UnsatisfiedLinkError(
                "Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
                        + "/tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file"));
        assertEquals("no NVIDIA driver: libcuda.so.1 not found", reason);
    }
}
