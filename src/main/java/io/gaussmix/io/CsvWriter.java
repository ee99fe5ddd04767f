package io.gaussmix.io;

import io.gaussmix.data.Matrix;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes matrices and label columns as CSV: comma-separated, {@code \n} line endings, UTF-8, each
 * value printed with {@link Double#toString(double)} (shortest text that reads back to the same
 * double, so {@link CsvReader} round-trips exactly). Files are written atomically through {@link
 * AtomicFiles}.
 *
 * <p>Header names may not contain commas, double quotes or line breaks (the reader does not parse
 * quoted cells); such a name is an {@link IllegalArgumentException}.
 */
public final class CsvWriter {
    private CsvWriter() {
    }

    /**
     * Writes {@code matrix}, one line per row, without a header line.
     *
     * @throws IOException when the file cannot be written; an existing target is then unchanged
     */
    public static void write(Path target, Matrix matrix) throws IOException {
        write(target, matrix, List.of());
    }

    /**
     * Writes a header line of {@code header} (one name per column; an empty list for none), then one
     * line per row of {@code matrix}.
     *
     * @throws IOException when the file cannot be written; an existing target is then unchanged
     */
    public static void write(Path target, Matrix matrix, List<String> header) throws IOException {
        Objects.requireNonNull(matrix, "matrix");
        checkHeader(header, matrix.cols());
        AtomicFiles.writeText(target, w -> {
            writeHeader(w, header);
            double[] d = matrix.data();
            int cols = matrix.cols();
            StringBuilder line = new StringBuilder(cols * 24);
            for (int r = 0; r < matrix.rows(); r++) {
                line.setLength(0);
                for (int c = 0; c < cols; c++) {
                    if (c > 0) {
                        line.append(',');
                    }
                    line.append(d[r * cols + c]);
                }
                w.append(line).append('\n');
            }
        });
    }

    /**
     * Writes one integer per line (e.g. predicted component labels), after a header line holding
     * {@code headerName} unless it is null.
     *
     * @throws IOException when the file cannot be written; an existing target is then unchanged
     */
    public static void writeLabels(Path target, int[] labels, String headerName) throws IOException {
        Objects.requireNonNull(labels, "labels");
        List<String> header = headerName == null ? List.of() : List.of(headerName);
        checkHeader(header, 1);
        AtomicFiles.writeText(target, w -> {
            writeHeader(w, header);
            for (int label : labels) {
                w.write(Integer.toString(label));
                w.write('\n');
            }
        });
    }

    private static void writeHeader(Writer w, List<String> header) throws IOException {
        if (!header.isEmpty()) {
            w.write(String.join(",", header));
            w.write('\n');
        }
    }

    private static void checkHeader(List<String> header, int cols) {
        Objects.requireNonNull(header, "header");
        if (!header.isEmpty() && header.size() != cols) {
            throw new IllegalArgumentException(header.size() + " header names for " + cols + " columns");
        }
        for (String name : header) {
            if (name.indexOf(',') >= 0 || name.indexOf('"') >= 0 || name.indexOf('\n') >= 0
                    || name.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("header name may not contain a comma, quote or line break: "
                        + name);
            }
        }
    }
}
