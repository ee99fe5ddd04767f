package io.gaussmix.backend;

import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.math.MixtureParams;

import java.nio.ByteBuffer;

/**
 * The host side of putting rows on a device, shared by the OpenCL and CUDA backends. The rows are
 * shifted by their column means in float64 before they are converted to the device precision, so
 * data far from the origin (say around 1000) keeps its float32 resolution; the means are shifted
 * by the same amount ({@link #shiftedMeans}), so x - mu, which is all the kernels use, is
 * unchanged. The rows are converted slice by slice into the caller's buffers ({@link #putRows}),
 * straight from the matrix when the source is one, otherwise read from the {@link RowSource} in
 * blocks of about {@link #READ_BLOCK_VALUES} values: the host never holds a copy of all N rows. Sample
 * weights travel the same way: from their array when they are one, else read from their one-column
 * source chunk by chunk with the rows ({@link #putWeights}), so a streamed fit holds no N weights either.
 *
 * <p>The column means take one pass over the source, summed row by row in row order, so they are
 * the same bits whether the rows come from one matrix, a list of matrices or a file.
 */
public final class DeviceRows {
    /** Values per block read from a source that is not one matrix: 4 MiB of float64, whatever N. */
    static final int READ_BLOCK_VALUES = 1 << 19;

    private final RowSource source;
    /** The source's one matrix, read directly; null when the rows are read block by block. */
    private final Matrix matrix;
    private final long n;
    private final int d;
    /** The weights source (null: unit weights), read chunk by chunk with the rows unless it is one array. */
    private final RowSource weightSource;
    /** The weights when they are one array in memory; null when streamed or unit. */
    private final double[] weights;
    private final double[] shift;
    private final double totalWeight;

    private DeviceRows(RowSource source, RowSource weights) {
        this.source = source;
        this.matrix = source.asMatrix();
        this.n = source.rows();
        this.d = source.cols();
        this.weightSource = weights;
        this.weights = weights == null || weights.asMatrix() == null ? null : weights.asMatrix().data();
        this.shift = columnMeans();
        this.totalWeight = weights == null ? n : sumInRowOrder(weights);
    }

    /** The weights' sum, added one by one in row order: the same bits from an array or from a file. */
    private double sumInRowOrder(RowSource w) {
        double[] total = {0};
        if (weights != null) {
            for (double v : weights) {
                total[0] += v;
            }
        } else {
            w.forEachBlock(READ_BLOCK_VALUES, (first, rows, values) -> {
                for (int i = 0; i < rows; i++) {
                    total[0] += values[i];
                }
            });
        }
        return total[0];
    }

    /**
     * Reads the source once for its column means and the weights once for their sum (both stay the
     * caller's; they are read again by every {@link #putRows} and {@link #putWeights}).
     *
     * @param sampleWeights a one-column source of N weights, or null for all ones
     * @throws IllegalArgumentException when the weights are not one column of N
     */
    public static DeviceRows of(RowSource source, RowSource sampleWeights) {
        RowSource.requireWeightsFor(sampleWeights, source.rows());
        return new DeviceRows(source, sampleWeights);
    }

    public long rows() {
        return n;
    }

    /** The source as given (the caller's; read again by every {@link #putRows}). */
    public RowSource source() {
        return source;
    }

    /** The sample weights as given: a one-column source of N, or null for all ones. */
    public RowSource sampleWeights() {
        return weightSource;
    }

    public int cols() {
        return d;
    }

    /** Whether sample weights were given (devices may then skip the weight buffers). */
    public boolean weighted() {
        return weightSource != null;
    }

    /** The sum of the sample weights (N without weights), kept in float64 for the statistics. */
    public double totalWeight() {
        return totalWeight;
    }

    /** The parameters' means minus the rows' shift, K*D in float64 (the device converts them). */
    public double[] shiftedMeans(MixtureParams p) {
        double[] means = p.means();
        double[] out = new double[means.length];
        for (int i = 0; i < means.length; i++) {
            out[i] = means[i] - shift[i % d];
        }
        return out;
    }

