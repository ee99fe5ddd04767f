package io.gaussmix.cli;

import io.gaussmix.CovarianceType;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.DataFiles;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.ModelJson;
import io.gaussmix.io.NpyReader;
import io.gaussmix.io.NpyWriter;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * predict, score and impute on a .npy input stream it: the numbers are the in-memory API's on the same
 * rows, the outputs (CSV or .npy) are written as they are computed, a failure part-way leaves an
 * existing output as it was, and the heap needed does not grow with N.
 */
class StreamedCliTest {
    /** More rows than one streamed block (65,536), so that a failure comes after blocks were written. */
    private static final int ROWS = 70_000;

    @TempDir
    static Path dir;
    static GaussianMixtureModel model;
    static Path modelFile;
    static Matrix x;
    static Path npy;

    @BeforeAll
    static void data() throws Exception {
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, 3, 3, 8, 3.0, 0.0);
        model = GaussianMixtureModel.of(CovarianceType.FULL, p.weights(),
                Matrix.wrap(p.means(), 3, 3).toRows(), p.covariances(), FitSummary.notFitted());
        modelFile = dir.resolve("m.json");
        ModelJson.write(modelFile, model);
        model = ModelJson.read(modelFile); // the model exactly as the CLI reads it
        x = SyntheticMixtures.sample(p, ROWS, 3);
        npy = dir.resolve("x.npy");
        NpyWriter.write(npy, x);
    }

    private static CliRunner.Result ok(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    private static int[] labels(Path csv) throws Exception {
        return Files.readAllLines(csv).stream().mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void predictAndScoreOnNpyEqualTheApi() throws Exception {
        Path labels = dir.resolve("labels.csv");
        ok("predict", modelFile.toString(), npy.toString(), "-o", labels.toString());
        assertArrayEquals(model.predict(x), labels(labels));
        Path labelsNpy = dir.resolve("labels.npy");
        ok("predict", modelFile.toString(), npy.toString(), "-o", labelsNpy.toString());
        assertArrayEquals(Arrays.stream(model.predict(x)).asDoubleStream().toArray(),
                NpyReader.read(labelsNpy, MissingValues.REJECT).data());

        Path proba = dir.resolve("p.npy");
        ok("predict", modelFile.toString(), npy.toString(), "--proba", "-o", proba.toString());
        Matrix written = NpyReader.read(proba, MissingValues.REJECT);
        assertEquals(3, written.cols());
        assertArrayEquals(model.predictProba(x).data(), written.data(), "float64 .npy: the same bits");
        Path probaCsv = dir.resolve("p.csv");
        ok("predict", modelFile.toString(), npy.toString(), "--proba", "-o", probaCsv.toString());
        assertArrayEquals(model.predictProba(x).data(), DataFiles.read(probaCsv, MissingValues.REJECT).data(),
                "CSV round-trips doubles exactly");

        CliRunner.Result score = ok("score", modelFile.toString(), npy.toString());
        assertEquals(model.score(x), Double.parseDouble(score.lastOutLine()), 0.0);
    }

    @Test
    void imputeOnNpyEqualsTheApi() throws Exception {
        double[] v = x.data().clone();
        for (int i = 0; i < v.length; i += 7) {
            v[i] = Double.NaN;
        }
        Matrix gaps = Matrix.wrap(v, ROWS, 3);
        Path in = dir.resolve("gaps.npy");
        NpyWriter.write(in, gaps);
        Path out = dir.resolve("completed.npy");
        Path proba = dir.resolve("resp.csv");
        ok("impute", modelFile.toString(), in.toString(), "-o", out.toString(), "--proba-out", proba.toString());
        GaussianMixtureModel.Imputation expected = model.imputeWithResponsibilities(gaps);
        assertArrayEquals(expected.completed().data(), NpyReader.read(out, MissingValues.REJECT).data());
        assertArrayEquals(expected.responsibilities().data(), DataFiles.read(proba, MissingValues.REJECT).data());
    }

    /** A bad value past the first block: an error naming its row, and the existing outputs untouched. */
    @Test
    void failurePartWayLeavesOutputsAsTheyWere() throws Exception {
        double[] v = x.data().clone();
        v[3 * 69_999 + 2] = 1e300;
        Path bad = dir.resolve("bad.npy");
        NpyWriter.write(bad, Matrix.wrap(v, ROWS, 3));
        Path out = dir.resolve("keep.csv");
        Files.writeString(out, "old\n");
        for (List<String> args : List.of(List.of("predict", "-o", out.toString()),
                List.of("predict", "--proba", "-o", out.toString()),
                List.of("impute", "-o", out.toString()))) {
            List<String> all = new ArrayList<>(List.of(args.get(0), modelFile.toString(), bad.toString()));
            all.addAll(args.subList(1, args.size()));
            CliRunner.Result r = CliRunner.run(all.toArray(String[]::new));
            assertEquals(1, r.code(), r.out());
            assertTrue(r.err().contains("row 69999, column 2 (0-based)") && r.err().contains("too large"), r.err());
            assertEquals(1, r.errLines().size(), "one line: " + r.err());
            assertEquals("old\n", Files.readString(out), String.join(" ", all));
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".gaussmix-")), "no temp file left");
        }
    }

    /** The CLI as a user starts it, with the given heap, as the relaunched child already (of this JVM). */
    private static ProcessBuilder childJvm(String heap, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(JvmRelaunch.PARENT_PID, Long.toString(ProcessHandle.current().pid()));
        return pb;
    }

    private static String runChild(ProcessBuilder pb, int expectedExit) throws Exception {
        Process child = pb.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the command ended");
        assertEquals(expectedExit, child.exitValue(), output);
        return output;
    }

    /** A CSV whose values do not fit the heap is refused in one line that says how to stream it instead. */
    @Test
    void csvLargerThanTheHeapIsRefusedWithTheWayToConvertIt() throws Exception {
        Path csv = dir.resolve("large.csv");
        StringBuilder row = new StringBuilder();
        for (int c = 0; c < 3; c++) {
            row.append(c > 0 ? "," : "").append(0.125 * (c + 1));
        }
        Files.write(csv, java.util.Collections.nCopies(2_000_000, row.toString())); // 48 MB as float64
        String out = runChild(childJvm("-Xmx32m", "score", modelFile.toString(), csv.toString()), 1);
        // Refused before the allocation (Memory's estimate) or when it fails: either way this one line.
        assertTrue(out.contains("needs") && out.contains("memory") && out.contains("-Xmx")
                && out.contains("gaussmix convert " + csv + " " + dir.resolve("large.npy")), out);
        assertEquals(1, out.lines().filter(l -> l.startsWith("gaussmix: error:")).count(), out);
    }

    /**
     * predict in a child JVM with a 64 MB heap on a float64 file of 1.25 million rows x 8 (80 MB), which
     * would not fit that heap: it streams, and its labels are those of the in-memory API.
     */
    @Test
    void predictStreamsWithAHeapSmallerThanTheData() throws Exception {
        int n = 1_250_000;
        int d = 8;
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.DIAG, 4, d, 2, 3.0, 0.0);
        Matrix big = SyntheticMixtures.sample(p, n, 1);
        Path file = dir.resolve("big.npy");
        NpyWriter.write(file, big);
        assertTrue((long) n * d * Double.BYTES > 64L << 20, "the data exceed the child's heap");
        GaussianMixtureModel m = GaussianMixtureModel.of(CovarianceType.DIAG, p.weights(),
                Matrix.wrap(p.means(), 4, d).toRows(), p.covariances(), FitSummary.notFitted());
        Path mFile = dir.resolve("big.json");
        ModelJson.write(mFile, m);
        Path labels = dir.resolve("big-labels.csv");
        runChild(childJvm("-Xmx64m", "predict", mFile.toString(), file.toString(), "-o", labels.toString()), 0);
        GaussianMixtureModel read = ModelJson.read(mFile);
        assertArrayEquals(read.predict(big), labels(labels));
    }
}
