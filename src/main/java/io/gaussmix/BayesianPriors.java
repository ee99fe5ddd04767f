package io.gaussmix;

/**
 * The priors of a variational Bayesian fit, as scikit-learn's {@code BayesianGaussianMixture} names them.
 * NaN or null means scikit-learn's default, computed from the data being fitted: weight concentration
 * 1/k, mean precision 1, mean the data mean, degrees of freedom D, covariance the data's covariance
 * (unbiased, N - 1; DIAG: the column variances; SPHERICAL: their mean).
 *
 * @param weightPrior         the kind of prior on the weights
 * @param weightConcentration > 0 (scikit-learn's weight_concentration_prior)
 * @param meanPrecision       > 0 (mean_precision_prior)
 * @param mean                D values (mean_prior)
 * @param degreesOfFreedom    > D - 1 (degrees_of_freedom_prior)
 * @param covariance          FULL/TIED: D*D row-major, DIAG: D, SPHERICAL: 1 (covariance_prior)
 */
public record BayesianPriors(WeightPrior weightPrior, double weightConcentration, double meanPrecision, double[] mean,
                             double degreesOfFreedom, double[] covariance) {
    public BayesianPriors {
        java.util.Objects.requireNonNull(weightPrior, "weightPrior");
        requirePositiveOrDefault("weightConcentration", weightConcentration);
        requirePositiveOrDefault("meanPrecision", meanPrecision);
        requirePositiveOrDefault("degreesOfFreedom", degreesOfFreedom);
        mean = mean == null ? null : mean.clone();
        covariance = covariance == null ? null : covariance.clone();
    }

    /** Every prior at scikit-learn's default. */
    public static BayesianPriors defaults(WeightPrior weightPrior) {
        return new BayesianPriors(weightPrior, Double.NaN, Double.NaN, null, Double.NaN, null);
    }

    private static void requirePositiveOrDefault(String name, double v) {
        if (!Double.isNaN(v) && !(v > 0 && Double.isFinite(v))) {
            throw new InvalidSettingException(name, "must be finite and > 0 (or NaN for the default)", v);
        }
    }
}
