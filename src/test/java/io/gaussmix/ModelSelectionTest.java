package io.gaussmix;

import io.gaussmix.data.Matrix;
import io.gaussmix.testing.NaiveReference;
import io.gaussmix.testing.ReferenceCases;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BIC, AIC and ICL of every candidate against direct computations from the naive log densities. */
class ModelSelectionTest {
    @Test
    void criteriaMatchTheirDefinitions() {
        Matrix x = ReferenceCases.dataset("blobs2d.csv");
        GaussianMixture template = GaussianMixture.builder().seed(3).backend(BackendType.CPU).build();
        ModelSelection.Result r = ModelSelection.select(x, template, 1, 4,
                List.of(CovarianceType.FULL, CovarianceType.SPHERICAL), ModelSelection.Criterion.ICL);
        int n = x.rows();
        ModelSelection.Candidate best = null;
        for (ModelSelection.Candidate c : r.candidates()) {
            int k = c.k();
            double[] logp = NaiveReference.logDensities(c.model().params(), x);
            double logLik = 0;
            double entropy = 0;   // -sum r log r, from the naive densities
            for (int row = 0; row < n; row++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    max = Math.max(max, logp[row * k + j]);
                }
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += Math.exp(logp[row * k + j] - max);
                }
                double rowLl = max + Math.log(sum);
                logLik += rowLl;
                for (int j = 0; j < k; j++) {
                    double resp = Math.exp(logp[row * k + j] - rowLl);
                    if (resp > 0) {
                        entropy -= resp * Math.log(resp);
                    }
                }
            }
            double p = c.parameterCount();
            String what = c.covarianceType().id() + " k=" + k;
            assertEquals(-2 * logLik + p * Math.log(n), c.bic(), 1e-9 * Math.abs(c.bic()), what + " BIC");
            assertEquals(-2 * logLik + 2 * p, c.aic(), 1e-9 * Math.abs(c.aic()), what + " AIC");
            assertEquals(-2 * logLik + p * Math.log(n) + 2 * entropy, c.icl(), 1e-9 * Math.abs(c.icl()), what + " ICL");
            assertEquals(c.model().bic(x), c.bic(), 1e-9 * Math.abs(c.bic()), what + " model's BIC");
            assertTrue(c.icl() >= c.bic(), what + ": the entropy is >= 0");
            if (k == 1) {
                assertEquals(c.bic(), c.icl(), 0.0, what + ": one component has zero entropy");
            }
            if (best == null || c.icl() < best.icl()) {
                best = c;
            }
        }
        assertSame(best, r.best());
        assertEquals(ModelSelection.Criterion.ICL, r.criterion());
        // blobs2d holds three well-separated clusters: ICL, like BIC, finds them.
        assertEquals(3, r.best().k());
    }
}
