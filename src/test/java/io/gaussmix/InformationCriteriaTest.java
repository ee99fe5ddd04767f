package io.gaussmix;

import io.gaussmix.data.Matrix;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One scoring pass gives the score, BIC and AIC, equal to the separate calls and to their definitions. */
class InformationCriteriaTest {

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void oneScorePassGivesTheScoreBicAndAic(CovarianceType type) {
        Matrix x = SyntheticMixtures.sample(SyntheticMixtures.randomParams(type, 3, 4, 31, 2.0, 0.0), 3000, 32);
        GaussianMixtureModel m = GaussianMixture.builder().k(3).covarianceType(type).seed(5).build().fit(x);
        GaussianMixtureModel.InformationCriteria ic = m.informationCriteria(x);
        double n = x.rows();
        double p = m.parameterCount();
        double logLik = 0;
        for (double v : m.scoreSamples(x)) {
            logLik += v;
        }
        assertEquals(logLik / n, ic.score(), 1e-12 * Math.abs(ic.score()));
        // scikit-learn's definitions: BIC = -2 log L + p ln N, AIC = -2 log L + 2 p.
        assertEquals(-2 * logLik + p * Math.log(n), ic.bic(), 1e-9 * Math.abs(ic.bic()));
        assertEquals(-2 * logLik + 2 * p, ic.aic(), 1e-9 * Math.abs(ic.aic()));
        assertEquals(m.score(x), ic.score(), 0.0);
        assertEquals(m.bic(x), ic.bic(), 0.0);
        assertEquals(m.aic(x), ic.aic(), 0.0);
    }
}
