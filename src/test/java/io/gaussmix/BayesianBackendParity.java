package io.gaussmix;

import com.fasterxml.jackson.databind.JsonNode;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.testing.ReferenceCases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The variational fit on a device backend against the float64 CPU variational fit from the same labels
 * (which itself equals scikit-learn's, {@link BayesianParityTest}), for every case of the Bayesian
 * references: the same pass serves it, so it must agree as EM's device fits do (the tolerances of
 * {@link BackendFitParityTest}'s subclasses: float32 1e-4 of scale on parameters, float64 1e-9).
 */
public final class BayesianBackendParity {
    private BayesianBackendParity() {
    }

    /** @param priorId only the cases of this weight prior ("dirichlet-process"), or null for all */
    public static void check(BackendType backend, Precision precision, double parameterTolerance,
                             double boundTolerance, String priorId) {
        BayesianParityTest.cases().filter(n -> priorId == null
                || n.getPayload().get("weightPrior").asText().equals(priorId)).forEach(named -> {
            JsonNode c = named.getPayload();
            String what = named.getName();
            BayesianFit cpu = BayesianParityTest.fit(c, 15);
            BayesianFit dev = fit(c, backend, precision);
            assertTrue(dev.model().summary().backend().startsWith(backend.id()), "ran on " + dev.model().summary().backend());
            close(what + " weights", cpu.model().weights(), dev.model().weights(), parameterTolerance);
            close(what + " means", Matrix.of(cpu.model().means()).data(), Matrix.of(dev.model().means()).data(),
                    parameterTolerance);
            close(what + " covariances", cpu.model().covariances(), dev.model().covariances(), parameterTolerance);
            close(what + " meanPrecision", cpu.meanPrecision(), dev.meanPrecision(), parameterTolerance);
            double lb = cpu.model().summary().lowerBound();
            assertEquals(lb, dev.model().summary().lowerBound(), boundTolerance * Math.abs(lb), what + " lower bound");
        });
    }

    private static BayesianFit fit(JsonNode c, BackendType backend, Precision precision) {
        int[] labels = new int[c.get("labels").size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = c.get("labels").get(i).asInt();
        }
        return GaussianMixture.builder().k(c.get("K").asInt())
                .covarianceType(CovarianceType.parse(c.get("covarianceType").asText()))
                .initLabels(labels).tol(0).maxIter(15).regCovar(1e-6).backend(backend).precision(precision).build()
                .fitBayesian(ReferenceCases.dataset(c.get("data").asText()), null,
                        BayesianPriors.defaults(WeightPrior.parse(c.get("weightPrior").asText())));
    }

    /** |a - b| <= tol * max(1, max|expected|), per array, as BackendFitParityTest compares. */
    private static void close(String what, double[] expected, double[] actual, double tol) {
        double norm = 1;
        for (double v : expected) {
            norm = Math.max(norm, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * norm, what + "[" + i + "]");
        }
    }
}
