package io.gaussmix.cli;

import io.gaussmix.backend.SignalChaining;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signal chaining is in force where OpenCL kernels are compiled in-process (the tests, the CLI). */
class SignalChainingTest {
    /** Surefire preloads libjsig (pom.xml); without it the OpenCL tests could crash the test JVM at random. */
    @Test
    void testJvmRunsWithSignalChaining() {
        if (SignalChaining.library() != null) {
            assertTrue(SignalChaining.active(), "libjsig is not loaded: check surefire's LD_PRELOAD in pom.xml");
        }
        assertFalse(JvmRelaunch.needed(new String[] {"fit", "x.csv", "-k", "2"}),
                "a JVM with signal chaining must never relaunch");
    }

    @Test
    void onlyCpuPinnedRunsAreExempt() {
        assertTrue(JvmRelaunch.cpuOnly(new String[] {"fit", "x.csv", "--backend", "cpu"}));
        assertTrue(JvmRelaunch.cpuOnly(new String[] {"fit", "x.csv", "--backend=cpu"}));
        assertTrue(JvmRelaunch.cpuOnly(new String[] {"bench", "--backend", "cpu"}));
        assertFalse(JvmRelaunch.cpuOnly(new String[] {"fit", "x.csv", "--backend", "opencl"}));
        assertFalse(JvmRelaunch.cpuOnly(new String[] {"fit", "x.csv"}));
        assertFalse(JvmRelaunch.cpuOnly(new String[] {"bench", "--backend", "cpu,opencl"}));
    }

    /** The background warm-up's look at --precision reads the option as cpuOnly reads --backend. */
    @Test
    void theWarmUpSeesAFloat32Request() {
        assertTrue(JvmRelaunch.asksFloat32(new String[] {"fit", "x.csv", "--precision", "float32"}));
        assertTrue(JvmRelaunch.asksFloat32(new String[] {"fit", "x.csv", "--precision=f32"}));
        assertFalse(JvmRelaunch.asksFloat32(new String[] {"fit", "x.csv", "--precision", "float64"}));
        assertFalse(JvmRelaunch.asksFloat32(new String[] {"fit", "x.csv", "--precision", "half"}));
        assertFalse(JvmRelaunch.asksFloat32(new String[] {"fit", "x.csv"}));
    }
}
