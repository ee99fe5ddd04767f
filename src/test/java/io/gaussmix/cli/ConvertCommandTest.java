package io.gaussmix.cli;

import io.gaussmix.data.Matrix;
import io.gaussmix.io.CsvReader;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.NpyReader;
import io.gaussmix.io.NpyRowSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvertCommandTest {
    @TempDir
    Path dir;

    @Test
    void convertsAndSaysWhatItWrote() throws Exception {
        Path csv = CliRunner.blobs(dir, "b.csv", 300, 1);
        Path npy = dir.resolve("b.npy");
        CliRunner.Result r = CliRunner.run("convert", csv.toString(), npy.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("wrote " + npy + ": 300 rows x 2 columns, float64 (the first line was a header: 2 names, not data)",
                r.lastOutLine());
        Matrix expected = CsvReader.read(csv, MissingValues.REJECT);
        assertArrayEquals(expected.data(), NpyReader.read(npy, MissingValues.REJECT).data());
        assertEquals(0, CliRunner.run("fit", npy.toString(), "-k", "3", "--seed", "1", "-o",
                dir.resolve("m.json").toString()).code(), "the output is a data file the other commands read");
    }

    @Test
    void aBadCellIsOneLocatedErrorAndTheOutputMayNotBeTheInput() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "1,2\n3,4\n5,six\n");
        Path npy = dir.resolve("bad.npy");
        CliRunner.Result r = CliRunner.run("convert", csv.toString(), npy.toString(), "--float32");
        assertEquals(1, r.code());
        assertEquals(List.of("gaussmix: error: " + csv + ": line 3, column 2: \"six\" is not a number"), r.errLines());
        assertTrue(Files.notExists(npy));
        CliRunner.Result same = CliRunner.run("convert", csv.toString(), csv.toString());
        assertEquals(2, same.code());
        assertTrue(same.err().contains("is the same file as INPUT.csv"), same.err());
    }

    /**
     * Constant memory: a ~50 MB CSV whose 12.5 million values take 100 MB as float64 is converted by a
     * child JVM with a 64 MB heap; the result is checked value by value through a streamed pass.
     */
    @Test
    void aFileLargerThanTheHeapConvertsWithConstantMemory() throws Exception {
        int cols = 8;
        int rows = 1_562_500;
        Path csv = dir.resolve("large.csv");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(csv), 1 << 16)) {
            byte[] line = new byte[cols * 4];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    line[4 * c] = (byte) ('0' + digit(r, c));
                    line[4 * c + 1] = '.';
                    line[4 * c + 2] = (byte) ('0' + tenth(r, c));
                    line[4 * c + 3] = (byte) (c == cols - 1 ? '\n' : ',');
                }
                out.write(line);
            }
        }
        assertTrue(Files.size(csv) >= 50_000_000L);
        assertTrue((long) rows * cols * Double.BYTES > 64L << 20, "as float64 the values exceed the child's heap");
        Path npy = dir.resolve("large.npy");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "convert", csv.toString(), npy.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "convert finished");
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), output);
        Files.delete(csv);
        try (NpyRowSource source = NpyRowSource.open(npy)) {
            assertEquals(rows, source.rows());
            assertEquals(cols, source.cols());
            long[] wrong = {0};
            source.forEachBlock(4096, (first, n, values) -> {
                for (int i = 0; i < n * cols; i++) {
                    long r = first + i / cols;
                    int c = i % cols;
                    if (values[i] != Double.parseDouble(digit(r, c) + "." + tenth(r, c))) {
                        wrong[0]++;
                    }
                }
            });
            assertEquals(0, wrong[0], "values that differ from the CSV");
        }
    }

    private static int digit(long r, int c) {
        return (int) ((r * 7 + c * 3) % 10);
    }

    private static int tenth(long r, int c) {
        return (int) ((r + c * c) % 10);
    }
}
