package io.gaussmix.io;

import io.gaussmix.data.Matrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One pass over one CSV file: the state and rules behind {@link CsvReader}. Not reusable. */
final class CsvParser {
    /** The largest array the JVM reliably allocates. */
    private static final int MAX_VALUES = Integer.MAX_VALUE - 8;

    private final String file;
    private final MissingValues missing;
    private final long fileSize;

    private List<String> header = List.of();
    private int cols = -1;
    private int firstDataLine;
    private double[] values = new double[0];
    private int size;
    private int rows;

    CsvParser(String file, MissingValues missing, long fileSize) {
        this.file = file;
        this.missing = missing;
        this.fileSize = fileSize;
    }

    CsvData parse(BufferedReader in) throws IOException {
        int lineNo = 0;
        int firstBlank = 0;
        int blanks = 0;
        boolean started = false;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                if (started && blanks++ == 0) {
                    firstBlank = lineNo;
                }
                continue;
            }
            for (int i = 0; i < blanks; i++) {
                dataRow("", firstBlank + i);
            }
            blanks = 0;
            if (!started) {
                started = true;
                if (isHeader(line)) {
                    header = headerNames(line);
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
        double[] exact = values.length == size ? values : Arrays.copyOf(values, size);
        return new CsvData(Matrix.wrap(exact, rows, cols), header);
    }

    /** True when some cell is neither a number, nor a missing-value token, nor an infinity. */
    private static boolean isHeader(String line) {
        for (String cell : line.split(",", -1)) {
            String s = cell.strip();
            if (!s.isEmpty() && !isMissingToken(s) && !isInfinityToken(s) && !isNumber(s)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> headerNames(String line) {
        List<String> names = new ArrayList<>();
        for (String cell : line.split(",", -1)) {
            String s = cell.strip();
            if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
                s = s.substring(1, s.length() - 1).strip();
            }
            names.add(s);
        }
        return names;
    }

    private void dataRow(String line, int lineNo) {
        int count = countCells(line);
        if (cols < 0) {
            cols = count;
            firstDataLine = lineNo;
            values = new double[initialCapacity(line.length())];
        } else if (count != cols) {
            throw unequalRow(line, lineNo, count);
        }
        ensureCapacity(cols);
        int start = 0;
        for (int c = 0; c < cols; c++) {
            int comma = line.indexOf(',', start);
            int end = comma < 0 ? line.length() : comma;
            values[size + c] = cell(line, start, end, lineNo, c);
            start = end + 1;
        }
        size += cols;
        rows++;
    }

    /** Parses the cell {@code line[start, end)}; the value, NaN for an allowed missing value, or an error. */
    private double cell(String line, int start, int end, int lineNo, int col) {
        int a = start;
        int b = end;
        while (a < b && line.charAt(a) <= ' ') {
            a++;
        }
        while (b > a && line.charAt(b - 1) <= ' ') {
            b--;
        }
        if (a == b) {
            return missingValue("(empty cell)", lineNo, col);
        }
        String text = line.substring(a, b);
        if (endsLikeNumber(text)) {
            double v;
            try {
                v = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw notANumber(text, lineNo, col);
            }
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

    private double missingValue(String what, int lineNo, int col) {
        if (missing == MissingValues.ALLOW_NAN) {
            return Double.NaN;
        }
        throw new DataFileException(file + ": missing value " + what + " at " + where(lineNo, col));
    }

    private DataFileException notANumber(String text, int lineNo, int col) {
        return new DataFileException(file + ": " + where(lineNo, col) + ": \"" + text + "\" is not a number");
    }

    private DataFileException notFinite(String text, int lineNo, int col) {
        return new DataFileException(file + ": " + where(lineNo, col) + ": \"" + text
                + "\" is not a finite number (infinite values are never valid data)");
    }

    private DataFileException unequalRow(String line, int lineNo, int count) {
        if (line.isEmpty()) {
            return new DataFileException(file + ": line " + lineNo + " is blank but rows have " + cols + " values");
        }
        String expected = header.isEmpty()
                ? "line " + firstDataLine + " has " + cols
                : "the header has " + cols + " columns";
        return new DataFileException(file + ": line " + lineNo + " has " + count + " value"
                + (count == 1 ? "" : "s") + " but " + expected);
    }

    /** "line 17, column 3 ("age")", 1-based. */
    private String where(int lineNo, int col) {
        String name = header.isEmpty() ? "" : header.get(col);
        return "line " + lineNo + ", column " + (col + 1) + (name.isEmpty() ? "" : " (\"" + name + "\")");
    }

    /** Room for the whole file, estimated from the first data line and the file size. */
    private int initialCapacity(int firstLineChars) {
        long estRows = fileSize / (firstLineChars + 1L) + 16;
        long est = Math.min(estRows * cols + estRows * cols / 16, fileSize / 2 + cols);
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
        long grown = Math.max(need, values.length + (values.length >> 1) + 16L);
        values = Arrays.copyOf(values, (int) Math.min(grown, MAX_VALUES));
    }

    private static int countCells(String line) {
        int n = 1;
        for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) {
            n++;
        }
        return n;
    }

    /** Cheap pre-check: a decimal number ends in a digit or a dot (rejects Java's "1f"/"1d" suffixes). */
    private static boolean endsLikeNumber(String s) {
        char last = s.charAt(s.length() - 1);
        return (last >= '0' && last <= '9') || last == '.';
    }

    private static boolean isNumber(String s) {
        if (!endsLikeNumber(s)) {
            return false;
        }
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean isMissingToken(String s) {
        return s.isEmpty() || s.equals("?") || s.equalsIgnoreCase("NA") || s.equalsIgnoreCase("NaN");
    }

    static boolean isInfinityToken(String s) {
        String t = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        return t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("infinity");
    }
}
