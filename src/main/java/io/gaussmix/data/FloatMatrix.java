package io.gaussmix.data;

/** A dense float32 matrix in one contiguous row-major array; the layout device backends upload. */
public final class FloatMatrix {
    private final float[] data;
    private final int rows;
    private final int cols;

    private FloatMatrix(float[] data, int rows, int cols) {
        if (rows < 0 || cols < 1 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException(
                    "array of length " + data.length + " does not hold " + rows + "x" + cols + " values");
        }
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    /** Wraps a row-major array of length rows*cols without copying it. */
    public static FloatMatrix wrap(float[] rowMajor, int rows, int cols) {
        return new FloatMatrix(rowMajor, rows, cols);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public float get(int row, int col) {
        return data[row * cols + col];
    }

    /** The backing row-major array (shared, not copied). */
    public float[] data() {
        return data;
    }

    /** A float64 copy (exact: every float is a double). */
    public Matrix toFloat64() {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
        return Matrix.wrap(d, rows, cols);
    }
}
