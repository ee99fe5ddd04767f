package io.gaussmix.spark;

import io.gaussmix.data.Matrix;

import java.io.Serializable;

/**
 * Consecutive rows of one partition as dense float64, what the executors cache and hand to a backend:
 * {@code rows x cols} values row-major, their raw sample weights (null: no weight column), and where
 * the rows came from, so that rows keep one global order (partition, then row) across iterations.
 *
 * @param partition the Spark partition the rows came from
 * @param firstRow  the index within that partition of the first input row this block covers (rejected rows
 *                  included: they are counted by {@code check} and left out of {@code x})
 * @param check     what the input checks found in the input rows this block covers
 */
record RowBlock(int partition, long firstRow, int rows, int cols, double[] x, double[] w, InputCheck check)
        implements Serializable {

    Matrix matrix() {
        return Matrix.wrap(x, rows, cols);
    }

    /** The weights as the fit uses them ({@code w / max * scale}, the library's mean-one rescaling), or null. */
    double[] fitWeights(WeightScale scale) {
        if (w == null) {
            return null;
        }
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = scale.apply(w[i]);
        }
        return out;
    }

    /**
     * The library's {@code SampleWeights.toMeanOne} spread over partitions: each weight divided by the
     * largest, then multiplied by (positive rows / sum of those quotients); {@code NONE} when there are no weights.
     */
    record WeightScale(double max, double scale) implements Serializable {
        static final WeightScale NONE = new WeightScale(1, 1);

        double apply(double w) {
            return w / max * scale;
        }
    }
}
