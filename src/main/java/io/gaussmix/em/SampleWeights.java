package io.gaussmix.em;

import io.gaussmix.data.RowSource;

/**
 * Sample weights as the fit uses them: rescaled to mean 1 over the rows of positive weight (the rows
 * that take part). A fit depends only on the weights'
 * ratios, so this changes no model, but it makes every threshold of the fit (the dead-component test,
 * scikit-learn's 10 eps guard on N_k, the k-means++ draw) relative to the total weight, and weights
 * near the ends of the double range (1e-300, 1e308 whose sum overflows) fit exactly as weights of 1 do.
 */
public final class SampleWeights {
    private SampleWeights() {
    }

    /**
     * The weights divided by their mean over the positive ones (null stays null: unit weights). They must
     * be finite, >= 0 and not all 0 (the estimator checks this first).
     */
    public static double[] toMeanOne(double[] w) {
        if (w == null) {
            return null;
        }
        // Divide by the largest first so that the sum cannot overflow (and tiny weights lose no range).
        double max = 0;
        for (double v : w) {
            max = Math.max(max, v);
        }
        double[] out = new double[w.length];
        double sum = 0;
        int positive = 0;
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i] / max;
            sum += out[i];
            positive += w[i] > 0 ? 1 : 0;
        }
        double scale = positive / sum;
        for (int i = 0; i < w.length; i++) {
            out[i] *= scale;
        }
        return out;
    }

    /**
     * Weights scaled to mean 1 as a one-column source, and how many of them are positive (the rows that
     * take part).
     *
     * @param column   the scaled weights, one per row
     * @param positive the number of positive weights
     */
    public record MeanOne(RowSource column, long positive) {
    }

    /**
     * {@link #toMeanOne(double[])} of a one-column source, the same bits value for value (null stays null).
     * Weights in memory are scaled into a new array, as there. Streamed weights are never held: two
     * sequential passes find the largest weight and the sum of the weights divided by it, checking every
     * value (finite, >= 0, not all 0: a streamed source is checked here, not by the caller), and the
     * returned source scales each block as it is read.
     *
     * @throws IllegalArgumentException for a weight that is negative or not finite (naming its row), or all 0
     */
    public static MeanOne toMeanOne(RowSource w) {
        if (w == null) {
            return null;
        }
        if (w.asMatrix() != null) {
            double[] scaled = toMeanOne(w.asMatrix().data());
            long positive = 0;
            for (double v : scaled) {
                positive += v > 0 ? 1 : 0;
            }
            return new MeanOne(RowSource.ofColumn(scaled), positive);
        }
        double[] maxAndPositive = {0, 0};
        w.forEachBlock(RowSource.READ_BLOCK_VALUES, (first, n, values) -> {
            for (int i = 0; i < n; i++) {
                double v = values[i];
                if (!(v >= 0) || !Double.isFinite(v)) {
                    throw new IllegalArgumentException("sample weight of row " + (first + i) + " (0-based) is " + v
                            + "; weights must be finite and >= 0");
                }
                maxAndPositive[0] = Math.max(maxAndPositive[0], v);
                maxAndPositive[1] += v > 0 ? 1 : 0;
            }
        });
        double max = maxAndPositive[0];
        long positive = (long) maxAndPositive[1];
        if (positive == 0) {
            throw new IllegalArgumentException("sample weights sum to 0");
        }
        double[] sum = {0};
        w.forEachBlock(RowSource.READ_BLOCK_VALUES, (first, n, values) -> {
            for (int i = 0; i < n; i++) {
                sum[0] += values[i] / max;
            }
        });
        return new MeanOne(new Scaled(w, max, positive / sum[0]), positive);
    }

    /** Streamed weights divided by their largest, times the mean-one scale, as {@link #toMeanOne(double[])} has them. */
    private static final class Scaled implements RowSource {
        private final RowSource raw;
        private final double max;
        private final double scale;

        Scaled(RowSource raw, double max, double scale) {
            this.raw = raw;
            this.max = max;
            this.scale = scale;
        }

        @Override
        public long rows() {
            return raw.rows();
        }

        @Override
        public int cols() {
            return 1;
        }

        @Override
        public void forEachBlock(long from, long to, int blockRows, BlockConsumer consumer) {
            double[] out = new double[RowSource.blockLength(rows(), 1, from, to, blockRows)];
            raw.forEachBlock(from, to, blockRows, (first, n, values) -> {
                for (int i = 0; i < n; i++) {
                    out[i] = values[i] / max * scale;
                }
                consumer.accept(first, n, out);
            });
        }

        /** The raw source's range read (the CPU pass reads each unit's weights so), scaled as by forEachBlock. */
        @Override
        public void read(long from, long to, double[] out) {
            raw.read(from, to, out);
            for (int i = 0; i < to - from; i++) {
                out[i] = out[i] / max * scale;
            }
        }

        @Override
        public void close() {
            // The raw source is the caller's.
        }
    }
}
