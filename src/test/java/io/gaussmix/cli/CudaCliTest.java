package io.gaussmix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gaussmix.backend.cuda.RequiresCuda;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code devices}, {@code --backend cuda} and {@code --device} through the command line. */
@RequiresCuda
class CudaCliTest {
    @TempDir
    Path dir;

    @Test
    void devicesListsTheCudaDeviceWithMemoryCapabilityAndDriver() {
        CliRunner.Result r = CliRunner.run("devices");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("cuda: available"), r.out());
        assertTrue(r.out().matches("(?s).*device 0: .+, [0-9.]+ GiB, cc [0-9]+\\.[0-9]+, driver [0-9]+\\.[0-9]+.*"), r.out());
    }

    /** The demo fit on CUDA (float32) ends where the float64 CPU fit ends, within the README's float32 bound. */
    @Test
    void demoFitOnCudaMatchesTheCpu() throws Exception {
        JsonNode cuda = fit("cuda");
        JsonNode cpu = fit("cpu");
        assertTrue(cuda.get("backend").asText().startsWith("cuda"), cuda.get("backend").asText());
        double a = cuda.get("lowerBound").asDouble();
        double b = cpu.get("lowerBound").asDouble();
        assertEquals(b, a, 1e-5 * Math.abs(b), "lower bound on CUDA vs CPU");
        assertEquals(cpu.get("iterations").asInt(), cuda.get("iterations").asInt(), 1);
    }

    @Test
    void aMissingDeviceIsAClearError() {
        CliRunner.Result r = CliRunner.run("fit", "--demo", "--backend", "cuda", "--device", "7", "--quiet");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("CUDA device 7 does not exist"), r.err());
    }

    private JsonNode fit(String backend) throws Exception {
        Path model = dir.resolve(backend + ".json");
        CliRunner.Result r = CliRunner.run("fit", "--demo", "--backend", backend, "--quiet", "-o", model.toString());
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(model.toFile());
    }
}
