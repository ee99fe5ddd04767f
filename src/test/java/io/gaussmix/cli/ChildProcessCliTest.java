package io.gaussmix.cli;

import io.gaussmix.CovarianceType;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.DataFiles;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.ModelJson;
import io.gaussmix.io.NpyWriter;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The CLI as a user starts it: a plain {@code java -cp ... io.gaussmix.cli.Main} (what {@code java -jar}
 * runs) without JVM flags or libjsig, so it relaunches itself. It gets the Vector API kernels, passes the
 * exit code back, and killed at random moments (SIGKILL and SIGTERM) leaves the old or the new complete
 * output, no running process, and no temp file after the next write.
 */
class ChildProcessCliTest {
    /** Rows of the kill test's data: a fit of 40 iterations or a predict --proba takes about a second. */
    private static final int ROWS = 200_000;
    private static final int K = 8;

    @TempDir
    static Path dir;
    static Path data;
    static Path oldModel;
    static Path small;

    @BeforeAll
    static void data() throws Exception {
        Matrix x = SyntheticMixtures.sample(SyntheticMixtures.randomParams(CovarianceType.FULL, K, 8, 3, 3.0, 0.0), ROWS, 4);
        data = dir.resolve("data.npy");
        NpyWriter.write(data, x);
        oldModel = dir.resolve("old.json");
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "-k", "" + K, "--max-iter", "1", "--tol", "0",
                "--quiet", "-o", oldModel.toString());
        assertEquals(0, r.code(), r.err());
        small = CliRunner.blobs(dir, "small.csv", 60, 1);
    }

    /** {@code java -cp <test class path> io.gaussmix.cli.Main args}, with nothing that would spare the relaunch. */
    private static ProcessBuilder plainJava(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        for (String v : List.of("LD_PRELOAD", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", JvmRelaunch.PARENT_PID)) {
            pb.environment().remove(v);
        }
        return pb;
    }

    @Test
    void plainJavaRunsTheVectorKernelsAndPassesTheExitCodeBack() throws Exception {
        Path m = dir.resolve("fast.json");
        Process p = plainJava("fit", data.toString(), "-k", "2", "--max-iter", "2", "--backend", "cpu", "--quiet",
                "-o", m.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("Vector API"), "the summary names the kernels that ran: " + out);

        Process bad = plainJava("fit", dir.resolve("nope.csv").toString(), "-k", "2", "-o", m.toString())
                .redirectErrorStream(true).start();
        String err = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, bad.waitFor(), err);
        assertTrue(err.contains("gaussmix: error: ") && err.contains("nope.csv"), err);
    }

    @Test
    void killedAtRandomMomentsLeavesOldOrNewFileNoProcessNoTempFile() throws Exception {
        Random random = new Random(20261202);
        Path model = dir.resolve("model.json");
        Path proba = dir.resolve("proba.csv");
        for (int trial = 0; trial < 8; trial++) {
            boolean sigkill = trial % 2 == 0;
            boolean fit = trial < 4;
            Path target = fit ? model : proba;
            if (fit) {
                Files.copy(oldModel, model, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.writeString(proba, "p0\n0.5\n");
            }
            byte[] before = Files.readAllBytes(target);
            ProcessBuilder pb = fit
                    ? plainJava("fit", data.toString(), "-k", "" + K, "--max-iter", "40", "--tol", "0", "--quiet",
                            "-o", model.toString())
                    : plainJava("predict", oldModel.toString(), data.toString(), "--proba", "-o", proba.toString());
            Process parent = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(300 + random.nextInt(2200));
            if (sigkill) {
                parent.destroyForcibly();
            } else {
                parent.destroy();
            }
            assertTrue(parent.waitFor(20, TimeUnit.SECONDS), "the started process ends");
            awaitNoProcessWriting(target);

            byte[] after = Files.readAllBytes(target);
            if (!Arrays.equals(before, after)) {
                if (fit) {
                    assertEquals(K, ModelJson.read(model).components(), "a complete new model");
                } else {
                    assertEquals(ROWS, DataFiles.read(proba, MissingValues.REJECT).rows(), "a complete new output");
                }
            }
            // The next write of the same target removes what the killed one left.
            CliRunner.Result next = fit
                    ? CliRunner.run("fit", small.toString(), "-k", "2", "--quiet", "-o", model.toString())
                    : CliRunner.run("predict", oldModel.toString(), data.toString(), "-o", proba.toString());
            if (!fit) {
                assertEquals(0, next.code(), next.err());
            }
            assertEquals(List.of(), tempFiles(target), "trial " + trial + (sigkill ? " SIGKILL" : " SIGTERM"));
        }
        // A fit of the small data by a plain process still works after all that.
        Process ok = plainJava("fit", small.toString(), "-k", "2", "--quiet", "-o", model.toString()).start();
        assertEquals(0, ok.waitFor());
        assertEquals(2, ModelJson.read(model).components());
    }

    /** Waits until no process started for {@code target} runs (the relaunched child must stop by itself). */
    private static void awaitNoProcessWriting(Path target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            List<ProcessHandle> alive = ProcessHandle.allProcesses()
                    .filter(h -> h.info().commandLine().map(c -> c.contains(target.toString())).orElse(false))
                    .toList();
            // A process that is exiting has no command line any more but may still run: also wait until
            // the writer named in each temp file has ended (or is a zombie), which is what the next write's
            // clean-up looks for.
            if (alive.isEmpty() && tempFileWriters(target).noneMatch(ChildProcessCliTest::runs)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                alive.forEach(ProcessHandle::destroyForcibly);
                fail("still running after the kill: " + (alive.isEmpty() ? "the writer of a temp file of " + target
                        : alive.get(0).info().commandLine().orElse("?")));
            }
            Thread.sleep(50);
        }
    }

    /** The pids encoded in target's temp-file names ({@code .<name>.gaussmix-<pid>-<hex>.tmp}). */
    private static Stream<Long> tempFileWriters(Path target) {
        try {
            return tempFiles(target).stream()
                    .map(n -> n.substring(n.indexOf("gaussmix-") + "gaussmix-".length()))
                    .map(n -> Long.parseLong(n.substring(0, n.indexOf('-'))));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether pid runs and is not a zombie (a zombie writes nothing). */
    private static boolean runs(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> tempFiles(Path target) throws IOException {
        String prefix = "." + target.getFileName() + ".";
        try (Stream<Path> s = Files.list(target.getParent())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix) && n.endsWith(".tmp")).toList();
        }
    }
}
