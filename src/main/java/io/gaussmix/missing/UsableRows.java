package io.gaussmix.missing;

import io.gaussmix.data.Matrix;

/**
 * The rows of incomplete data that a fit can use (those with at least one observed value), in their
 * original order, with their sample weights and, for the initialisers, a complete copy with each
 * missing value replaced by its column's weighted observed mean.
 */
final class UsableRows {
    /** Indices into the data of the usable rows, ascending. */
    final int[] rows;
    /** Their sample weights, or null for unit weights. */
    final double[] weights;

    /**
     * @param n        rows of the data
     * @param excluded the rows with every value missing, ascending
     * @param w        the sample weights of all n rows, or null
     */
    UsableRows(int n, int[] excluded, double[] w) {
        rows = new int[n - excluded.length];
        int e = 0;
        int i = 0;
        for (int r = 0; r < n; r++) {
            if (e < excluded.length && excluded[e] == r) {
                e++;
            } else {
                rows[i++] = r;
            }
        }
        weights = w == null ? null : new double[rows.length];
        for (int t = 0; weights != null && t < rows.length; t++) {
            weights[t] = w[rows[t]];
        }
    }

    /** The usable rows of x as a new matrix. */
    Matrix select(Matrix x) {
        int d = x.cols();
        double[] out = new double[Math.multiplyExact(rows.length, d)];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x.data(), rows[i] * d, out, i * d, d);
        }
        return Matrix.wrap(out, rows.length, d);
    }

    /** The usable rows of x with each NaN replaced by its column's weighted mean over the observed values. */
    Matrix meanImputed(Matrix x) {
        int d = x.cols();
        double[] sum = new double[d];
        double[] weight = new double[d];
        double[] v = x.data();
        for (int i = 0; i < rows.length; i++) {
            double w = weights == null ? 1 : weights[i];
            for (int j = 0; j < d; j++) {
                double e = v[rows[i] * d + j];
                if (!Double.isNaN(e)) {
                    sum[j] += w * e;
                    weight[j] += w;
                }
            }
        }
        for (int j = 0; j < d; j++) {
            if (!(weight[j] > 0)) {
                throw new IllegalArgumentException("column " + j + " (0-based) has no observed value"
                        + (weights == null ? "" : " with a positive sample weight")
                        + ": its distribution cannot be estimated");
            }
            sum[j] /= weight[j];
        }
        Matrix out = select(x);
        double[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            if (Double.isNaN(o[i])) {
                o[i] = sum[i % d];
            }
        }
        return out;
    }
}
