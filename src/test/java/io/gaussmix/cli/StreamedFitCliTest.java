package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.io.ModelJson;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fit} on a float32 .npy file whose float64 copy exceeds the heap streams it, in a child JVM of 64 MB. */
class StreamedFitCliTest {
    static final int ROWS = 700_000;
    static final int COLS = 16;
    static final double[] CENTRES = {0, 10, 20};

    @TempDir
    Path dir;

    @Test
    void aFileLargerThanTheHeapFitsWithConstantMemory() throws Exception {
        assertTrue((long) ROWS * COLS * Double.BYTES > 64L << 20, "as float64 the rows exceed the child's heap");
        Path npy = dir.resolve("big.npy");
        writeFloat32(npy);
        Path model = dir.resolve("m.json");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
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
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
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
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
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
