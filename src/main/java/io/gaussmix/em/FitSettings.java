package io.gaussmix.em;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitListener;
import io.gaussmix.InitMethod;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.math.MixtureParams;

/**
 * What a fit is asked to do, as the estimator's builder validated it.
 *
 * @param start           the parameters to start from, or null to run {@code nInit} initialisations
 * @param startLowerBound the lower bound the start was fitted to (NaN when it was not fitted): a warm
 *                        start's first convergence test compares against it, as scikit-learn's does
 */
public record FitSettings(int k, CovarianceType covarianceType, double tol, double regCovar, int maxIter, int nInit,
                          InitMethod init, MixtureParams start, double startLowerBound, long seed, FitListener listener,
                          BackendType backend, BackendOptions backendOptions) {

    /**
     * Fails, before any work, when rows x cols of data (with weights w, null = all 1) cannot be fitted
     * with these settings: fewer rows of positive weight than components, or a start of another shape.
     *
     * @param rowsWhat how the message calls the rows ("rows", "rows with an observed value")
     */
    public void requireFits(long rows, int cols, double[] w, String rowsWhat) {
        long positive = rows;
        if (w != null) {
            positive = 0;
            for (double v : w) {
                positive += v > 0 ? 1 : 0;
            }
        }
        requireFits(rows, cols, positive, rowsWhat);
    }

    /** {@link #requireFits(long, int, double[], String)} given the number of rows of positive weight. */
    public void requireFits(long rows, int cols, long positive, String rowsWhat) {
        if (positive < k) {
            throw new IllegalArgumentException("data has " + rows + " " + rowsWhat
                    + (positive < rows ? ", " + positive + " of them with a positive sample weight," : "")
                    + " fewer than k = " + k + " components");
        }
        if (start == null) {
            return;
        }
        if (start.dimensions() != cols) {
            throw new IllegalArgumentException("the starting model has " + start.dimensions()
                    + " dimensions but the data has " + cols + " columns");
        }
        if (start.components() != k) {
            throw new IllegalArgumentException("the starting model has " + start.components()
                    + " components but k = " + k);
        }
        if (start.type() != covarianceType) {
            throw new IllegalArgumentException("the starting model's covariance type is "
                    + start.type().id() + " but the fit asks for " + covarianceType.id());
        }
    }
}
