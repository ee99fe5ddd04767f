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


    /** Issue #11.11: exactly the decimal forms are numbers; Java's other forms are located errors. */
    @Test
    void acceptsExactlyDecimalNumbers() throws IOException {
        Matrix m = CsvReader.read(csv("ok.csv", "1,-2,+3\n.5,5.,1e3\n-1.5E-3,007,0\n"), MissingValues.REJECT);
        assertArrayEquals(new double[] {1, -2, 3, 0.5, 5, 1000, -1.5e-3, 7, 0}, m.data());
        String[][] refused = {{"0x1p3", "hexadecimal"}, {"1_000", "digit separators"}, {"1d", ""}, {"1e", ""},
                {"--1", ""}, {"1e+", ""}, {".", ""}, {"1 2", "space-separated"}, {"١", ""}};
        for (String[] r : refused) {
            Path p = csv("bad.csv", "1,2\n3," + r[0] + "\n");
            String e = error(p, MissingValues.ALLOW_NAN);
            assertTrue(e.startsWith(p + ": line 2, column 2: \"" + r[0] + "\" is not a number"), e);
            assertTrue(e.contains(r[1]), e);
        }
    }

    /** Issue #11.11: control characters are errors with their code point, not whitespace. */
    @Test
    void controlCharactersAreErrors() throws IOException {
        for (char c : new char[] {0, 1, 0x0B, 0x0C, 0x1F, 0x7F, 0x85}) {
            Path p = csv("c.csv", "1,2\n3,4" + c + "\n");
            String e = error(p, MissingValues.ALLOW_NAN);
            assertTrue(e.startsWith(p + ": line 2, column 2: \"4\\u"), e);
            assertTrue(e.contains(String.format("U+%04X", (int) c)) && e.contains("control character"), e);
        }
        Path header = csv("h.csv", "a,b\u0000\n1,2\n");
        assertEquals(header + ": line 1, column 2: the header holds the control character U+0000"
                + " (control characters other than tab are never valid)", error(header, MissingValues.REJECT));
        Path onlyNul = csv("n.csv", "1\n\u0000\n2\n");
        assertTrue(error(onlyNul, MissingValues.ALLOW_NAN).contains("line 2, column 1"), "a NUL line is not blank");
    }

    /** Issue #11.11: quoted numbers and other separators get a message that says what was found. */
    @Test
    void quotedCellsAndOtherSeparatorsAreNamed() throws IOException {
        Path q = csv("q.csv", "\"1\",\"2\"\n");
        assertEquals(q + ": line 1, column 1: \"\"1\"\" is not a number (quoted cells are not supported:"
                + " write numbers without quotes)", error(q, MissingValues.REJECT));
        Path semi = csv("s.csv", "a;b\n1;2\n");
        assertEquals(semi + ": line 2, column 1 (\"a;b\"): \"1;2\" is not a number (the file looks ';'-separated;"
                + " gaussmix reads comma-separated values only)", error(semi, MissingValues.REJECT));
        Path tab = csv("t.csv", "1\t2\n3\t4\n");
        assertTrue(error(tab, MissingValues.REJECT).contains("\"1\\t2\" is not a number (the file looks tab-separated"));
        Path pipe = csv("p.csv", "x,y\n1|2\n");
        assertEquals(pipe + ": line 2 has 1 value but the header has 2 columns (the file looks '|'-separated;"
                + " gaussmix reads comma-separated values only)", error(pipe, MissingValues.REJECT));
    }

    /** Issue #11.11: the header rule, precisely: no numeric cell, and at least one name. */
    @Test
    void headerOnlyWhenNoCellIsANumber() throws IOException {
        CsvData quoted = CsvReader.readWithHeader(csv("h.csv", "\"a\",\"b c\"\n1,2\n"), MissingValues.REJECT);
        assertEquals(List.of("a", "b c"), quoted.header());
        CsvData oneColumn = CsvReader.readWithHeader(csv("o.csv", "value\n1\n2\n"), MissingValues.REJECT);
        assertEquals(List.of("value"), oneColumn.header());
        assertEquals(2, oneColumn.matrix().rows());
        Path quotedNumbers = csv("qn.csv", "\"1\",\"2\"\n3,4\n");
        assertTrue(error(quotedNumbers, MissingValues.REJECT).contains("line 1, column 1"), "quoted numbers are data");
        Path mixed = csv("m.csv", "id,2.5\n1,2\n");
        assertTrue(error(mixed, MissingValues.REJECT).contains("line 1, column 1: \"id\" is not a number"));
    }

    /** Issue #11.15: a short first line no longer sizes the buffer for a file of long lines. */
    @Test
    void shortFirstLineDoesNotReserveTheWholeHeap() throws IOException {
        StringBuilder sb = new StringBuilder("1,2\n");
        for (int i = 0; i < 50000; i++) {
            sb.append("0.12345678901234567,").append(i).append(".1234567890123456\n");
        }
        Matrix m = CsvReader.read(csv("long.csv", sb.toString()), MissingValues.REJECT);
        assertEquals(50001, m.rows());
        assertEquals(100002, m.data().length);
        assertEquals(49999.1234567890123456, m.get(50000, 1));
    }
}
