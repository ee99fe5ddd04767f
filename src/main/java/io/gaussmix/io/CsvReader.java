package io.gaussmix.io;

import io.gaussmix.data.Matrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a comma-separated file of numbers into a {@link Matrix}.
 *
 * <ul>
 *   <li>One row per line ({@code \n}, {@code \r\n} or {@code \r}); cells separated by commas, spaces and
 *       tabs around a cell ignored; blank lines (only spaces and tabs) before the first row and after
 *       the last one ignored; a UTF-8 byte-order mark ignored.
 *   <li>Numbers: decimal only, an optional sign, digits with an optional decimal point, an optional
 *       exponent ({@code -1.5e-3}, {@code .5}, {@code 5.}). Hexadecimal floats, {@code _} digit
 *       separators, {@code d}/{@code f} suffixes and quoted cells are errors, and so is any control
 *       character other than tab (C0, DEL, C1); a line that looks separated by {@code ;}, tab,
 *       {@code |} or spaces gets a message saying so.
 *   <li>Header: the first line is a header when none of its cells is a number (nor a quoted number)
 *       and at least one is more than a missing-value token; surrounding double quotes are removed
 *       from the names. A first line with a numeric cell is data, so a mistyped cell there is an
 *       error naming it rather than a lost row. {@link CsvData#hasHeader} tells the caller.
 *   <li>Missing values: an empty cell, {@code NA}, {@code NaN} (any case) or {@code ?}. With
 *       {@link MissingValues#REJECT} each is an error naming its location; with {@link
 *       MissingValues#ALLOW_NAN} it is read as {@link Double#NaN}. A blank line between data rows is
 *       a row of one empty cell (a missing value in a one-column file, an error otherwise).
 *   <li>Infinite values ({@code inf}, {@code -Infinity}, or a number too large for a double) are
 *       errors in both modes.
 * </ul>
 *
 * <p>Every problem is a {@link DataFileException} naming the file, the 1-based line and column (and
 * the column's header name, if any) and the offending text. The values are collected in one growing
 * {@code double[]}, so large files (millions of rows) cost about 8 bytes per value plus slack; it is
 * sized from the file's length but never more than a quarter of the free heap up front, and grows
 * by half; when the heap cannot hold the next growth, the error says how much memory is needed.
 */
public final class CsvReader {
    private CsvReader() {
    }

    /** Reads {@code file} as CSV (header auto-detected and dropped); see the class comment for the rules. */
    public static Matrix read(Path file, MissingValues missing) {
        return readWithHeader(file, missing).matrix();
    }

    /** Reads {@code file} as CSV, keeping the column names of its header line, if it has one. */
    public static CsvData readWithHeader(Path file, MissingValues missing) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(missing, "missing");
        FileErrors.requireNotDirectory(file);
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()),
                1 << 16)) {
            return new CsvParser(file.toString(), missing, Files.size(file)).parse(in);
        } catch (IOException e) {
            throw FileErrors.readFailure(file, e);
        }
    }
}
