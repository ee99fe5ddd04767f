package io.gaussmix.io;

import io.gaussmix.data.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvToNpyTest {
    @TempDir
    Path dir;

    /** A CSV of random values over many magnitudes, in Java's shortest exact notation, with or without a header. */
    private Path csv(String name, int rows, int cols, boolean header) throws IOException {
        Random r = new Random(rows * 31L + cols);
        StringBuilder sb = new StringBuilder();
        if (header) {
            for (int c = 0; c < cols; c++) {
                sb.append(c == 0 ? "" : ",").append("\"col").append(c).append('"');
            }
            sb.append('\n');
        }
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < cols; c++) {
                sb.append(c == 0 ? "" : ", ").append(r.nextGaussian() * Math.pow(10, r.nextInt(21) - 10));
            }
            sb.append(i % 2 == 0 ? "\n" : "\r\n");
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void float64RoundTripEqualsTheCsvReader() throws IOException {
        Path in = csv("x.csv", 3001, 4, false);
        Path out = dir.resolve("x.npy");
        CsvToNpy.Result r = CsvToNpy.convert(in, out, false);
        assertEquals(new CsvToNpy.Result(3001, 4, List.of()), r);
        Matrix expected = CsvReader.read(in, MissingValues.REJECT);
        Matrix actual = NpyReader.read(out, MissingValues.REJECT);
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.cols(), actual.cols());
        assertArrayEquals(expected.data(), actual.data());
    }

    @Test
    void float32RoundTripEqualsTheCsvReaderNarrowed() throws IOException {
        Path in = csv("x.csv", 2000, 3, true);
        Path out = dir.resolve("x32.npy");
        CsvToNpy.Result r = CsvToNpy.convert(in, out, true);
        assertEquals(List.of("col0", "col1", "col2"), r.header());
        assertEquals(2000, r.rows());
        CsvData expected = CsvReader.readWithHeader(in, MissingValues.REJECT);
        assertEquals(expected.header(), r.header());
        double[] narrowed = expected.matrix().data().clone();
        for (int i = 0; i < narrowed.length; i++) {
            narrowed[i] = (float) narrowed[i];
        }
        Matrix actual = NpyReader.read(out, MissingValues.REJECT);
        assertEquals(2000, actual.rows());
        assertArrayEquals(narrowed, actual.data());
        assertEquals(NpyWriter.header("<f4", Long.MAX_VALUE, 3, 0).length + 2000L * 3 * 4, Files.size(out),
                "4 bytes a value after the reserved header");
    }

    @Test
    void badCellsGiveTheCsvReadersErrorAndWriteNothing() throws IOException {
        Path out = dir.resolve("out.npy");
        Files.writeString(out, "keep me");
        String[] bad = {
            "a,b\n1,2\n3,x7\n",        // not a number, named by line, column and header name
            "1,2\n3,4\n5\n",           // a short row
            "1,2\n3,NA\n",             // a missing value
            "1,2\n3,1e999\n",          // infinite
            "a,b\n",                   // no data rows
            "1;2;3\n4;5;6\n",          // another separator
        };
        for (int i = 0; i < bad.length; i++) {
            Path in = dir.resolve("bad" + i + ".csv");
            boolean float32 = i % 2 == 0;
            Files.writeString(in, bad[i]);
            String expected = assertThrows(DataFileException.class, () -> CsvReader.read(in, MissingValues.REJECT))
                    .getMessage();
            String actual = assertThrows(DataFileException.class, () -> CsvToNpy.convert(in, out, float32))
                    .getMessage();
            assertEquals(expected, actual, bad[i]);
            assertEquals("keep me", Files.readString(out), "the existing output is unchanged");
        }
        assertEquals(dir.resolve("bad0.csv") + ": line 3, column 2 (\"b\"): \"x7\" is not a number",
                assertThrows(DataFileException.class, () -> CsvToNpy.convert(dir.resolve("bad0.csv"), out, false))
                        .getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count(), "no temp file left");
        }
    }

    @Test
    void float32RefusesAValueBeyondItsRangeNamingTheCell() throws IOException {
        Path in = dir.resolve("big.csv");
        Files.writeString(in, "u,v\n1,2\n3,-3.5e38\n");
        Path out = dir.resolve("big.npy");
        assertEquals(in + ": line 3, column 2 (\"v\"): -3.5E38 does not fit float32 (largest 3.4028235E38):"
                + " convert without --float32", assertThrows(DataFileException.class,
                () -> CsvToNpy.convert(in, out, true)).getMessage());
        assertEquals(false, Files.exists(out));
        CsvToNpy.convert(in, out, false);
        assertEquals(-3.5e38, NpyReader.read(out, MissingValues.REJECT).get(1, 1), "float64 holds it");
    }
}
