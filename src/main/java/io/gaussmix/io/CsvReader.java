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
 *   <li>One row per line ({@code \n}, {@code \r\n} or {@code \r}); cells separated by commas, whitespace
 *       around a cell ignored; blank lines before the first row and after the last one ignored; a
 *       UTF-8 byte-order mark ignored.
 *   <li>Header: the first line is a header when at least one of its cells is neither a number nor a
 *       missing-value token; surrounding double quotes are removed from the names. A first line of
 *       numbers only is always data.
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
 * {@code double[]}, so large files (millions of rows) cost about 8 bytes per value plus slack.
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
