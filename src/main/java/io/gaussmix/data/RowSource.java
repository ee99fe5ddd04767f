package io.gaussmix.data;

import java.util.List;

/**
 * Rows of data visited in fixed-size blocks, in row order, for data that need not fit in one
 * {@link Matrix} (N is a {@code long}). A block is handed as a reusable row-major float64 array: the
 * consumer reads it before returning and keeps no reference to it.
 *
 * <p>Implementations: {@link #of(Matrix)} and {@link #of(List)} in memory, {@code io.NpyRowSource} over a
 * {@code .npy} file. Errors while reading (a file that cannot be read, a bad value) are unchecked
 * exceptions of the implementation, thrown before the block that holds them is handed over. The
 * {@code .npy} source refuses non-finite values; the in-memory sources hand a matrix's values as they
 * are (a {@code Matrix} is validated where it is fitted).
 */
public interface RowSource extends AutoCloseable {
    /** The number of rows (may exceed {@link Integer#MAX_VALUE}). */
    long rows();

    /** The number of values per row (at least 1). */
    int cols();

    /**
     * Visits rows {@code [from, to)} in blocks of {@code blockRows} rows (the last may be shorter), in order.
     * Block b starts at row {@code from + b * blockRows}, whatever the source reads underneath.
     *
     * @throws IllegalArgumentException when {@code blockRows < 1}, the range is not within {@code [0, rows()]},
     *                                  or a block of {@code blockRows x cols()} values cannot be one array
     */
    void forEachBlock(long from, long to, int blockRows, BlockConsumer consumer);

    /** Visits all rows in blocks of {@code blockRows}; see {@link #forEachBlock(long, long, int, BlockConsumer)}. */
    default void forEachBlock(int blockRows, BlockConsumer consumer) {
        forEachBlock(0, rows(), blockRows, consumer);
    }

    /**
     * The one in-memory matrix holding all the rows, shared, when this source is exactly that; null otherwise
     * (callers then stream).
     */
    default Matrix asMatrix() {
        return null;
    }

    /**
     * Copies rows {@code [from, to)} into {@code out} from index 0, row-major: in place from the one matrix
     * when there is one, otherwise in blocks of at most {@link #READ_BLOCK_VALUES} values. This is how the
     * CPU backend streams: each work unit reads its own rows (and their sample weights) on its own thread.
     *
     * <p>Thread-safe: several threads may read (different or the same) ranges at once, each into its own
     * {@code out}, with the same checks and errors as {@link #forEachBlock}. Every implementation must keep
     * that; the default is safe when {@link #forEachBlock} is (each call its own blocks), as it is for the
     * in-memory and {@code .npy} sources, and {@code io.NpyRowSource} overrides it with positioned reads.
     *
     * @throws IllegalArgumentException when the range is not within {@code [0, rows()]} or {@code out} is too short
     */
    default void read(long from, long to, double[] out) {
        requireReadRange(rows(), cols(), from, to, out);
        int d = cols();
        Matrix m = asMatrix();
        if (m != null) {
            System.arraycopy(m.data(), Math.toIntExact(from * d), out, 0, (int) ((to - from) * d));
            return;
        }
        if (to == from) {
            return;
        }
        int blockRows = (int) Math.min(to - from, Math.max(1, READ_BLOCK_VALUES / d));
        forEachBlock(from, to, blockRows, (first, n, values) ->
                System.arraycopy(values, 0, out, (int) ((first - from) * d), n * d));
    }

    /** The most values {@link #read} asks a streamed source for at a time: 512 KiB of float64. */
    int READ_BLOCK_VALUES = 1 << 16;

    /** Releases what the source holds (a file, mapped windows); nothing for an in-memory source. */
    @Override
    void close();

    /** The rows of {@code matrix}, shared, not copied. */
    static RowSource of(Matrix matrix) {
        return new InMemoryRowSource(List.of(matrix));
    }

    /**
     * One value per row as a one-column source, shared, not copied: the in-memory form of sample weights
     * wherever a weights source is taken (null stays null).
     */
    static RowSource ofColumn(double[] values) {
        return values == null ? null : of(Matrix.wrap(values, values.length, 1));
    }

    /** The rows of the matrices one after another (each of the same width), shared, not copied. */
    static RowSource of(List<Matrix> blocks) {
        return new InMemoryRowSource(blocks);
    }

    /** Receives one block of rows. */
    @FunctionalInterface
    interface BlockConsumer {
        /**
         * @param firstRow the block's first row index in the source (0-based)
         * @param rows     the rows in this block (at most the requested block size)
         * @param values   {@code rows x cols} values, row-major, from index 0; the array may be longer and is
         *                 reused for the next block
         */
        void accept(long firstRow, int rows, double[] values);
    }

    /**
     * Checks that {@code weights} (null: none) is one weight per row of a source of {@code rows} rows: one
     * column of exactly that length. Shared by the backends and the fits so they refuse alike.
     *
     * @throws IllegalArgumentException otherwise
     */
    static void requireWeightsFor(RowSource weights, long rows) {
        if (weights == null) {
            return;
        }
        if (weights.cols() != 1) {
            throw new IllegalArgumentException("sample weights must be one column, got " + weights.cols());
        }
        if (weights.rows() != rows) {
            throw new IllegalArgumentException(weights.rows() + " sample weights for " + rows + " rows");
        }
    }

    /**
     * Checks a {@link #read} request against a source of {@code rows x cols}: the range within it and
     * {@code out} long enough. Shared by the implementations so they refuse alike.
     */
    static void requireReadRange(long rows, int cols, long from, long to, double[] out) {
        if (from < 0 || to < from || to > rows) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") are not within [0, " + rows + ")");
        }
        if ((to - from) * cols > out.length) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") x " + cols
                    + " values do not fit an array of " + out.length);
        }
    }

    /**
     * Checks a block request against a source of {@code rows x cols} and returns the block's length in values.
     * Shared by the implementations so they refuse the same requests with the same words.
     */
    static int blockLength(long rows, int cols, long from, long to, int blockRows) {
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows must be >= 1, got " + blockRows);
        }
        if (from < 0 || to < from || to > rows) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") are not within [0, " + rows + ")");
        }
        long length = (long) Math.min(blockRows, Math.max(1, to - from)) * cols;
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a block of " + blockRows + " rows x " + cols
                    + " values does not fit one array: choose fewer rows per block");
        }
        return (int) length;
    }
}
