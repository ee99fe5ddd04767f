package io.gaussmix;

import io.gaussmix.data.Matrix;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standard errors mean what they say: over many data sets drawn from a known mixture, the nominal 95%
 * intervals mean +- 1.96 SE of the fitted means cover the true means about 95% of the time.
 */
class StandardErrorsCoverageTest {
    private static final int DATA_SETS = 300;
    private static final int ROWS = 400;

    @Test
    void ninetyFivePercentIntervalsOfTheMeansCoverTheTruth() {
        // Well separated (5 to 6 standard deviations apart), unequal weights, correlated full covariances.
        GaussianMixtureModel truth = GaussianMixtureModel.of(CovarianceType.FULL, new double[] {0.4, 0.6},
                new double[][] {{0, 0}, {5, 3}}, new double[] {1, 0.5, 0.5, 1.5, 0.8, -0.2, -0.2, 0.6},
                FitSummary.notFitted());
        double[][] mu = truth.means();
        int covered = 0;
        int intervals = 0;
        for (int set = 0; set < DATA_SETS; set++) {
            Matrix x = truth.sample(ROWS, 1000 + set).x();
            // A warm start from the truth: the question is the error at the maximum, not finding it.
            GaussianMixtureModel fit = GaussianMixture.builder().k(2).covarianceType(CovarianceType.FULL)
                    .initialModel(truth).tol(1e-10).maxIter(500).build().fit(x);
            double[][] se = fit.standardErrors(x).means();
            double[][] m = fit.means();
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 2; i++) {
                    covered += Math.abs(m[c][i] - mu[c][i]) <= 1.96 * se[c][i] ? 1 : 0;
                    intervals++;
                }
            }
        }
        double coverage = covered / (double) intervals;
        // 1200 intervals: binomial standard error sqrt(0.95 * 0.05 / 1200) = 0.0063, so 93-97% is about +-3.2
        // standard errors around 95% (the four intervals of one data set are correlated a little, which widens
        // the spread somewhat; the seeds are fixed, so the outcome is too).
        assertTrue(coverage >= 0.93 && coverage <= 0.97, "coverage " + coverage + " of " + intervals);
    }
}
