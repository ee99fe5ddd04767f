package io.gaussmix.math;

import java.util.Arrays;

/**
 * The parameters of a Gaussian mixture in float64, with what every backend needs precomputed:
 * log weights, the precision Cholesky factors and their log-determinants. Immutable; the array
 * accessors return the internal arrays for the hot paths, so callers must not modify them.
 *
 * <p>Layouts (K components, D features, all row-major): {@code means} K*D; {@code covariances} as
 * scikit-learn's {@code covariances_} flattened (FULL K*D*D, TIED D*D, DIAG K*D, SPHERICAL K);
 * {@code precisionCholesky} the same shapes holding U with precision = U U^T: for FULL and TIED the
 * upper-triangular {@code U = L^-T} of the covariance's Cholesky factor L (zeros below the
 * diagonal), for DIAG and SPHERICAL {@code 1/sqrt(variance)}. {@code logDetPrecChol[k]} = sum log diag U_k.
 */
public final class MixtureParams implements java.io.Serializable {
    // Serializable so that a distributed fit (io.gaussmix.spark) can broadcast the exact parameters.
    private static final long serialVersionUID = 1L;

    private final CovarianceKind type;
    private final int k;
    private final int d;
    private final double[] weights;
    private final double[] logWeights;
    private final double[] means;
    private final double[] covariances;
    private final double[] precisionCholesky;
    private final double[] logDetPrecChol;

    private MixtureParams(CovarianceKind type, int k, int d, double[] weights, double[] means,
                          double[] covariances, double[] precisionCholesky, double[] logDetPrecChol) {
        this.type = type;
        this.k = k;
        this.d = d;
        this.weights = weights;
        this.means = means;
        this.covariances = covariances;
        this.precisionCholesky = precisionCholesky;
        this.logDetPrecChol = logDetPrecChol;
        this.logWeights = new double[k];
        for (int c = 0; c < k; c++) {
            logWeights[c] = Math.log(weights[c]);
        }
    }

    /**
     * Weights 1/K, the given means (K*D, copied) and identity covariances, whose precision factors are the
     * identity too (log-determinants 0), without factoring K matrices of D x D: the initialisers' shift.
     */
    public static MixtureParams withIdentityCovariances(CovarianceKind type, double[] means, int d) {
        int k = means.length / d;
        double[] w = new double[k];
        Arrays.fill(w, 1.0 / k);
        double[] identity = type.structure().identity(k, d);
        return new MixtureParams(type, k, d, w, means.clone(), identity, identity.clone(), new double[k]);
    }

    /**
     * Builds parameters from weights (K, finite, >= 0, with a positive sum; divided by that sum here), means (K*D) and covariances (scikit-learn
     * shape, flattened), factoring every covariance. The arrays are copied.
     *
     * @throws NotPositiveDefiniteException naming the first component whose covariance is not positive definite
     */
    public static MixtureParams of(CovarianceKind type, double[] weights, double[] means, double[] covariances, int d) {
        int k = weights.length;
        if (means.length != k * d) {
            throw new IllegalArgumentException("means hold " + means.length + " values, expected K*D = " + k + "*" + d);
        }
        CovarianceStructure structure = type.structure();
        if (covariances.length != structure.length(k, d)) {
            throw new IllegalArgumentException(type.id() + " covariances hold " + covariances.length
                    + " values, expected " + structure.length(k, d) + " for K=" + k + ", D=" + d);
        }
        double max = 0;
        for (int c = 0; c < k; c++) {
            if (!(weights[c] >= 0) || !Double.isFinite(weights[c])) {
                throw new IllegalArgumentException("weight " + c + " (0-based) is " + weights[c]
                        + "; weights must be finite and >= 0");
            }
            max = Math.max(max, weights[c]);
        }
        if (!(max > 0)) {
            throw new IllegalArgumentException("weights are all 0; they must have a positive sum");
        }
        double sum = 0;
        for (double v : weights) {
            sum += v;
        }
        // Weights near Double.MAX_VALUE overflow their sum: then divide by the largest one first.
        double divisor = sum;
        double[] w = weights.clone();
        if (Double.isInfinite(sum)) {
            divisor = 0;
            for (int c = 0; c < k; c++) {
                w[c] /= max;
                divisor += w[c];
            }
        }
        for (int c = 0; c < k; c++) {
            w[c] /= divisor;
        }
        for (double v : means) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("means must be finite, got " + v);
            }
        }
        double[] cov = covariances.clone();
        double[] prec = new double[cov.length];
        double[] logDet = new double[k];
        double[] blockLogDet = new double[structure.blocks(k)];
        for (int b = 0; b < blockLogDet.length; b++) {
            int at = structure.offset(b, d);
            blockLogDet[b] = structure.factor(cov, at, d, prec, at);
            if (Double.isNaN(blockLogDet[b])) {
                throw new NotPositiveDefiniteException(structure.shared() ? -1 : b);
            }
        }
        for (int c = 0; c < k; c++) {
            logDet[c] = blockLogDet[structure.shared() ? 0 : c];
        }
        return new MixtureParams(type, k, d, w, means.clone(), cov, prec, logDet);
    }

    /**
     * Factors the D x D covariance at {@code cov[from..]} as L L^T and writes the upper-triangular
     * precision factor U = L^-T at {@code out[to..]} ({@link PrecisionCholesky}).
     *
     * @return sum log diag U, or NaN when the matrix is not (numerically) positive definite
     */
    public static double precisionCholesky(double[] cov, int from, int d, double[] out, int to) {
        return PrecisionCholesky.factor(cov, from, d, out, to);
    }

    /** The covariance type (a constant of {@code io.gaussmix.CovarianceType}). */
    public CovarianceKind type() {
        return type;
    }

    /** The covariance type's structure: layout and per-type math. */
    public CovarianceStructure structure() {
        return type.structure();
    }

    /** Number of components K. */
    public int components() {
        return k;
    }

    /** Number of features D. */
    public int dimensions() {
        return d;
    }

    /** Weights (K, summing to 1); internal array, do not modify. */
    public double[] weights() {
        return weights;
    }

    /** log of the weights (K); internal array, do not modify. */
    public double[] logWeights() {
        return logWeights;
    }

    /** Means, row-major K*D; internal array, do not modify. */
    public double[] means() {
        return means;
    }

    /** Covariances in scikit-learn's shape, flattened; internal array, do not modify. */
    public double[] covariances() {
        return covariances;
    }

    /** Precision Cholesky factors (see the class comment); internal array, do not modify. */
    public double[] precisionCholesky() {
        return precisionCholesky;
    }

    /** sum log diag U_k per component (K); internal array, do not modify. */
    public double[] logDetPrecChol() {
        return logDetPrecChol;
    }

    /**
     * The part of component c's weighted log density that does not depend on the row,
     * {@code log w_c + log det U_c - D/2 log(2 pi)}: every backend adds it to -1/2 of the
     * Mahalanobis term, so it is written once here (the same float64 expression everywhere).
     */
    public double logDensityConstant(int c) {
        return logWeights[c] + logDetPrecChol[c] - 0.5 * d * Gaussian.LOG_2PI;
    }

    /** Number of free parameters: K*D means + covariance parameters + K-1 weights. */
    public long parameterCount() {
        return (long) k * d + type.structure().freeParameters(k, d) + k - 1;
    }
}
