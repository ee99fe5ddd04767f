package io.gaussmix.cli;

import io.gaussmix.backend.SignalChaining;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signal chaining is in force where OpenCL kernels are compiled in-process (the tests, the CLI), and the
 * relaunch's first look at the arguments (before picocli) reads what the warm-up needs.
 */
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

    /** The warm-up's look at the data's D: the data file's header, not a weights or labels file's, never an error. */
    @Test
    void theWarmUpSeesTheDataFilesColumns(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("x.NPY");
        Path weights = dir.resolve("w.npy");
        NpyWriter.write(data, Matrix.wrap(new double[3 * 7], 3, 7));
        NpyWriter.write(weights, Matrix.wrap(new double[3], 3, 1));
        assertEquals(OptionalInt.of(7), JvmRelaunch.npyColumns(new String[] {"fit", data.toString(), "-k", "2"}));
        assertEquals(OptionalInt.of(7), JvmRelaunch.npyColumns(
                new String[] {"fit", "--weights", weights.toString(), "--init-labels", weights.toString(), data.toString()}));
        assertEquals(OptionalInt.empty(), JvmRelaunch.npyColumns(new String[] {"fit", "x.csv", "--weights", weights.toString()}));
        assertEquals(OptionalInt.empty(), JvmRelaunch.npyColumns(new String[] {"fit", dir.resolve("none.npy").toString()}));
        Path notNpy = dir.resolve("bad.npy");
        Files.writeString(notNpy, "a,b\n1,2\n");
        assertEquals(OptionalInt.empty(), JvmRelaunch.npyColumns(new String[] {"fit", notNpy.toString()}));
    }

    /** The warm-up starts for fits that may run the FULL/TIED kernels only. */
    @Test
    void theWarmUpSkipsFitsWithoutTriangularKernels() {
        assertTrue(JvmRelaunch.mayRunTriangularKernels(new String[] {"fit", "x.npy"}));
        assertTrue(JvmRelaunch.mayRunTriangularKernels(new String[] {"fit", "x.npy", "--covariance-type", "tied"}));
        assertTrue(JvmRelaunch.mayRunTriangularKernels(new String[] {"select", "x.npy", "--covariance-types=diag,full"}));
        assertFalse(JvmRelaunch.mayRunTriangularKernels(new String[] {"fit", "x.npy", "--covariance-type=diag"}));
        assertFalse(JvmRelaunch.mayRunTriangularKernels(new String[] {"select", "x.npy", "--covariance-types", "spherical,diag"}));
        assertFalse(JvmRelaunch.mayRunTriangularKernels(new String[] {"fit", "x.npy", "--covariance-type", "banana"}));
    }
}
