package io.gaussmix.em;

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
}
