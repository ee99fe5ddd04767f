package io.gaussmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gaussmix.data.Matrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvWriterTest {
    @TempDir
    Path dir;

    @Test
    void matrixWithoutHeaderRoundTripsExactly() throws IOException {
        double[] v = {0.1, 1.0 / 3, -1e-300, 6.02214076e23, 0, -0.0};
        Path p = dir.resolve("m.csv");
        CsvWriter.write(p, Matrix.wrap(v, 3, 2));
        assertEquals("0.1,0.3333333333333333\n-1.0E-300,6.02214076E23\n0.0,-0.0\n", Files.readString(p));
        CsvData d = CsvReader.readWithHeader(p, MissingValues.REJECT);
        assertEquals(List.of(), d.header());
        assertArrayEquals(v, d.matrix().data());
    }

    @Test
    void matrixWithHeaderRoundTrips() throws IOException {
        Path p = dir.resolve("h.csv");
        CsvWriter.write(p, Matrix.wrap(new double[] {1, 2, 3, 4}, 2, 2), List.of("x", "y"));
        assertEquals("x,y\n1.0,2.0\n3.0,4.0\n", Files.readString(p));
        CsvData d = CsvReader.readWithHeader(p, MissingValues.REJECT);
        assertEquals(List.of("x", "y"), d.header());
        assertArrayEquals(new double[] {1, 2, 3, 4}, d.matrix().data());
    }

    @Test
    void labelsWithAndWithoutHeader() throws IOException {
        Path p = dir.resolve("labels.csv");
        CsvWriter.writeLabels(p, new int[] {0, 2, 1}, "component");
        assertEquals("component\n0\n2\n1\n", Files.readString(p));
        CsvWriter.writeLabels(p, new int[] {3}, null);
        assertEquals("3\n", Files.readString(p));
    }

    @Test
    void badHeaderRejectedBeforeWriting() {
        Path p = dir.resolve("bad.csv");
        Matrix m = Matrix.wrap(new double[] {1, 2}, 1, 2);
        assertThrows(IllegalArgumentException.class, () -> CsvWriter.write(p, m, List.of("only one")));
        assertThrows(IllegalArgumentException.class, () -> CsvWriter.write(p, m, List.of("a,b", "c")));
        assertEquals(false, Files.exists(p));
    }


    /** Results are complete: a NaN or infinity fails the write, naming its row and column, and leaves the old file. */
    @Test
    void writeFiniteRefusesNonFiniteValuesAndKeepsTheOldFile() throws IOException {
        Path p = dir.resolve("r.csv");
        Files.writeString(p, "old\n");
        Matrix bad = Matrix.wrap(new double[] {1, 2, 3, Double.NaN}, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvWriter.writeFinite(p, bad, List.of("a", "b")));
        assertEquals(p + ": not written: row 2, column 2 (1-based) of the result is NaN"
                + " (the model cannot represent that row in float64)", e.getMessage());
        assertEquals("old\n", Files.readString(p));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList(), "no temporary file left behind");
        }
        CsvWriter.write(p, bad);
        assertEquals("1.0,2.0\n3.0,NaN\n", Files.readString(p), "plain write keeps NaN, read back as missing");
    }

    /** Blocks stream into one file, and row numbers in errors count across blocks. */
    @Test
    void blocksStreamAndCountRowsAcrossBlocks() throws IOException {
        Path p = dir.resolve("b.csv");
        List<Matrix> blocks = List.of(Matrix.wrap(new double[] {1, 2}, 1, 2), Matrix.wrap(new double[] {3, 4, 5, 6}, 2, 2));
        CsvWriter.writeFinite(p, List.of("p0", "p1"), blocks.iterator());
        assertEquals("p0,p1\n1.0,2.0\n3.0,4.0\n5.0,6.0\n", Files.readString(p));
        List<Matrix> bad = List.of(Matrix.wrap(new double[] {1, 2}, 1, 2),
                Matrix.wrap(new double[] {3, Double.POSITIVE_INFINITY}, 1, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvWriter.writeFinite(p, List.of("p0", "p1"), bad.iterator()));
        assertTrue(e.getMessage().contains("row 2, column 2 (1-based) of the result is Infinity"), e.getMessage());
        assertEquals("p0,p1\n1.0,2.0\n3.0,4.0\n5.0,6.0\n", Files.readString(p));
    }

    @Test
    void labelColumnFollowsTheValues() throws IOException {
        Path p = dir.resolve("s.csv");
        CsvWriter.writeFiniteWithLabels(p, Matrix.wrap(new double[] {0.5, -1, 2, 3}, 2, 2), new int[] {1, 0},
                List.of("x0", "x1", "component"));
        assertEquals("x0,x1,component\n0.5,-1.0,1\n2.0,3.0,0\n", Files.readString(p));
    }
}
