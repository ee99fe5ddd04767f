package io.gaussmix.backend;

import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;

import java.nio.ByteBuffer;

/**
 * The host side of putting rows on a device, shared by the OpenCL and CUDA backends. The rows are
 * shifted by their column means in float64 before they are converted to the device precision, so
 * data far from the origin (say around 1000) keeps its float32 resolution; the means are shifted
 * by the same amount ({@link #shiftedMeans}), so x - mu, which is all the kernels use, is
 * unchanged. The rows are converted slice by slice into the caller's buffers ({@link #putRows}),
 * or once into a host copy ({@link #shiftedFloat32}) for a backend that streams them every pass.
 */
public final class DeviceRows {
    private final Matrix x;
    private final double[] weights;
    private final double[] shift;
    private final double totalWeight;

    private DeviceRows(Matrix x, double[] weights) {
        this.x = x;
        this.weights = weights;
        this.shift = columnMeans(x);
        double total = x.rows();
        if (weights != null) {
            total = 0;
            for (double w : weights) {
                total += w;
            }
        }
        this.totalWeight = total;
    }

    /**
     * @param sampleWeights N weights, or null for all ones
     * @throws IllegalArgumentException when the number of weights is not the number of rows
     */
    public static DeviceRows of(Matrix x, double[] sampleWeights) {
        if (sampleWeights != null && sampleWeights.length != x.rows()) {
            throw new IllegalArgumentException(sampleWeights.length + " sample weights for " + x.rows() + " rows");
        }
        return new DeviceRows(x, sampleWeights);
    }

    public int rows() {
        return x.rows();
    }

    public int cols() {
        return x.cols();
    }

    /** Whether sample weights were given (devices may then skip the weight buffers). */
    public boolean weighted() {
        return weights != null;
    }

    /** The sample weights as given (null without); the caller's array, do not modify. */
    public double[] weights() {
        return weights;
    }

    /** The sum of the sample weights (N without weights), kept in float64 for the statistics. */
    public double totalWeight() {
        return totalWeight;
    }

    /** The parameters' means minus the rows' shift, K*D in float64 (the device converts them). */
    public double[] shiftedMeans(MixtureParams p) {
        int d = p.dimensions();
        double[] means = p.means();
        double[] out = new double[means.length];
        for (int i = 0; i < means.length; i++) {
            out[i] = means[i] - shift[i % d];
        }
        return out;
    }

    /** Writes rows [from, to) minus the shift in {@code precision} from the start of {@code out}. */
    public void putRows(int from, int to, ByteBuffer out, Precision precision) {
        int d = cols();
        double[] a = x.data();
        boolean f64 = precision == Precision.FLOAT64;
        int o = 0;
        for (int r = from; r < to; r++) {
            int row = r * d;
            for (int j = 0; j < d; j++, o++) {
                double v = a[row + j] - shift[j];
                if (f64) {
                    out.putDouble(o * 8, v);
                } else {
                    out.putFloat(o * 4, (float) v);
                }
            }
        }
    }

    /** All rows minus the shift as float32, row-major: a host copy for a backend that streams them every pass. */
    public float[] shiftedFloat32() {
        double[] a = x.data();
        int d = cols();
        float[] out = new float[a.length];
        for (int i = 0, j = 0; i < a.length; i++, j = j + 1 == d ? 0 : j + 1) {
            out[i] = (float) (a[i] - shift[j]);
        }
        return out;
    }

    /** All rows minus the shift in float64, row-major (see {@link #shiftedFloat32}). */
    public double[] shiftedFloat64() {
        double[] a = x.data();
        int d = cols();
        double[] out = new double[a.length];
        for (int i = 0, j = 0; i < a.length; i++, j = j + 1 == d ? 0 : j + 1) {
            out[i] = a[i] - shift[j];
        }
        return out;
    }

    /** Writes the weights of rows [from, to) (ones without weights) in {@code precision} from the start of {@code out}. */
    public void putWeights(int from, int to, ByteBuffer out, Precision precision) {
        boolean f64 = precision == Precision.FLOAT64;
        for (int r = from; r < to; r++) {
            double w = weights == null ? 1.0 : weights[r];
            if (f64) {
                out.putDouble((r - from) * 8, w);
            } else {
                out.putFloat((r - from) * 4, (float) w);
            }
        }
    }

    private static double[] columnMeans(Matrix x) {
        int n = x.rows();
        int d = x.cols();
        double[] mean = new double[d];
        double[] a = x.data();
        for (int r = 0; r < n; r++) {
            int row = r * d;
            for (int j = 0; j < d; j++) {
                mean[j] += a[row + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] = n == 0 ? 0 : mean[j] / n;
        }
        return mean;
    }
}
