package io.gaussmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
