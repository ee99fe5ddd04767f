package io.gaussmix.data;

import java.util.Arrays;

/**
 * A dense float64 matrix stored as one contiguous row-major array: element (r, c) is
 * {@code data[r * cols + c]}. This is the only data layout the engine's hot paths read.
 *
 * <p>{@link #wrap} shares the caller's array (no copy): the caller must not change it while a fit
 * or a model method reads it. {@link #of} copies.
 */
public final class Matrix {
    private final double[] data;
    private final int rows;
    private final int cols;

    private Matrix(double[] data, int rows, int cols) {
        if (rows < 0 || cols < 1) {
            throw new IllegalArgumentException("a matrix needs rows >= 0 and cols >= 1, got " + rows + "x" + cols);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(
                    "array of length " + data.length + " does not hold " + rows + "x" + cols + " values");
        }
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    /** Wraps a row-major array of length rows*cols without copying it. */
    public static Matrix wrap(double[] rowMajor, int rows, int cols) {
        return new Matrix(rowMajor, rows, cols);
    }

    /**
     * All the rows of a source as one matrix: {@link RowSource#asMatrix()} itself when it is one, otherwise a
     * copy read block by block (for the in-memory-only paths).
     *
     * @throws IllegalArgumentException when N x D values cannot be one array
     */
    public static Matrix copyOf(RowSource source) {
        Matrix m = source.asMatrix();
        if (m != null) {
            return m;
        }
        long values = source.rows() * source.cols();
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(source.rows() + " rows x " + source.cols() + " columns ("
                    + values + " values) do not fit one in-memory matrix; this path needs the data in memory");
        }
        int cols = source.cols();
        double[] all = new double[(int) values];
        source.forEachBlock(4096, (first, n, block) -> System.arraycopy(block, 0, all, (int) first * cols, n * cols));
        return wrap(all, (int) source.rows(), cols);
    }

    /** Copies rows of equal length into a new matrix; unequal rows are an error naming the first bad row. */
    public static Matrix of(double[][] rowsArray) {
        if (rowsArray.length == 0) {
            throw new IllegalArgumentException("no rows");
        }
        int cols = rowsArray[0].length;
        double[] data = new double[Math.multiplyExact(rowsArray.length, cols)];
        for (int r = 0; r < rowsArray.length; r++) {
            if (rowsArray[r].length != cols) {
                throw new IllegalArgumentException("row " + r + " has " + rowsArray[r].length
                        + " values but row 0 has " + cols);
            }
            System.arraycopy(rowsArray[r], 0, data, r * cols, cols);
        }
        return new Matrix(data, rowsArray.length, cols);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public double get(int row, int col) {
        return data[row * cols + col];
    }

    /** The backing row-major array (shared, not copied). */
    public double[] data() {
        return data;
    }

    /** A copy of one row. */
    public double[] row(int row) {
        return Arrays.copyOfRange(data, row * cols, (row + 1) * cols);
    }

    /** A copy as one array per row (for APIs that take {@code double[][]}). */
    public double[][] toRows() {
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = row(r);
        }
        return out;
    }

    /** Rows [from, to) as a new matrix sharing nothing with this one. */
    public Matrix rowRange(int from, int to) {
        return new Matrix(Arrays.copyOfRange(data, from * cols, to * cols), to - from, cols);
    }

    /** The first non-finite value as "row r, column c" (0-based), or null when every value is finite. */
    public String firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                return "row " + (i / cols) + ", column " + (i % cols) + " is " + data[i];
            }
        }
        return null;
    }
}
