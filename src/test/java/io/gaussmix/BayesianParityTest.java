package io.gaussmix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gaussmix.testing.ReferenceCases;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.gaussmix.SklearnParityTest.assertRel;
import static io.gaussmix.SklearnParityTest.flat2;
import static io.gaussmix.testing.ReferenceCases.flat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The variational Bayesian fit against scikit-learn 1.2.1's BayesianGaussianMixture started from the same
 * labels ({@code reference/make_bayesian_reference.py}): both weight priors, all four covariance types,
 * three data sets, scikit-learn's default priors, 15 iterations with tol 0, to 1e-9 relative.
 */
class BayesianParityTest {
    static JsonNode root() {
        try (InputStream in = BayesianParityTest.class.getResourceAsStream("/reference/bayesian_reference.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Named<JsonNode>> cases() {
        return named("cases");
    }

    static Stream<Named<JsonNode>> customPriorCases() {
        return named("customPriors");
    }

    static Stream<Named<JsonNode>> named(String key) {
        List<Named<JsonNode>> out = new ArrayList<>();
        root().get(key).forEach(c -> out.add(Named.of(c.get("data").asText() + "/" + c.get("covarianceType").asText()
                + "/" + c.get("weightPrior").asText(), c)));
        return out.stream();
    }

    static BayesianFit fit(JsonNode c, int maxIter) {
        return fit(c, maxIter, BayesianPriors.defaults(WeightPrior.parse(c.get("weightPrior").asText())));
    }

    static BayesianFit fit(JsonNode c, int maxIter, BayesianPriors priors) {
        int[] labels = new int[c.get("labels").size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = c.get("labels").get(i).asInt();
        }
        return GaussianMixture.builder().k(c.get("K").asInt())
                .covarianceType(CovarianceType.parse(c.get("covarianceType").asText()))
                .initLabels(labels).tol(0).maxIter(maxIter).regCovar(1e-6).backend(BackendType.CPU).build()
                .fitBayesian(ReferenceCases.dataset(c.get("data").asText()), null, priors);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesScikitLearnsBayesianGaussianMixtureFromTheSameLabels(JsonNode c) {
        assertMatches(c, fit(c, 15));
    }

    /** Every prior set by hand (scikit-learn given the same values). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("customPriorCases")
    void matchesScikitLearnWithEveryPriorSet(JsonNode c) {
        JsonNode p = c.get("priors");
        BayesianPriors priors = new BayesianPriors(WeightPrior.parse(c.get("weightPrior").asText()),
                p.get("weightConcentration").asDouble(), p.get("meanPrecision").asDouble(), flat(p.get("mean")),
                p.get("degreesOfFreedom").asDouble(), flat(p.get("covariance")));
        assertMatches(c, fit(c, 15, priors));
    }

    static void assertMatches(JsonNode c, BayesianFit f) {
        GaussianMixtureModel m = f.model();
        assertEquals(c.get("nIter").asInt(), m.summary().iterations(), "iterations");
        assertRel("weights", flat(c.get("weights")), m.weights());
        assertRel("means", flat(c.get("means")), flat2(m.means()));
        assertRel("covariances", flat(c.get("covariances")), m.covariances());
        assertRel("weightConcentration", flat(c.get("weightConcentration")), flat2(f.weightConcentration()));
        assertRel("meanPrecision", flat(c.get("meanPrecision")), f.meanPrecision());
        double[] dof = flat(c.get("degreesOfFreedom"));
        double[] ours = c.get("covarianceType").asText().equals("tied") ? new double[] {f.degreesOfFreedom()[0]}
                : f.degreesOfFreedom();
        assertRel("degreesOfFreedom", dof, ours);
        assertRel("lowerBound", new double[] {c.get("lowerBound").asDouble()}, new double[] {m.summary().lowerBound()});
    }

    /** The bound scikit-learn's tests check: it never decreases (beyond rounding) over the iterations. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lowerBoundNeverDecreases(JsonNode c) {
        List<Double> h = fit(c, 15).model().summary().lowerBoundHistory();
        for (int i = 1; i < h.size(); i++) {
            assertTrue(h.get(i) >= h.get(i - 1) - 1e-9 * Math.abs(h.get(i - 1)),
                    "bound fell from " + h.get(i - 1) + " to " + h.get(i) + " at iteration " + (i + 1));
        }
    }

    /** A Dirichlet-process fit with K=10 on three clusters switches off all but about three components. */
    @Test
    void dirichletProcessLeavesAboutThreeEffectiveComponents() {
        JsonNode c = root().get("overSpecified");
        BayesianFit f = fit(c, c.get("maxIter").asInt());
        assertEquals(3, f.effectiveComponents());
        double[] sk = flat(c.get("weights"));
        int skEffective = 0;
        for (double w : sk) {
            skEffective += w >= BayesianFit.EFFECTIVE_WEIGHT ? 1 : 0;
        }
        assertEquals(skEffective, f.effectiveComponents());
        assertRel("weights", sk, f.model().weights());
        assertRel("lowerBound", new double[] {c.get("lowerBound").asDouble()}, new double[] {f.model().summary().lowerBound()});
    }
}
