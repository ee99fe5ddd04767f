package io.gaussmix.io;

import io.gaussmix.data.Matrix;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Writes matrices and label columns as CSV: comma-separated, {@code \n} line endings, UTF-8, each
 * value printed with {@link Double#toString(double)} (shortest text that reads back to the same
 * double, so {@link CsvReader} round-trips exactly). Files are written atomically through {@link
 * AtomicFiles}, and streamed: one line is built at a time, so the text of a file is never held whole
 * in memory.
 *
 * <p>{@link #write} writes any value ({@code NaN} reads back as a missing value). The {@code
 * writeFinite} methods are for results, which are complete by definition: the first NaN or infinity
 * fails the write with an {@link IllegalArgumentException} naming its row and column, and the
 * target is left as it was.
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
            new Rows(target, w, matrix.cols(), false).add(matrix, null);
        });
    }

    /**
     * As {@link #write(Path, Matrix, List)}, refusing non-finite values.
     *
     * @throws IllegalArgumentException naming the row and column of the first NaN or infinity; the
     *                                  target is then unchanged
     * @throws IOException              when the file cannot be written; an existing target is then unchanged
     */
    public static void writeFinite(Path target, Matrix matrix, List<String> header) throws IOException {
        Objects.requireNonNull(matrix, "matrix");
        writeBlocks(target, header, matrix.cols(), List.of(matrix).iterator());
    }

    /**
     * Writes a header line, then the rows of every block in turn (all with {@code header.size()}
     * columns), computing each block only when the previous one is written: results larger than
     * memory, or than one array, stream through. Non-finite values are refused as by {@link
     * #writeFinite(Path, Matrix, List)}; row numbers in errors count across blocks.
     *
     * @param header one name per column (required: it gives the width)
     * @throws IOException when the file cannot be written; an existing target is then unchanged
     */
    public static void writeFinite(Path target, List<String> header, Iterator<Matrix> blocks) throws IOException {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("writing blocks needs one header name per column");
        }
        writeBlocks(target, header, header.size(), blocks);
    }

    private static void writeBlocks(Path target, List<String> header, int cols, Iterator<Matrix> blocks)
            throws IOException {
        Objects.requireNonNull(blocks, "blocks");
        writeFiniteStreamed(target, header, cols, sink -> {
            while (blocks.hasNext()) {
                sink.add(blocks.next());
            }
        });
    }

    /**
     * Writes a header line (one name per column; an empty list for none), then the rows of every block
     * {@code body} hands the sink while it runs, as they come (for results computed block by block, e.g.
     * over a streamed source): one atomic write, so when the body or a write fails, or a value is not
     * finite (refused as by {@link #writeFinite(Path, Matrix, List)}, rows counted across blocks), the
     * target is left as it was.
     *
     * @throws IOException when the file cannot be written, or the body throws it; an existing target is then unchanged
     */
    public static void writeFiniteStreamed(Path target, List<String> header, int cols, IOConsumer<BlockSink> body)
            throws IOException {
        Objects.requireNonNull(body, "body");
        checkHeader(header, cols);
        AtomicFiles.writeText(target, w -> {
            writeHeader(w, header);
            Rows rows = new Rows(target, w, cols, true);
            body.accept(block -> {
                if (block.cols() != cols) {
                    throw new IllegalArgumentException(block.cols() + " columns in a block of a " + cols + "-column file");
                }
                rows.add(block, null);
            });
        });
    }

    /** Receives the labels of a streamed {@link #writeLabelsStreamed}, block by block in row order. */
    @FunctionalInterface
    public interface LabelSink {
        void add(int[] labels) throws IOException;
    }

    /**
     * As {@link #writeLabels}, for labels computed block by block while {@code body} runs: one atomic
     * write, so a failure of the body leaves the target as it was.
     *
     * @throws IOException when the file cannot be written, or the body throws it; an existing target is then unchanged
     */
    public static void writeLabelsStreamed(Path target, String headerName, IOConsumer<LabelSink> body)
            throws IOException {
        Objects.requireNonNull(body, "body");
        List<String> header = headerName == null ? List.of() : List.of(headerName);
        checkHeader(header, 1);
        AtomicFiles.writeText(target, w -> {
            writeHeader(w, header);
            body.accept(labels -> {
                for (int label : labels) {
                    w.write(Integer.toString(label));
                    w.write('\n');
                }
            });
        });
    }

    /**
     * Writes {@code matrix} with one more integer column, {@code labels} (e.g. the component each
     * sampled row came from), under {@code header} (matrix.cols() + 1 names). Non-finite values are
     * refused as by {@link #writeFinite(Path, Matrix, List)}.
     *
     * @throws IOException when the file cannot be written; an existing target is then unchanged
     */
    public static void writeFiniteWithLabels(Path target, Matrix matrix, int[] labels, List<String> header)
            throws IOException {
        Objects.requireNonNull(matrix, "matrix");
        Objects.requireNonNull(labels, "labels");
        if (labels.length != matrix.rows()) {
            throw new IllegalArgumentException(labels.length + " labels for " + matrix.rows() + " rows");
        }
        checkHeader(header, matrix.cols() + 1);
        AtomicFiles.writeText(target, w -> {
            writeHeader(w, header);
            new Rows(target, w, matrix.cols(), true).add(matrix, labels);
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
        writeLabelsStreamed(target, headerName, sink -> sink.add(labels));
    }

    /** Appends rows one line at a time, counting them for error messages. */
    private static final class Rows {
        private final Path target;
        private final Writer w;
        private final int cols;
        private final boolean finiteOnly;
        private final StringBuilder line;
        private long written;

        Rows(Path target, Writer w, int cols, boolean finiteOnly) {
            this.target = target;
            this.w = w;
            this.cols = cols;
            this.finiteOnly = finiteOnly;
            this.line = new StringBuilder(cols * 24 + 12);
        }

        void add(Matrix m, int[] labels) throws IOException {
            double[] d = m.data();
            for (int r = 0; r < m.rows(); r++) {
                line.setLength(0);
                for (int c = 0; c < cols; c++) {
                    double v = d[r * cols + c];
                    if (finiteOnly && !Double.isFinite(v)) {
                        throw new IllegalArgumentException(target + ": not written: row " + (written + r + 1)
                                + ", column " + (c + 1) + " (1-based) of the result is " + v
                                + " (the model cannot represent that row in float64)");
                    }
                    if (c > 0) {
                        line.append(',');
                    }
                    line.append(v);
                }
                if (labels != null) {
                    line.append(',').append(labels[r]);
                }
                w.append(line).append('\n');
            }
            written += m.rows();
        }
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
