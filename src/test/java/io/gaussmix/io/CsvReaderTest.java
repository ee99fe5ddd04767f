package io.gaussmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gaussmix.data.Matrix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path csv(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private String error(Path p, MissingValues mode) {
        return assertThrows(DataFileException.class, () -> CsvReader.read(p, mode)).getMessage();
    }

    @Test
    void readsWithoutHeader() throws IOException {
        Path p = csv("a.csv", "1,2\n3.5,-4e-3\n");
        CsvData d = CsvReader.readWithHeader(p, MissingValues.REJECT);
        assertFalse(d.hasHeader());
        assertEquals(List.of(), d.header());
        assertEquals(2, d.matrix().rows());
        assertEquals(2, d.matrix().cols());
        assertArrayEquals(new double[] {1, 2, 3.5, -4e-3}, d.matrix().data());
    }

    @Test
    void detectsHeaderAndTrimsWhitespaceAndCrLf() throws IOException {
        Path p = csv("h.csv", "\uFEFF \"height\" , weight,age\r\n 1.5 ,\t2, 3\r\n4,5,6\r\n\r\n\n  \n");
        CsvData d = CsvReader.readWithHeader(p, MissingValues.REJECT);
        assertEquals(List.of("height", "weight", "age"), d.header());
        assertEquals(2, d.matrix().rows());
        assertArrayEquals(new double[] {1.5, 2, 3, 4, 5, 6}, d.matrix().data());
    }

    /** Issue #11: a first line with one numeric cell is data (a typo there is an error, not a lost row). */
    @Test
    void firstLineWithANumericCellIsDataNotHeader() throws IOException {
        Path p = csv("h.csv", "x,2\n1,2\n");
        assertEquals(p + ": line 1, column 1: \"x\" is not a number (the first line is read as data because some"
                + " of its cells are numbers; a header line must have no numeric cell)", error(p, MissingValues.REJECT));
        CsvData d = CsvReader.readWithHeader(csv("h2.csv", "x,y2\n1,2\n"), MissingValues.REJECT);
        assertEquals(List.of("x", "y2"), d.header());
        assertEquals(1, d.matrix().rows());
    }

    @Test
    void firstLineOfMissingTokensIsDataNotHeader() throws IOException {
        Matrix m = CsvReader.read(csv("m.csv", "NA,1\n2,3\n"), MissingValues.ALLOW_NAN);
        assertEquals(2, m.rows());
        assertTrue(Double.isNaN(m.get(0, 0)));
    }

    @Test
    void roundTripsDoublesExactly() throws IOException {
        double[] v = {0.1, 1.0 / 3, -2.2250738585072014E-308, 1.7976931348623157E308, 4.9E-324, 123456789.123456789};
        StringBuilder sb = new StringBuilder();
        for (double x : v) {
            sb.append(x).append('\n');
        }
        assertArrayEquals(v, CsvReader.read(csv("r.csv", sb.toString()), MissingValues.REJECT).data());
    }

    @Test
    void badCellNamesFileLineColumnAndHeaderName() throws IOException {
        Path p = csv("data.csv", "id,age,score\n1,2,3\n4,abc,6\n");
        assertEquals(p + ": line 3, column 2 (\"age\"): \"abc\" is not a number", error(p, MissingValues.ALLOW_NAN));
    }

    @Test
    void badCellWithoutHeaderNamesLineAndColumn() throws IOException {
        Path p = csv("data.csv", "1,2\n3,4\n5,1.5f\n");
        assertEquals(p + ": line 3, column 2: \"1.5f\" is not a number", error(p, MissingValues.REJECT));
    }

    @Test
    void unequalRowsNameLineAndBothCounts() throws IOException {
        Path p = csv("u.csv", "1,2\n3,4\n5,6,7\n");
        assertEquals(p + ": line 3 has 3 values but line 1 has 2", error(p, MissingValues.REJECT));
        Path h = csv("uh.csv", "a,b,c\n1,2,3\n4,5\n");
        assertEquals(h + ": line 3 has 2 values but the header has 3 columns", error(h, MissingValues.REJECT));
    }

    @Test
    void blankLineBetweenRowsIsAnError() throws IOException {
        Path p = csv("b.csv", "1,2\n\n3,4\n");
        assertEquals(p + ": line 2 is blank but rows have 2 values", error(p, MissingValues.ALLOW_NAN));
    }

    @Test
    void missingTokensRejected() throws IOException {
        Path p = csv("m.csv", "a,b\n1,2\n3,NA\n");
        assertEquals(p + ": missing value \"NA\" at line 3, column 2 (\"b\")", error(p, MissingValues.REJECT));
        Path e = csv("e.csv", "1,2\n,4\n");
        assertEquals(e + ": missing value (empty cell) at line 2, column 1", error(e, MissingValues.REJECT));
        for (String token : new String[] {"nan", "NaN", "NAN", "na", "?", "  "}) {
            Path t = csv("t.csv", "1,2\n3," + token + "\n");
            assertTrue(error(t, MissingValues.REJECT).startsWith(t + ": missing value"), token);
        }
    }

    @Test
    void missingTokensBecomeNaN() throws IOException {
        Path p = csv("m.csv", "x,y\n1,NA\n?,nan\nNaN,\n , 2\n");
        Matrix m = CsvReader.read(p, MissingValues.ALLOW_NAN);
        assertEquals(4, m.rows());
        double[] d = m.data();
        assertEquals(1.0, d[0]);
        for (int i = 1; i < 7; i++) {
            assertTrue(Double.isNaN(d[i]), "index " + i);
        }
        assertEquals(2.0, d[7]);
    }

    @Test
    void oneColumnBlankLineIsMissing() throws IOException {
        Path p = csv("one.csv", "1\n\n3\n\n");
        Matrix m = CsvReader.read(p, MissingValues.ALLOW_NAN);
        assertEquals(3, m.rows());
        assertTrue(Double.isNaN(m.get(1, 0)));
        assertEquals(p + ": missing value (empty cell) at line 2, column 1", error(p, MissingValues.REJECT));
    }

    @Test
    void infinitiesRejectedInBothModes() throws IOException {
        for (String token : new String[] {"inf", "-inf", "Infinity", "-Infinity", "+INF", "1e999"}) {
            Path p = csv("i.csv", "a,b\n1,2\n3," + token + "\n");
            String expected = p + ": line 3, column 2 (\"b\"): \"" + token + "\" is not a finite number"
                    + " (infinite values are never valid data)";
            assertEquals(expected, error(p, MissingValues.REJECT));
            assertEquals(expected, error(p, MissingValues.ALLOW_NAN));
        }
    }

    @Test
    void emptyFileAndHeaderOnly() throws IOException {
        Path e = csv("empty.csv", "");
        assertEquals(e + ": no data rows (the file is empty)", error(e, MissingValues.REJECT));
        Path b = csv("blank.csv", "\n \n");
        assertEquals(b + ": no data rows (the file is empty)", error(b, MissingValues.REJECT));
        Path h = csv("header.csv", "a,b\n\n");
        assertEquals(h + ": no data rows (only a header line)", error(h, MissingValues.REJECT));
    }

    @Test
    void fileNotFoundAndDirectory() {
        Path p = dir.resolve("nope.csv");
        assertEquals("file not found: " + p, error(p, MissingValues.REJECT));
        assertEquals(dir + ": is a directory, not a data file", error(dir, MissingValues.REJECT));
    }

    @Test
    void binaryFileIsNotUtf8() throws IOException {
        Path p = dir.resolve("x.csv");
        Files.write(p, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        assertEquals(p + ": not a UTF-8 text file (a NumPy array must have the .npy extension)",
                error(p, MissingValues.REJECT));
    }

    @Test
    void growsBeyondTheInitialEstimate() throws IOException {
        StringBuilder sb = new StringBuilder("123456789.123456789,123456789.123456789\n");
        for (int i = 0; i < 20000; i++) {
            sb.append(i).append(',').append(-i).append('\n');
        }
        Matrix m = CsvReader.read(csv("g.csv", sb.toString()), MissingValues.REJECT);
        assertEquals(20001, m.rows());
        assertEquals(40002, m.data().length);
        assertEquals(-19999.0, m.get(20000, 1));
    }
}
