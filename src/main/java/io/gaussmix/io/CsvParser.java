package io.gaussmix.io;

import io.gaussmix.data.Matrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.gaussmix.io.CsvCells.codePoint;
import static io.gaussmix.io.CsvCells.firstControl;
import static io.gaussmix.io.CsvCells.foreignSeparator;
import static io.gaussmix.io.CsvCells.isBlank;
import static io.gaussmix.io.CsvCells.isInfinityToken;
import static io.gaussmix.io.CsvCells.isMissingToken;
import static io.gaussmix.io.CsvCells.isNumeric;
import static io.gaussmix.io.CsvCells.isSpace;
import static io.gaussmix.io.CsvCells.shown;
import static io.gaussmix.io.CsvCells.strip;
import static io.gaussmix.io.CsvCells.unquoted;

/**
 * One pass over one CSV file: the state and rules behind {@link CsvReader}. Not reusable. {@link #parse}
 * keeps the rows in one matrix; {@link #stream} hands them to a {@link RowSink} one at a time (constant
 * memory, any number of rows), with the same rules and errors.
 */
final class CsvParser {
    /** Receives the data rows of a streamed parse, in order. */
    interface RowSink {
        /**
         * @param values the row's values (missing values as NaN when allowed); the array is reused
         * @param lineNo the row's 1-based line in the file
         */
        void row(double[] values, long lineNo) throws IOException;
    }

    /** What a streamed parse saw: the header's names (empty without one), the row width and the row count. */
    record Streamed(List<String> header, int cols, long rows) {
    }

    /** The largest array the JVM reliably allocates. */
    private static final int MAX_VALUES = Integer.MAX_VALUE - 8;

    private final String file;
    private final MissingValues missing;
    private final long fileSize;

    private List<String> header = List.of();
    private int cols = -1;
    private long firstDataLine;
    private double[] values = new double[0];
    private int size;
    private long rows;
    /** Where rows go in {@link #stream}; null while {@link #parse} keeps them. */
    private RowSink sink;
    /** Characters of the data lines so far, to estimate the rows still to come. */
    private long chars;

    CsvParser(String file, MissingValues missing, long fileSize) {
        this.file = file;
        this.missing = missing;
        this.fileSize = fileSize;
    }

    CsvData parse(BufferedReader in) throws IOException {
        readLines(in);
        if (values.length != size) {
            Memory.require((long) size * Double.BYTES, file + ": " + rows + " rows of " + cols + " values");
        }
        double[] exact = values.length == size ? values : Arrays.copyOf(values, size);
        return new CsvData(Matrix.wrap(exact, (int) rows, cols), header);
    }

    /** Parses the file handing each data row to {@code sink} instead of keeping it. */
    Streamed stream(BufferedReader in, RowSink sink) throws IOException {
        this.sink = sink;
        readLines(in);
        return new Streamed(header, cols, rows);
    }

