package io.gaussmix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gaussmix.data.Matrix;
import io.gaussmix.testing.ReferenceCases;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.gaussmix.SklearnParityTest.assertRel;
import static io.gaussmix.SklearnParityTest.flat2;
import static io.gaussmix.testing.ReferenceCases.flat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A start from given labels against scikit-learn 1.2.1 started from the same one-hot responsibilities
 * ({@code reference/make_labels_reference.py}): the start itself (scikit-learn's {@code _initialize}) and
 * the fit after 15 EM iterations with tol 0, to 1e-9 relative, for all four covariance types.
 */
class InitLabelsTest {
    static Stream<Named<JsonNode>> cases() throws IOException {
        JsonNode root;
        try (InputStream in = InitLabelsTest.class.getResourceAsStream("/reference/labels_reference.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<Named<JsonNode>> out = new ArrayList<>();
        root.get("cases").forEach(c -> out.add(Named.of(c.get("data").asText() + "/" + c.get("covarianceType").asText(),
                ((com.fasterxml.jackson.databind.node.ObjectNode) c).put("maxIter", root.get("maxIter").asInt())
                        .put("regCovar", root.get("regCovar").asDouble()))));
        return out.stream();
    }

    static int[] labels(JsonNode c) {
        int[] l = new int[c.get("labels").size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = c.get("labels").get(i).asInt();
        }
        return l;
    }

    static GaussianMixtureModel fit(JsonNode c, int maxIter) {
        return GaussianMixture.builder().k(c.get("K").asInt())
                .covarianceType(CovarianceType.parse(c.get("covarianceType").asText()))
                .initLabels(labels(c)).tol(0).maxIter(maxIter).regCovar(c.get("regCovar").asDouble())
                .backend(BackendType.CPU).build().fit(ReferenceCases.dataset(c.get("data").asText()));
    }

    static void assertParams(String what, JsonNode expected, GaussianMixtureModel m) {
        assertRel(what + " weights", flat(expected.get("weights")), m.weights());
        assertRel(what + " means", flat(expected.get("means")), flat2(m.means()));
        assertRel(what + " covariances", flat(expected.get("covariances")), m.covariances());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void startIsScikitLearnsInitializeOfTheOneHotResponsibilities(JsonNode c) {
        GaussianMixtureModel m = fit(c, 0);
        assertParams("start", c.get("start"), m);
        assertTrue(m.summary().interventions().isEmpty(), m.summary().interventions().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fitFromLabelsMatchesScikitLearnFromTheSameResponsibilities(JsonNode c) {
        GaussianMixtureModel m = fit(c, c.get("maxIter").asInt());
        JsonNode sk = c.get("fit");
        assertEquals(sk.get("nIter").asInt(), m.summary().iterations(), "iterations");
        assertParams("fit", sk, m);
        assertRel("lower bound", new double[] {sk.get("lowerBound").asDouble()}, new double[] {m.summary().lowerBound()});
        Matrix x = ReferenceCases.dataset(c.get("data").asText());
        assertRel("score", new double[] {sk.get("score").asDouble()}, new double[] {m.score(x)});
    }

    /** Integer sample weights count a row as repeated rows, labels included. */
    @Test
    void weightsCountAsRepeatedLabelledRows() {
        Matrix x = Matrix.of(new double[][] {{0, 0}, {1, 0.5}, {0.2, 1}, {5, 5}, {6, 5.5}, {5.5, 7}});
        int[] labels = {0, 0, 0, 1, 1, 1};
        double[] w = {1, 2, 1, 3, 1, 1};
        List<double[]> rows = new ArrayList<>();
        List<Integer> repeatedLabels = new ArrayList<>();
        for (int r = 0; r < x.rows(); r++) {
            for (int t = 0; t < w[r]; t++) {
                rows.add(x.row(r));
                repeatedLabels.add(labels[r]);
            }
        }
        GaussianMixture.Builder b = GaussianMixture.builder().k(2).maxIter(0).backend(BackendType.CPU);
        GaussianMixtureModel weighted = b.initLabels(labels).build().fit(x, w);
        GaussianMixtureModel repeated = b.initLabels(repeatedLabels.stream().mapToInt(Integer::intValue).toArray())
                .build().fit(Matrix.of(rows.toArray(new double[0][])));
        assertArrayEquals(repeated.weights(), weighted.weights(), 1e-14);
        assertArrayEquals(flat2(repeated.means()), flat2(weighted.means()), 1e-14);
        assertArrayEquals(repeated.covariances(), weighted.covariances(), 1e-13);
    }

    @Test
    void badLabelsAreErrorsNamingTheRowOrLabel() {
        Matrix x = Matrix.of(new double[][] {{0}, {1}, {2}, {3}});
        GaussianMixture.Builder b = GaussianMixture.builder().k(2).backend(BackendType.CPU);
        assertEquals("initLabels: 3 labels for 4 data rows",
                assertThrows(IllegalArgumentException.class, () -> b.initLabels(new int[] {0, 1, 0}).build().fit(x))
                        .getMessage());
        assertEquals("initLabels: row 2 (0-based) has label 2, outside 0..1 (k = 2)",
                assertThrows(IllegalArgumentException.class, () -> b.initLabels(new int[] {0, 1, 2, 0}).build().fit(x))
                        .getMessage());
        assertEquals("initLabels: row 1 (0-based) has label -1, outside 0..1 (k = 2)",
                assertThrows(IllegalArgumentException.class, () -> b.initLabels(new int[] {0, -1, 1, 0}).build().fit(x))
                        .getMessage());
        String empty = assertThrows(IllegalArgumentException.class,
                () -> b.initLabels(new int[] {0, 0, 0, 0}).build().fit(x)).getMessage();
        assertTrue(empty.startsWith("initLabels: label 1 has no rows;"), empty);
        String zeroWeight = assertThrows(IllegalArgumentException.class,
                () -> b.initLabels(new int[] {0, 0, 1, 0}).build().fit(x, new double[] {1, 1, 0, 1})).getMessage();
        assertTrue(zeroWeight.startsWith("initLabels: label 1 has no rows of positive sample weight"), zeroWeight);
        GaussianMixtureModel start = b.initLabels(new int[] {0, 0, 1, 1}).maxIter(0).build().fit(x);
        InvalidSettingException both = assertThrows(InvalidSettingException.class,
                () -> GaussianMixture.builder().initLabels(new int[] {0, 0, 1, 1}).initialModel(start).build());
        assertEquals("initLabels", both.setting());
    }

    /** The labels are copied: changing the caller's array afterwards changes no fit. */
    @Test
    void labelsAreCopied() {
        Matrix x = Matrix.of(new double[][] {{0}, {1}, {5}, {6}});
        int[] labels = {0, 0, 1, 1};
        GaussianMixture est = GaussianMixture.builder().k(2).maxIter(0).initLabels(labels).backend(BackendType.CPU).build();
        labels[3] = 0;
        assertArrayEquals(new double[] {0.5, 0.5}, est.fit(x).weights(), 1e-15);
        assertArrayEquals(new double[] {0.5, 5.5}, flat2(est.fit(x).means()), 1e-15);
    }
}