    /**
     * Writes rows [from, to) minus the shift in {@code precision} from the start of {@code out}
     * (at most one buffer's worth: {@code (to - from) * D} values).
     */
    public void putRows(long from, long to, ByteBuffer out, Precision precision) {
        boolean f64 = precision == Precision.FLOAT64;
        if (matrix != null) {
            put(matrix.data(), Math.toIntExact(from * d), Math.toIntExact(to - from), out, 0, f64);
            return;
        }
        int blockRows = Math.max(1, READ_BLOCK_VALUES / d);
        source.forEachBlock(from, to, blockRows, (first, rows, values) ->
                put(values, 0, rows, out, Math.toIntExact((first - from) * d), f64));
    }

    /** Converts {@code rows} rows of values from {@code at}, minus the shift, into out from value {@code o}. */
    private void put(double[] values, int at, int rows, ByteBuffer out, int o, boolean f64) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++, at++, o++) {
                double v = values[at] - shift[j];
                if (f64) {
                    out.putDouble(o * 8, v);
                } else {
                    out.putFloat(o * 4, (float) v);
                }
            }
        }
    }

    /** Writes the weights of rows [from, to) (ones without weights) in {@code precision} from the start of {@code out}. */
    public void putWeights(long from, long to, ByteBuffer out, Precision precision) {
        boolean f64 = precision == Precision.FLOAT64;
        if (weightSource != null && weights == null) {
            weightSource.forEachBlock(from, to, READ_BLOCK_VALUES, (first, rows, values) ->
                    putWeights(values, 0, rows, out, Math.toIntExact(first - from), f64));
            return;
        }
        int count = Math.toIntExact(to - from);
        if (weights != null) {
            putWeights(weights, Math.toIntExact(from), count, out, 0, f64);
            return;
        }
        for (int i = 0; i < count; i++) {
            putWeight(1.0, out, i, f64);
        }
    }

    /** Converts {@code count} weights of {@code values} from {@code at} into out from element {@code o}. */
    private static void putWeights(double[] values, int at, int count, ByteBuffer out, int o, boolean f64) {
        for (int i = 0; i < count; i++) {
            putWeight(values[at + i], out, o + i, f64);
        }
    }

    private static void putWeight(double w, ByteBuffer out, int i, boolean f64) {
        if (f64) {
            out.putDouble(i * 8, w);
        } else {
            out.putFloat(i * 4, (float) w);
        }
    }

    /**
     * How a device holds the rows, in the same words for every device backend: resident, or how many
     * chunks of how many rows stream through what device budget and host staging memory.
     *
     * @param hostBytes host memory the streaming pass stages chunks in (pinned or direct buffers)
     */
    public static String describePlan(boolean resident, long rows, long chunkRows, long bytesPerRow, long budgetBytes,
                                      long hostBytes) {
        if (resident) {
            return "rows resident on the device (" + rows + " rows x " + bytesPerRow + " bytes)";
        }
        long chunks = rows == 0 ? 0 : (rows + chunkRows - 1) / chunkRows;
        return "streaming " + rows + " rows in " + chunks + " chunks of up to " + chunkRows + " rows (" + bytesPerRow
                + " bytes per row, device budget " + budgetBytes + " bytes, host staging " + hostBytes + " bytes)";
    }

    /** Column means: one pass, each column summed in row order (the same bits for any source of the same rows). */
    private double[] columnMeans() {
        double[] mean = new double[d];
        if (matrix != null) {
            addColumns(matrix.data(), matrix.rows(), mean);
        } else {
            source.forEachBlock(Math.max(1, READ_BLOCK_VALUES / d), (first, rows, values) -> addColumns(values, rows, mean));
        }
        for (int j = 0; j < d; j++) {
            mean[j] = n == 0 ? 0 : mean[j] / n;
        }
        return mean;
    }

    private void addColumns(double[] values, int rows, double[] sum) {
        for (int r = 0; r < rows; r++) {
            int row = r * d;
            for (int j = 0; j < d; j++) {
                sum[j] += values[row + j];
            }
        }
    }
}
