package io.gaussmix.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The float64 kernels' one width: the CPU's preference (capped to 256 or 512 bits) unless
 * {@code gaussmix.cpu.vectorBits} names one, which is how the build's vector-256 and vector-512 test
 * executions run the kernel suites at the width this CPU does not prefer (this test fails there if the
 * property does not reach the kernels).
 */
class DoubleLanesTest {
    @BeforeEach
    void vectorModule() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "no jdk.incubator.vector");
    }

    @Test
    void theKernelsRunAtTheRequestedWidthOrThePreferredOne() {
        String requested = System.getProperty("gaussmix.cpu.vectorBits");
        int expected = requested != null ? Integer.parseInt(requested)
                : DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? 512 : 256;
        assertEquals(expected, DoubleLanes.bits());
        assertEquals(expected / 64, DoubleLanes.LENGTH);
        try (CpuBackend cpu = new CpuBackend(1, true)) {
            assertTrue(cpu.description().contains(expected + "-bit Vector API"), cpu.description());
        }
    }

    @Test
    void anotherWidthIsRefusedWithThePropertysName() {
        String before = System.getProperty("gaussmix.cpu.vectorBits");
        System.setProperty("gaussmix.cpu.vectorBits", "128");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CpuBackend(1, true));
            assertEquals("-Dgaussmix.cpu.vectorBits must be 256 or 512, not '128'", e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty("gaussmix.cpu.vectorBits");
            } else {
                System.setProperty("gaussmix.cpu.vectorBits", before);
            }
        }
    }

    @Test
    void explicitWidthsAndNothingElse() {
        assertEquals(256, DoubleLanes.choose(CpuBackend.vectorBits("256")).vectorBitSize());
        assertEquals(512, DoubleLanes.choose(CpuBackend.vectorBits("512")).vectorBitSize());
        assertEquals(0, CpuBackend.vectorBits(""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuBackend.vectorBits("128"));
        assertTrue(e.getMessage().contains("256 or 512"), e.getMessage());
    }
}
