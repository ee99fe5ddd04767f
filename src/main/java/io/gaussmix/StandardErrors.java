package io.gaussmix;

import io.gaussmix.data.Matrix;

import java.util.Arrays;

/**
 * Asymptotic standard errors of a fitted mixture's parameters, from the observed information matrix J =
 * minus the Hessian of the log-likelihood sum_n w_n log p(x_n) at the model's parameters
 * ({@link GaussianMixtureModel#standardErrors}). Immutable; the accessors return copies.
 *
 * <p>How they are computed, and when they mean what they say:
 * <ul>
 *   <li>J is taken analytically (Louis' identity: the complete-data information minus the rows' variance of
 *       the complete-data score; not the outer product of the scores) in a minimal parametrisation: K-1 free
 *       weights (they sum to one by construction), the means, and the unique entries of each covariance
 *       (FULL/TIED: entry (i, j) for i <= j; DIAG: the variances; SPHERICAL: the variance). J is inverted by
 *       a Cholesky factorisation; the standard errors are the square roots of the diagonal of J^-1, the last
 *       weight's from the covariance of the free ones (the delta method), mirrored covariance entries share one.</li>
 *   <li>They are the large-sample errors at the maximum of the likelihood: the fit should be converged
 *       ({@link #converged()}; {@link #maxNewtonStep()} says how far the model is from the maximum, in these
 *       standard errors), the components distinct and each resting on enough rows.</li>
 *   <li>{@code regCovar} is a ridge the likelihood does not model: the information is evaluated at the fitted
 *       parameters (whose covariances include the ridge) under the plain likelihood, the ridge not counted.</li>
 *   <li>Sample weights are frequency weights: a weight of 2 counts its row twice (their scale matters here,
 *       unlike in a fit).</li>
 * </ul>
 * Shapes are the model's: weights K, means K x D, covariances in the model's own layout (FULL K*D*D, TIED D*D,
 * DIAG K*D, SPHERICAL K, flattened row-major).
 */
public final class StandardErrors {
    private final CovarianceType type;
    private final int k;
    private final int d;
    private final double[] weights;
    private final double[] means;
    private final double[] covariances;
    private final long parameters;
    private final int rows;
    private final double totalWeight;
    private final boolean converged;
    private final double maxNewtonStep;

    private StandardErrors(CovarianceType type, int k, int d, double[] weights, double[] means, double[] covariances,
                           long parameters, int rows, double totalWeight, boolean converged, double maxNewtonStep) {
        this.type = type;
        this.k = k;
        this.d = d;
        this.weights = weights;
        this.means = means;
        this.covariances = covariances;
        this.parameters = parameters;
        this.rows = rows;
        this.totalWeight = totalWeight;
        this.converged = converged;
        this.maxNewtonStep = maxNewtonStep;
    }

    /**
     * Standard errors as given (e.g. read from a model file); the arrays are copied.
     *
     * @param weights     K values
     * @param means       K x D
     * @param covariances the covariance type's layout, flattened
     * @throws IllegalArgumentException for shapes that do not fit together, or a value that is negative or not finite
     */
    public static StandardErrors of(CovarianceType type, double[] weights, double[][] means, double[] covariances,
                                    long parameters, int rows, double totalWeight, boolean converged,
                                    double maxNewtonStep) {
        int k = weights.length;
        if (k == 0 || means.length != k) {
            throw new IllegalArgumentException("standard errors need K >= 1 weights and as many mean rows, got "
                    + weights.length + " and " + means.length);
        }
        int d = means[0].length;
        double[] m = Matrix.of(means).data();
        if (covariances.length != type.covarianceLength(k, d)) {
            throw new IllegalArgumentException("standard errors of " + type.id() + " covariances hold "
                    + type.covarianceLength(k, d) + " values for K=" + k + ", D=" + d + ", got " + covariances.length);
        }
        for (double[] v : new double[][] {weights, m, covariances}) {
            for (double e : v) {
                if (!(e >= 0) || !Double.isFinite(e)) {
                    throw new IllegalArgumentException("a standard error must be finite and >= 0, got " + e);
                }
            }
        }
        return new StandardErrors(type, k, d, weights.clone(), m, covariances.clone(), parameters, rows, totalWeight,
                converged, maxNewtonStep);
    }

    public CovarianceType covarianceType() {
        return type;
    }

    /** Of the weights, K; the last one's by the delta method (0 when K = 1: the weight is 1 by construction). */
    public double[] weights() {
        return weights.clone();
    }

    /** Of the means, K x D. */
    public double[][] means() {
        return Matrix.wrap(means, k, d).toRows();
    }

    /** Of the covariances, in the model's layout (FULL K*D*D, TIED D*D, DIAG K*D, SPHERICAL K); (i, j) equals (j, i). */
    public double[] covariances() {
        return covariances.clone();
    }

    /** P, the free parameters the information was taken over (the model's {@code parameterCount}). */
    public long parameters() {
        return parameters;
    }

    /** The number of rows the information was taken on. */
    public int rows() {
        return rows;
    }

    /** The sum of the rows' frequency weights (the number of rows without weights). */
    public double totalWeight() {
        return totalWeight;
    }

    /** Whether the model's fit had converged (its summary's flag) when these were computed. */
    public boolean converged() {
        return converged;
    }

    /**
     * max_i |(J^-1 grad l)_i| / SE_i: the Newton step from the model to the likelihood's maximum, in standard
     * errors. Near 0 (below 1e-2, say) for a converged fit; a large value means the model is not at the
     * maximum on these rows and the errors describe a different point.
     */
    public double maxNewtonStep() {
        return maxNewtonStep;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StandardErrors s && type == s.type && k == s.k && d == s.d
                && Arrays.equals(weights, s.weights) && Arrays.equals(means, s.means)
                && Arrays.equals(covariances, s.covariances) && parameters == s.parameters && rows == s.rows
                && Double.compare(totalWeight, s.totalWeight) == 0 && converged == s.converged
                && Double.compare(maxNewtonStep, s.maxNewtonStep) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(means) + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "StandardErrors(" + type.id() + ", K=" + k + ", D=" + d + ", " + parameters + " parameters, " + rows
                + " rows, weights " + Arrays.toString(weights) + ")";
    }
}