    private void readLines(BufferedReader in) throws IOException {
        long lineNo = 0;
        long firstBlank = 0;
        long blanks = 0;
        boolean started = false;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (isBlank(line)) {
                if (started && blanks++ == 0) {
                    firstBlank = lineNo;
                }
                continue;
            }
            for (long i = 0; i < blanks; i++) {
                dataRow("", firstBlank + i);
            }
            blanks = 0;
            if (!started) {
                started = true;
                if (isHeader(line)) {
                    header = headerNames(line, lineNo);
                    cols = header.size();
                    continue;
                }
            }
            dataRow(line, lineNo);
        }
        if (rows == 0) {
            throw new DataFileException(file + ": no data rows" + (header.isEmpty() ? " (the file is empty)"
                    : " (only a header line)"));
        }
    }

    /**
     * The first line is a header when none of its cells is a number (nor a number in quotes, nor numbers
     * joined by another separator) and at least one is more than a missing-value or infinity token. So
     * a mistyped cell in a first row of numbers makes that row an error, not a header.
     */
    private static boolean isHeader(String line) {
        boolean name = false;
        for (String cell : line.split(",", -1)) {
            String s = strip(cell);
            if (isNumeric(unquoted(s)) || foreignSeparator(unquoted(s)) != 0) {
                return false;
            }
            name |= !isMissingToken(s) && !isInfinityToken(s);
        }
        return name;
    }

    private List<String> headerNames(String line, long lineNo) {
        List<String> names = new ArrayList<>();
        String[] cells = line.split(",", -1);
        for (int c = 0; c < cells.length; c++) {
            int bad = firstControl(cells[c]);
            if (bad >= 0) {
                throw new DataFileException(file + ": line " + lineNo + ", column " + (c + 1)
                        + ": the header holds the control character " + codePoint(cells[c].charAt(bad))
                        + " (control characters other than tab are never valid)");
            }
            names.add(strip(unquoted(strip(cells[c]))));
        }
        return names;
    }

    private void dataRow(String line, long lineNo) throws IOException {
        int count = countCells(line);
        if (cols < 0) {
            cols = count;
            firstDataLine = lineNo;
            if (sink == null) {
                values = new double[initialCapacity(line.length())];
            }
        } else if (count != cols) {
            throw unequalRow(line, lineNo, count);
        }
        if (sink == null) {
            ensureCapacity(cols);
        } else if (values.length != cols) {
            values = new double[cols]; // one reused row (cols is set by the header when there is one)
        }
        int start = 0;
        for (int c = 0; c < cols; c++) {
            int comma = line.indexOf(',', start);
            int end = comma < 0 ? line.length() : comma;
            values[size + c] = cell(line, start, end, lineNo, c);
            start = end + 1;
        }
        if (sink == null) {
            size += cols;
        } else {
            sink.row(values, lineNo);
        }
        rows++;
        chars += line.length() + 1;
    }

    /** Parses the cell {@code line[start, end)}; the value, NaN for an allowed missing value, or an error. */
    private double cell(String line, int start, int end, long lineNo, int col) {
        int a = start;
        int b = end;
        while (a < b && isSpace(line.charAt(a))) {
            a++;
        }
        while (b > a && isSpace(line.charAt(b - 1))) {
            b--;
        }
        if (a == b) {
            return missingValue("(empty cell)", lineNo, col);
        }
        String text = line.substring(a, b);
        if (isNumeric(text)) {
            double v = Double.parseDouble(text);
            if (Double.isInfinite(v)) {
                throw notFinite(text, lineNo, col);
            }
            return v;
        }
        if (isMissingToken(text)) {
            return missingValue("\"" + text + "\"", lineNo, col);
        }
        if (isInfinityToken(text)) {
            throw notFinite(text, lineNo, col);
        }
        throw notANumber(text, lineNo, col);
    }

    private double missingValue(String what, long lineNo, int col) {
        if (missing == MissingValues.ALLOW_NAN) {
            return Double.NaN;
        }
        throw new DataFileException(file + ": missing value " + what + " at " + where(lineNo, col));
    }

    private DataFileException notANumber(String text, long lineNo, int col) {
        return new DataFileException(file + ": " + where(lineNo, col) + ": \"" + shown(text) + "\" is not a number"
                + why(text, lineNo));
    }

    /** What a cell that is not a number most likely is, as " (...)", or "" when nothing more is known. */
    private String why(String text, long lineNo) {
        int control = firstControl(text);
        if (control >= 0) {
            return " (it holds the control character " + codePoint(text.charAt(control))
                    + "; control characters other than tab are never valid)";
        }
        char sep = foreignSeparator(unquoted(text));
        if (sep != 0) {
            return " (" + separatorHint(sep) + ")";
        }
        if (text.length() >= 2 && text.charAt(0) == '"' && text.charAt(text.length() - 1) == '"') {
            return " (quoted cells are not supported: write numbers without quotes)";
        }
        String t = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
        if (t.startsWith("0x") || t.startsWith("0X")) {
            return " (hexadecimal numbers are not accepted: write it in decimal)";
        }
        if (text.indexOf('_') >= 0 && isNumeric(text.replace("_", ""))) {
            return " (digit separators are not accepted: write it without '_')";
        }
        if (lineNo == firstDataLine && header.isEmpty()) {
            return " (the first line is read as data because some of its cells are numbers;"
                    + " a header line must have no numeric cell)";
        }
        return "";
    }

    private static String separatorHint(char sep) {
        String name = sep == '\t' ? "tab" : sep == ' ' ? "space" : "'" + sep + "'";
        return "the file looks " + name + "-separated; gaussmix reads comma-separated values only";
    }

    private DataFileException notFinite(String text, long lineNo, int col) {
        return new DataFileException(file + ": " + where(lineNo, col) + ": \"" + text
                + "\" is not a finite number (infinite values are never valid data)");
    }

    private DataFileException unequalRow(String line, long lineNo, int count) {
        if (isBlank(line)) {
            return new DataFileException(file + ": line " + lineNo + " is blank but rows have " + cols + " values");
        }
        String expected = header.isEmpty()
                ? "line " + firstDataLine + " has " + cols
                : "the header has " + cols + " columns";
        char sep = 0;
        for (String cell : line.split(",", -1)) {
            sep = sep != 0 ? sep : foreignSeparator(strip(cell));
        }
        return new DataFileException(file + ": line " + lineNo + " has " + count + " value"
                + (count == 1 ? "" : "s") + " but " + expected + (sep == 0 ? "" : " (" + separatorHint(sep) + ")"));
    }

    /** "line 17, column 3 ("age")", 1-based; also for the checks a {@link RowSink} makes. */
    String where(long lineNo, int col) {
        String name = header.isEmpty() ? "" : header.get(col);
        return "line " + lineNo + ", column " + (col + 1) + (name.isEmpty() ? "" : " (\"" + name + "\")");
    }

    /**
     * Room for the whole file, estimated from the first data line and the file size, but never more
     * than a quarter of the free heap up front: a short first line overestimates a file of long lines
     * (each value needs at least two characters, so the file bounds the count), and growing costs only
     * a few copies.
     */
    private int initialCapacity(int firstLineChars) {
        long estRows = fileSize / (firstLineChars + 1L) + 16;
        long est = Math.min(estRows * cols + estRows * cols / 16, fileSize / 2 + cols);
        est = Math.min(est, Memory.available() / Double.BYTES / 4);
        return (int) Math.max(cols, Math.min(est, MAX_VALUES));
    }

    private void ensureCapacity(int more) {
        long need = (long) size + more;
        if (need <= values.length) {
            return;
        }
        if (need > MAX_VALUES) {
            throw new DataFileException(file + ": too many values for one matrix (more than " + MAX_VALUES
                    + " at row " + (rows + 1) + ")");
        }
        long grown = Math.min(Math.max(need, values.length + (values.length >> 1) + 16L), MAX_VALUES);
        long room = (long) (Memory.available() * 0.9) / Double.BYTES;
        if (grown > room && need + rows < room) {
            grown = Math.max(need, room - rows); // less slack rather than failing while there is room
        }
        long expectedRows = chars == 0 ? rows : Math.max(rows, (long) (fileSize * (double) rows / chars));
        Memory.require(grown * Double.BYTES, file + ": reading about " + expectedRows + " rows of " + cols + " values");
        values = Arrays.copyOf(values, (int) grown);
    }

    private static int countCells(String line) {
        int n = 1;
        for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) {
            n++;
        }
        return n;
    }
}
