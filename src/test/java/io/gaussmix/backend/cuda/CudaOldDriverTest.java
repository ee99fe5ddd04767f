package io.gaussmix.backend.cuda;

import io.gaussmix.backend.Availability;
import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.backend.Precision;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a user with a CUDA 11 driver is told: the CUDA emulator poses as driver 11.8 in a child JVM
 * (the availability probe is cached per JVM). Runs in the build's cuda-emulator test run only.
 */
@Tag("cuda-emulator")
class CudaOldDriverTest {
    @Test
    void anOldDriverMakesCudaUnavailableWithTheReason() throws Exception {
        String emulator = System.getProperty("gaussmix.cudaEmulator");
        assumeTrue(emulator != null && Files.exists(Path.of(emulator)),
                "skipped: needs the CUDA emulator (the build's cuda-emulator test run)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName());
        pb.environment().put("GAUSSMIX_CUDA_EMULATOR_DRIVER_VERSION", "11080");
        pb.redirectErrorStream(true);
        Process proc = pb.start();
        String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
        assertEquals(0, proc.exitValue(), output);
        assertTrue(output.contains("provider: driver 11.8 too old for the bundled PTX (needs CUDA 12.0+)"), output);
        assertTrue(output.contains("backend: CUDA driver 11.8 too old for the bundled PTX (.version 8.0 needs CUDA 12.0+): "
                + "cuModuleLoadDataEx returned CUDA_ERROR_UNSUPPORTED_PTX_VERSION; update the NVIDIA driver"), output);
    }

    /** Prints the provider's verdict and what opening the backend directly says. */
    public static final class Probe {
        public static void main(String[] args) {
            Availability a = new CudaProvider().availability();
            System.out.println("provider: " + (a.available() ? "available" : a.reason()));
            try (CudaBackend b = new CudaBackend(0, Precision.FLOAT32, Long.MAX_VALUE)) {
                System.out.println("backend: opened " + b.description());
            } catch (BackendUnavailableException e) {
                System.out.println("backend: " + e.getMessage());
            }
        }
    }
}
