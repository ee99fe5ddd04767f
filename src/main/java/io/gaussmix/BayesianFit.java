package io.gaussmix;

/**
 * The result of a variational Bayesian fit: the mixture of the posterior's expected weights, its means
 * and covariances (scikit-learn's weights_, means_, covariances_: a plain {@link GaussianMixtureModel}
 * that predicts, scores and samples as any other; its summary's lower bound is the evidence lower bound,
 * a total, not per row), and the variational parameters.
 *
 * @param weightConcentration the Dirichlet (one row) or the stick-breaking Beta parameters (two rows, a and b)
 * @param meanPrecision       K values (scikit-learn's mean_precision_)
 * @param degreesOfFreedom    K values; TIED: K equal values (scikit-learn's is one number)
 */
public record BayesianFit(GaussianMixtureModel model, WeightPrior weightPrior, double[][] weightConcentration,
                          double[] meanPrecision, double[] degreesOfFreedom) {
    /** The default threshold of {@link #effectiveComponents()}: a component with 1% of the weight counts. */
    public static final double EFFECTIVE_WEIGHT = 0.01;

    /** Components whose weight is at least {@link #EFFECTIVE_WEIGHT}. */
    public int effectiveComponents() {
        return effectiveComponents(EFFECTIVE_WEIGHT);
    }

    /** Components whose weight is at least {@code threshold}. */
    public int effectiveComponents(double threshold) {
        int n = 0;
        for (double w : model.weights()) {
            n += w >= threshold ? 1 : 0;
        }
        return n;
    }
}
