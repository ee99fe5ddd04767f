package io.gaussmix;

import io.gaussmix.data.Matrix;

/** Input checks shared by the estimator and the model: each failure says what and where. */
final class Validation {
    private Validation() {
    }

    /** Non-empty, finite, and (when expectedCols > 0) of the expected width. */
    static void requireData(Matrix x, int expectedCols, String what) {
        requireData(x, expectedCols, what, false);
    }

    /**
     * Non-empty, of the expected width (when expectedCols > 0), and finite except that, when
     * {@code allowMissing}, NaN marks a missing value; ±Infinity is always an error.
     */
    static void requireData(Matrix x, int expectedCols, String what, boolean allowMissing) {
        requireShape(x, expectedCols, what);
        requireFinite(x, 0, what, allowMissing);
    }

    /**
     * {@link #requireData(Matrix, int, String, boolean)} and {@link #requireScorable(Matrix, long, String)} in one
     * scan of the values: data about to be scored.
     */
    static void requireScorableData(Matrix x, int expectedCols, String what, boolean allowMissing) {
        requireShape(x, expectedCols, what);
        requireFiniteScorable(x, 0, what, allowMissing);
    }

    private static void requireShape(Matrix x, int expectedCols, String what) {
        if (x == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (x.rows() == 0) {
            throw new IllegalArgumentException(what + " has no rows");
        }
        if (expectedCols > 0 && x.cols() != expectedCols) {
            throw new IllegalArgumentException(what + " has " + x.cols() + " columns but the model has "
                    + expectedCols + " dimensions");
        }
    }

    /**
     * The finiteness check of {@link #requireData(Matrix, int, String, boolean)} on a block of rows
     * whose first row is row {@code firstRow} of the data (a block of a streamed source), so that an
     * error names the row of the data, not of the block.
     */
    static void requireFinite(Matrix x, long firstRow, String what, boolean allowMissing) {
        double[] v = x.data();
        int cols = x.cols();
        for (int i = 0; i < v.length; i++) {
            double e = v[i];
            if (Double.isFinite(e) || (allowMissing && Double.isNaN(e))) {
                continue;
            }
            String where = "row " + (firstRow + i / cols) + ", column " + (i % cols) + " is " + e + " (0-based)";
            if (Double.isNaN(e)) {
                throw new IllegalArgumentException(what + " contains a non-finite value: " + where
                        + "; a missing value is accepted only by fitting with missing(MissingPolicy.EM)"
                        + " or by GaussianMixtureModel.impute");
            }
            throw new IllegalArgumentException(what + " contains a non-finite value: " + where
                    + (allowMissing ? "; only NaN marks a missing value" : ""));
        }
    }

    /**
     * {@link #requireFinite} and then {@link #requireScorable} in one scan of the values (the errors are
     * theirs, found by running them once the scan meets a value that either rejects): a fit's BIC/AIC
     * and every score, predict or impute call scan their data once instead of twice.
     */
    static void requireFiniteScorable(Matrix x, long firstRow, String what, boolean allowMissing) {
        for (double e : x.data()) {
            if (!(Math.abs(e) <= MAX_SCORABLE) && !(allowMissing && Double.isNaN(e))) {
                requireFinite(x, firstRow, what, allowMissing);
                requireScorable(x, firstRow, what);
                return;
            }
        }
    }

    /** The largest magnitude a value may have to be scored: sqrt(Double.MAX_VALUE), so its square is finite. */
    static final double MAX_SCORABLE = Math.sqrt(Double.MAX_VALUE);

    /**
     * Every finite value at most {@link #MAX_SCORABLE} in magnitude (NaN, a missing value, passes): a
     * larger one makes every squared distance overflow, so its log-likelihood would be NaN or
     * -Infinity and its label arbitrary. The error names the row (counted from {@code firstRow}, the
     * block's first row in the data) and the column.
     */
    private static void requireScorable(Matrix x, long firstRow, String what) {
        double[] v = x.data();
        int cols = x.cols();
        for (int i = 0; i < v.length; i++) {
            if (Math.abs(v[i]) > MAX_SCORABLE) {
                throw new IllegalArgumentException(what + " row " + (firstRow + i / cols) + ", column " + (i % cols) + " (0-based) is "
                        + v[i] + ": too large to score (its square overflows; values must be at most "
                        + String.format(java.util.Locale.ROOT, "%.4g", MAX_SCORABLE) + " in magnitude): scale the data, and fit the model on the scaled data");
            }
        }
    }

    /**
     * How far apart a covariance's mirrored entries may be, relative to sqrt(|a_ii| |a_jj|) (the
     * largest |a_ij| a positive definite matrix can have): far above the rounding of a covariance
     * summed in a different order per triangle (a few ulps times the number of rows), far below any
     * real asymmetry, which the triangle-reading factorisations would otherwise resolve silently.
     */
    static final double SYMMETRY_TOLERANCE = 1e-10;

    /**
     * Full and tied covariances (packed as in {@link CovarianceType#covarianceLength}) must be
     * symmetric within {@link #SYMMETRY_TOLERANCE}; the error names the component and the entry.
     */
    static void requireSymmetric(CovarianceType type, double[] cov, int k, int d) {
        if (type != CovarianceType.FULL && type != CovarianceType.TIED) {
            return;
        }
        int matrices = type == CovarianceType.FULL ? k : 1;
        for (int c = 0; c < matrices; c++) {
            int o = c * d * d;
            for (int i = 0; i < d; i++) {
                for (int j = i + 1; j < d; j++) {
                    double a = cov[o + i * d + j];
                    double b = cov[o + j * d + i];
                    double scale = Math.sqrt(Math.abs(cov[o + i * d + i])) * Math.sqrt(Math.abs(cov[o + j * d + j]));
                    if (!(Math.abs(a - b) <= SYMMETRY_TOLERANCE * scale)) {
                        String which = type == CovarianceType.TIED ? "the tied covariance" : "the covariance of component " + c;
                        throw new IllegalArgumentException(which + " is not symmetric: [" + i + "][" + j + "] = " + a
                                + " but [" + j + "][" + i + "] = " + b + " (0-based; allowed difference "
                                + SYMMETRY_TOLERANCE + " * sqrt(|[" + i + "][" + i + "]| * |[" + j + "][" + j + "]|))");
                    }
                }
            }
        }
    }

    /** N finite, non-negative weights with a positive sum. */
    static void requireSampleWeights(double[] w, long n) {
        requireSampleWeights(w, n, 0, "");
    }

    /**
     * As {@link #requireSampleWeights(double[], long)} for the weights of rows {@code [firstRow, firstRow + n)}
     * of a longer source (a batch of a file), rows named by their index in the source.
     */
    static void requireSampleWeights(double[] w, long n, long firstRow) {
        requireSampleWeights(w, n, firstRow, " in rows " + firstRow + ".." + (firstRow + n - 1) + " (0-based)");
    }

    private static void requireSampleWeights(double[] w, long n, long firstRow, String where) {
        if (w == null) {
            return;
        }
        if (w.length != n) {
            throw new IllegalArgumentException("got " + w.length + " sample weights for " + n + " rows");
        }
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            if (!(w[i] >= 0) || !Double.isFinite(w[i])) {
                throw new IllegalArgumentException("sample weight of row " + (firstRow + i) + " (0-based) is " + w[i]
                        + "; weights must be finite and >= 0");
            }
            sum += w[i];
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("sample weights sum to 0" + where);
        }
    }
}
