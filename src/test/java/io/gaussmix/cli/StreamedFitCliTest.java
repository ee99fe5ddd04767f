package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.io.DataFiles;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.ModelJson;
import io.gaussmix.testing.SplitSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fit} on a float32 .npy file whose float64 copy exceeds the heap streams it, in a child JVM of 80 MB. */
class StreamedFitCliTest {
    /**
     * The child's heap: below the file's float64 copy (85 MiB), so it must stream. At 64 MB the fit failed now
     * and then with OutOfMemoryError on a busy machine (the 16 MiB window is a humongous object for G1, which
     * needs 16 contiguous free 1 MB regions for it); the constant-memory claim does not depend on the margin.
     */
    static final int HEAP_MB = 80;
    static final String HEAP = "-Xmx" + HEAP_MB + "m";
    static final int ROWS = 700_000;
    static final int COLS = 16;
    static final double[] CENTRES = {0, 10, 20};

    @TempDir
    Path dir;

    @Test
    void aFileLargerThanTheHeapFitsWithConstantMemory() throws Exception {
        assertTrue((long) ROWS * COLS * Double.BYTES > (long) HEAP_MB << 20, "as float64 the rows exceed the child's heap");
        Path npy = dir.resolve("big.npy");
        writeFloat32(npy);
        Path model = dir.resolve("m.json");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "fit", npy.toString(), "-k", "3", "--covariance-type", "diag", "--max-iter", "3", "--backend", "cpu",
                "--init-sample", "20000", "--quiet", "-o", model.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "fit finished");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("(" + ROWS + " rows x " + COLS + " columns)"), output);
        assertTrue(output.contains("memory:      streamed from the file (float32)"), output);
        GaussianMixtureModel m = ModelJson.read(model);
        double[][] means = m.means().clone();
        Arrays.sort(means, Comparator.comparingDouble(r -> r[0]));
        // Each cluster has ~233,000 unit-variance rows: a mean's standard error is ~0.002; 0.02 is 10 of them
        // (and EM from a k-means start on clusters 10 standard deviations apart is at the fixed point at once).
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < COLS; j++) {
                assertEquals(CENTRES[c], means[c][j], 0.02, "component " + c + ", column " + j);
            }
        }
    }

    @Test
    void aBadValueInALateRowOfAStreamedFileIsOneLineAndWritesNothing() throws Exception {
        Path npy = dir.resolve("bad.npy");
        writeFloat32(npy);
        try (FileChannel ch = FileChannel.open(npy, StandardOpenOption.WRITE)) {
            long offset = Files.size(npy) - (3L * COLS - 5) * Float.BYTES;   // row ROWS - 3, column 5
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, Float.NaN), offset);
        }
        Path model = dir.resolve("m.json");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "fit", npy.toString(), "-k", "3", "--covariance-type", "diag", "--backend", "cpu",
                "--init-sample", "20000", "--quiet", "-o", model.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "fit finished");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.exitValue() != 0, output);
        List<String> lines = output.lines().filter(l -> !l.startsWith("WARNING")).toList();
        assertEquals(1, lines.size(), output);
        assertTrue(lines.get(0).contains("row " + (ROWS - 3)) && lines.get(0).contains("column 5"), output);
        assertFalse(Files.exists(model), "no model written");
    }

    @Test
    void missingDataEmOnAFileLargerThanTheHeapIsOneLineGivingTheMemoryItNeeds() throws Exception {
        Path npy = dir.resolve("big.npy");
        writeFloat32(npy);
        Path model = dir.resolve("m.json");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "fit", npy.toString(), "-k", "3", "--missing", "em", "--backend", "cpu", "--quiet",
                "-o", model.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "fit finished");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.exitValue() != 0, output);
        List<String> lines = output.lines().filter(l -> !l.startsWith("WARNING")).toList();
        assertEquals(1, lines.size(), output);
        assertTrue(lines.get(0).contains("needs 85 MB of memory") && lines.get(0).contains("-Xmx")
                && lines.get(0).contains("--missing em needs the rows in memory"), output);
        assertFalse(Files.exists(model), "no model written");
    }

    /**
     * A weighted fit of the file streamed in an 80 MB child (rows and a (N,) weights file in windows) gives
     * the model of the same command run here, where the file fits the heap and is read whole, and prints the
     * same BIC and AIC: one scoring pass over the file, equal to the API's criteria of that model on the
     * rows in memory. A weights file of another length is a one-line error before any work.
     */
    @Test
    void aWeightedStreamedFitGivesTheInMemoryModelAndItsBicAndAic() throws Exception {
        Path npy = dir.resolve("big.npy");
        writeFloat32(npy);
        Path weights = SplitSources.npyColumn(dir, "w.npy", SplitSources.weights(ROWS, 10), false, true);
        Path streamedModel = dir.resolve("streamed.json");
        Path residentModel = dir.resolve("resident.json");
        String[] fit = {"fit", npy.toString(), "--weights", weights.toString(), "-k", "3", "--covariance-type",
                "diag", "--max-iter", "3", "--backend", "cpu", "--init-sample", "20000", "--quiet", "-o"};
        String streamed = childFit(fit, streamedModel);
        assertTrue(streamed.contains("memory:      streamed from the file (float32)")
                && streamed.contains("sample weights read with each window"), streamed);
        CliRunner.Result resident = CliRunner.run(append(fit, residentModel.toString()));
        assertEquals(0, resident.code(), resident.err());
        assertTrue(resident.out().contains("memory:      resident"), resident.out());

        GaussianMixtureModel m = ModelJson.read(streamedModel);
        assertEquals(ModelJson.toJson(ModelJson.read(residentModel)).toString(), ModelJson.toJson(m).toString());
        var criteria = m.informationCriteria(DataFiles.read(npy, MissingValues.REJECT));
        String expected = String.format(Locale.ROOT, "BIC:         %.6f   AIC: %.6f   (%d parameters)",
                criteria.bic(), criteria.aic(), m.parameterCount());
        assertTrue(streamed.contains(expected), expected + " in " + streamed);
        assertTrue(resident.out().contains(expected), expected + " in " + resident.out());

        Path shortWeights = SplitSources.npyColumn(dir, "short.npy", new double[ROWS - 1], false, false);
        Path model = dir.resolve("m.json");
        fit[3] = shortWeights.toString();
        Process bad = child(append(fit, model.toString()));
        assertTrue(bad.waitFor(120, TimeUnit.SECONDS), "fit finished");
        String output = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(bad.exitValue() != 0, output);
        List<String> lines = output.lines().filter(l -> !l.startsWith("WARNING")).toList();
        assertEquals(1, lines.size(), output);
        assertTrue(lines.get(0).endsWith(shortWeights + ": " + (ROWS - 1) + " weights for " + ROWS + " data rows"),
                output);
        assertFalse(Files.exists(model), "no model written");
    }

    /** Runs {@code fit ... -o model} in an 80 MB child JVM and returns its output; the fit must succeed. */
    private static String childFit(String[] fit, Path model) throws Exception {
        Process p = child(append(fit, model.toString()));
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "fit finished");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        return output;
    }

    private static Process child(String[] args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP, "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String[] append(String[] a, String last) {
        String[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }

    /** ROWS x COLS little-endian float32, row r from cluster r % 3 (unit variance about its centre). */
    private static void writeFloat32(Path file) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + ROWS + ", " + COLS + "), }";
        int total = ((10 + dict.length() + 1 + 63) / 64) * 64;
        StringBuilder header = new StringBuilder(dict);
        while (10 + header.length() + 1 < total) {
            header.append(' ');
        }
        header.append('\n');
        ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        pre.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length()).flip();
        SplittableRandom rnd = new SplittableRandom(3);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(pre);
            ch.write(ByteBuffer.wrap(header.toString().getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(4096 * COLS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < ROWS; r++) {
                double centre = CENTRES[r % 3];
                for (int j = 0; j < COLS; j++) {
                    buf.putFloat((float) (centre + gaussian(rnd)));
                }
                if (!buf.hasRemaining() || r == ROWS - 1) {
                    buf.flip();
                    ch.write(buf);
                    buf.clear();
                }
            }
        }
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
