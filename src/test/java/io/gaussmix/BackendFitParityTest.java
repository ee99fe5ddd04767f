package io.gaussmix;

import com.fasterxml.jackson.databind.JsonNode;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.testing.ReferenceCases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.gaussmix.testing.ReferenceCases.flat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole fits through the public API on one backend, from scikit-learn's starting models: compared
 * with the float64 CPU fit from the same start and with scikit-learn's score, deterministic, and
 * proven to have run on the backend under test. One subclass per backend and precision.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendFitParityTest {

    protected abstract BackendType backend();

    protected abstract Precision precision();

    /** Skips (or, where the run demands the backend, fails) when the backend cannot run here. */
    protected abstract void requireBackend();

    /**
     * Relative tolerance on the mean log-likelihood against the float64 CPU fit and scikit-learn, by
     * precision. float64: the same arithmetic as the CPU up to summation order (~1e-15 per pass), 1e-9.
     * float32: each pass's statistics carry a relative error of a few float32 ulps (~1e-7, measured worst
     * 2.6e-7 in the contract suites); 15 EM iterations from the same start propagate it without
     * amplification on these well-separated datasets, so 1e-5 (the bound).
     */
    protected double scoreTolerance() {
        return precision() == Precision.FLOAT32 ? 1e-5 : 1e-9;
    }

    /**
     * Tolerance on weights, means and covariances: |a - b| <= tol * max(1, max|reference|) per array;
     * 1e-4 of the scale in float32 (the bound), 1e-9 in float64, for the reasons of {@link #scoreTolerance}.
     */
    protected double parameterTolerance() {
        return precision() == Precision.FLOAT32 ? 1e-4 : 1e-9;
    }

    @BeforeAll
    void require() {
        requireBackend();
    }

    static Stream<Named<JsonNode>> cases() {
        return SklearnParityTest.cases();
    }

    protected GaussianMixture estimator(JsonNode c, BackendType type, Precision p) {
        CovarianceType t = CovarianceType.parse(c.get("covarianceType").asText());
        JsonNode init = c.get("init");
        GaussianMixtureModel start = GaussianMixtureModel.of(t, flat(init.get("weights")),
                ReferenceCases.rows(init.get("means")), flat(init.get("covariances")), FitSummary.notFitted());
        return GaussianMixture.builder().initialModel(start).tol(0).maxIter(c.get("maxIter").asInt())
                .regCovar(c.get("regCovar").asDouble()).backend(type).precision(p).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fitMatchesTheFloat64CpuFitAndScikitLearn(JsonNode c) {
        Matrix x = ReferenceCases.dataset(c.get("data").asText());
        GaussianMixtureModel cpu = estimator(c, BackendType.CPU, null).fit(x);
        GaussianMixtureModel dev = estimator(c, backend(), precision()).fit(x);
        assertTrue(dev.summary().backend().startsWith(backend().id()), "ran on " + dev.summary().backend());
        double cpuScore = cpu.score(x);
        double score = dev.score(x);
        double sk = c.get("sklearn").get("score").asDouble();
        assertEquals(cpuScore, score, scoreTolerance() * Math.abs(cpuScore), "score vs float64 CPU");
        assertEquals(sk, score, scoreTolerance() * Math.abs(sk), "score vs scikit-learn");
        assertClose("weights", cpu.weights(), dev.weights());
        assertClose("means", Matrix.of(cpu.means()).data(), Matrix.of(dev.means()).data());
        assertClose("covariances", cpu.covariances(), dev.covariances());
    }

    @Test
    void twoFitsAreBitIdentical() {
        for (JsonNode c : ReferenceCases.cases()) {
            Matrix x = ReferenceCases.dataset(c.get("data").asText());
            GaussianMixture gm = estimator(c, backend(), precision());
            GaussianMixtureModel a = gm.fit(x);
            GaussianMixtureModel b = gm.fit(x);
            String what = c.get("name").asText() + "/" + c.get("covarianceType").asText();
            assertArrayEquals(a.weights(), b.weights(), 0.0, what);
            assertArrayEquals(a.covariances(), b.covariances(), 0.0, what);
            assertEquals(a.summary().lowerBoundHistory(), b.summary().lowerBoundHistory(), what);
        }
    }

    void assertClose(String what, double[] expected, double[] actual) {
        double norm = 1;
        for (double v : expected) {
            norm = Math.max(norm, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], parameterTolerance() * norm, what + "[" + i + "]");
        }
    }

    /**
     * For a float32 backend: near-singular components (a feature constant within one cluster, variance =
     * regCovar) would make float32 miss the float64 fit by far more than the tolerance, so the fit must say
     * so and move to float64, and then agree with the float64 CPU fit to float64 accuracy.
     */
    protected void assertIllConditionedFitIsPromotedToFloat64() {
        Matrix x = io.gaussmix.testing.SyntheticMixtures.illConditionedForFloat32();
        java.util.List<String> notes = new java.util.ArrayList<>();
        GaussianMixture.Builder b = GaussianMixture.builder().k(2).maxIter(10).tol(0);
        GaussianMixtureModel cpu = b.backend(BackendType.CPU).build().fit(x);
        GaussianMixtureModel dev = b.backend(backend()).precision(Precision.FLOAT32)
                .listener(new FitListener() {
                    @Override
                    public void onNote(String message) {
                        notes.add(message);
                    }
                }).build().fit(x);
        assertTrue(notes.stream().anyMatch(s -> s.contains("continuing in float64")), "no promotion note in " + notes);
        assertTrue(dev.summary().backend().contains("promoted from float32"), dev.summary().backend());
        assertEquals(cpu.score(x), dev.score(x), 1e-9 * Math.abs(cpu.score(x)));
    }
}
