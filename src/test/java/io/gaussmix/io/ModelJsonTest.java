package io.gaussmix.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.Intervention;
import io.gaussmix.data.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model JSON: exact round trips, minimal starting models, and one-line errors naming the file. */
class ModelJsonTest {
    @TempDir
    Path dir;

    private static double[] covariances(CovarianceType t) {
        switch (t) {
            case FULL: return new double[] {2.0, 0.3, 0.3, 1.0 / 3, 0.7, -0.1, -0.1, 0.9};
            case TIED: return new double[] {1.1, 0.2, 0.2, 0.6};
            case DIAG: return new double[] {0.1, 0.2, Math.PI, Math.E};
            default: return new double[] {0.123456789012345, 7.5};
        }
    }

    private static GaussianMixtureModel model(CovarianceType t) {
        FitSummary s = new FitSummary(true, 3, -1.2345678901234567, List.of(-2.0, -1.5000000000000002, -1.2345678901234567),
                List.of(new Intervention(2, 1, Intervention.Kind.RESEEDED, "lost its weight")), "cpu (test)");
        return GaussianMixtureModel.of(t, new double[] {0.25, 0.75}, new double[][] {{0.1, -2.5}, {1e-300, 12345.678}},
                covariances(t), s);
    }

    private static void assertSame(GaussianMixtureModel a, GaussianMixtureModel b) {
        assertEquals(a.covarianceType(), b.covarianceType());
        assertArrayEquals(a.weights(), b.weights(), 0.0);
        for (int c = 0; c < a.components(); c++) {
            assertArrayEquals(a.means()[c], b.means()[c], 0.0);
        }
        assertArrayEquals(a.covariances(), b.covariances(), 0.0);
        assertEquals(a.summary(), b.summary());
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void roundTripIsExact(CovarianceType t) throws Exception {
        GaussianMixtureModel m = model(t);
        Path p = dir.resolve("m.json");
        ModelJson.write(p, m);
        assertSame(m, ModelJson.read(p));
        String text = Files.readString(p);
        assertTrue(text.contains("\"createdBy\""), text);
        assertTrue(text.contains("\"precisionsCholesky\""), text);
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void fittedModelRoundTrips(CovarianceType t) throws Exception {
        Random r = new Random(4);
        double[] x = new double[200 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian() + (i / 3 % 2) * 4;
        }
        Matrix data = Matrix.wrap(x, 200, 3);
        GaussianMixtureModel m = GaussianMixture.builder().k(2).covarianceType(t).build().fit(data);
        Path p = dir.resolve("fitted.json");
        ModelJson.write(p, m);
        GaussianMixtureModel back = ModelJson.read(p);
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(m.means()[c], back.means()[c], 0.0);
        }
        assertArrayEquals(m.covariances(), back.covariances(), 0.0);
        assertArrayEquals(m.weights(), back.weights(), 1e-15);
        assertEquals(m.summary(), back.summary());
        assertEquals(m.score(data), back.score(data), 1e-13);
    }

    /**
     * A matrix above {@link ModelJsonWriter#PARALLEL_NUMBERS} has its numbers formatted on the pool: every
     * number in the file (covariances and precision factors, read back with a plain JSON parser) is the
     * model's double exactly, in the same nested shape as a small model's.
     */
    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"FULL", "TIED"})
    void wideMatricesAreWrittenExactly(CovarianceType t) throws Exception {
        int d = 200;
        assertTrue(d * d >= ModelJsonWriter.PARALLEL_NUMBERS);
        Random r = new Random(11);
        double[] a = new double[d * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        double[] cov = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double sum = i == j ? 1.0 : 0.0;
                for (int q = 0; q < d; q++) {
                    sum += a[i * d + q] * a[j * d + q] / d;
                }
                cov[i * d + j] = sum;
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                cov[i * d + j] = cov[j * d + i];
            }
        }
        double[][] means = new double[1][d];
        GaussianMixtureModel m = GaussianMixtureModel.of(t, new double[] {1.0}, means, cov,
                new FitSummary(true, 1, -1.0, List.of(-1.0), List.of(), "cpu (test)"));
        Path p = dir.resolve("wide.json");
        ModelJson.write(p, m);
        JsonNode tree = new ObjectMapper().readTree(p.toFile());
        JsonNode covNode = tree.get("covariances");
        JsonNode precNode = tree.get("precisionsCholesky");
        if (t == CovarianceType.FULL) {
            covNode = covNode.get(0);
            precNode = precNode.get(0);
        }
        assertEquals(d, covNode.size());
        for (int i = 0; i < d; i++) {
            assertEquals(d, covNode.get(i).size());
            for (int j = 0; j < d; j++) {
                assertEquals(cov[i * d + j], covNode.get(i).get(j).doubleValue(), 0.0);
                assertEquals(m.params().precisionCholesky()[i * d + j], precNode.get(i).get(j).doubleValue(), 0.0);
            }
        }
        assertArrayEquals(cov, ModelJson.read(p).covariances(), 0.0);
    }

    /** The count of rows left out because every value was missing travels with the model. */
    @Test
    void rowsAllMissingRoundTrips() throws Exception {
        double[] x = new double[60 * 2];
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        x[0] = Double.NaN;
        x[1] = Double.NaN;
        x[5] = Double.NaN;
        GaussianMixtureModel m = GaussianMixture.builder().k(2).missing(io.gaussmix.MissingPolicy.EM).build()
                .fit(Matrix.wrap(x, 60, 2));
        assertEquals(1, m.summary().rowsAllMissing());
        Path p = dir.resolve("missing.json");
        ModelJson.write(p, m);
        assertEquals(m.summary(), ModelJson.read(p).summary());
    }

    @Test
    void nanLowerBoundRoundTrips() throws Exception {
        GaussianMixtureModel m = GaussianMixtureModel.of(CovarianceType.SPHERICAL, new double[] {1}, new double[][] {{0}},
                new double[] {1}, FitSummary.notFitted());
        Path p = dir.resolve("nan.json");
        ModelJson.write(p, m);
        assertTrue(Double.isNaN(ModelJson.read(p).summary().lowerBound()));
        assertEquals(m.summary(), ModelJson.read(p).summary());
    }

    @Test
    void readsAMinimalStartingModel() throws Exception {
        Path p = write("{\"format\": \"gaussmix-model\", \"version\": 1, \"covarianceType\": \"tied\","
                + " \"weights\": [0.5, 0.5], \"means\": [[0, 0], [3, 1]], \"covariances\": [[1, 0.5], [0.5, 2]]}");
        GaussianMixtureModel m = ModelJson.read(p);
        assertEquals(CovarianceType.TIED, m.covarianceType());
        assertEquals(2, m.components());
        assertEquals(0, m.summary().iterations());
        assertArrayEquals(new double[] {1, 0.5, 0.5, 2}, m.covariances(), 0.0);
    }

    private Path write(String json) throws IOException {
        Path p = dir.resolve("model.json");
        Files.writeString(p, json);
        return p;
    }

    private String error(String json) throws IOException {
        Path p = write(json);
        DataFileException e = assertThrows(DataFileException.class, () -> ModelJson.read(p));
        assertTrue(e.getMessage().contains("model.json"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private static final String HEAD = "{\"format\": \"gaussmix-model\", \"version\": 1, ";

    @Test
    void errorsNameTheFileAndTheProblem() throws Exception {
        assertTrue(error("not json at all").contains("not a valid JSON"));
        assertTrue(error("[1, 2]").contains("not a gaussmix model"));
        assertTrue(error("{\"format\": \"other\", \"version\": 1}").contains("\"format\""));
        String v = error("{\"format\": \"gaussmix-model\", \"version\": 2, \"covarianceType\": \"full\"}");
        assertTrue(v.contains("version 2") && v.contains("version 1"), v);
        assertTrue(error(HEAD + "\"covarianceType\": \"full\", \"weights\": [1]}").contains("missing field \"means\""));
        assertTrue(error(HEAD + "\"covarianceType\": \"cubic\", \"weights\": [1], \"means\": [[0]], \"covariances\": [1]}")
                .contains("cubic"));
        String shape = error(HEAD + "\"covarianceType\": \"full\", \"weights\": [0.5, 0.5], \"means\": [[0, 0], [1, 1]],"
                + " \"covariances\": [[[1, 0], [0, 1]]]}");
        assertTrue(shape.contains("[2][2][2]") && shape.contains("an array of 1"), shape);
        String rows = error(HEAD + "\"covarianceType\": \"diag\", \"weights\": [0.5, 0.5], \"means\": [[0, 0], [1]],"
                + " \"covariances\": [[1, 1], [1, 1]]}");
        assertTrue(rows.contains("means[1]") && rows.contains("expected 2 values, got 1"), rows);
        String pd = error(HEAD + "\"covarianceType\": \"full\", \"weights\": [0.5, 0.5], \"means\": [[0, 0], [1, 1]],"
                + " \"covariances\": [[[1, 0], [0, 1]], [[1, 2], [2, 1]]]}");
        assertTrue(pd.contains("component 1") && pd.contains("positive definite"), pd);
        String notNumber = error(HEAD + "\"covarianceType\": \"spherical\", \"weights\": [0.5, \"x\"],"
                + " \"means\": [[0], [1]], \"covariances\": [1, 1]}");
        assertTrue(notNumber.contains("weights[1]"), notNumber);
        DataFileException missing = assertThrows(DataFileException.class, () -> ModelJson.read(dir.resolve("none.json")));
        assertTrue(missing.getMessage().contains("none.json"), missing.getMessage());
    }

    /** A value whose serialisation fails part-way through the write. */
    public static final class Exploding {
        public String getValue() {
            throw new IllegalStateException("boom");
        }
    }

    @Test
    void failedWriteLeavesTheOldFile() throws Exception {
        Path p = dir.resolve("keep.json");
        ModelJson.write(p, model(CovarianceType.DIAG));
        String before = Files.readString(p);
        ObjectNode tree = ModelJson.toJson(model(CovarianceType.FULL));
        tree.set("zzz", new POJONode(new Exploding()));
        assertThrows(IOException.class, () -> ModelJson.writeTree(p, tree));
        assertEquals(before, Files.readString(p));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList(), "no temporary file left behind");
        }
    }


    /** Issue #11.11: one JSON object, unique keys, located syntax errors without Jackson's internals. */
    @Test
    void strictJson() throws Exception {
        String body = "\"covarianceType\": \"spherical\", \"weights\": [1], \"means\": [[0]], \"covariances\": [1]}";
        assertTrue(error(HEAD + body + "\n{}").contains("unexpected text after the model's closing '}' at line 2, column 1"));
        assertTrue(error(HEAD + body + " trailing").contains("unexpected text after the model's closing '}' at line 1"));
        assertTrue(error("[1] 2").contains("unexpected text after the first JSON value"));
        String dup = error(HEAD + "\"version\": 1, " + body);
        assertTrue(dup.contains("not a valid JSON model file: duplicate key \"version\" at line 1, column"), dup);
        String nested = error(HEAD + "\"covarianceType\": \"spherical\", \"weights\": [1], \"means\": [[0]],"
                + " \"covariances\": [1], \"interventions\": [{\"kind\": \"RESEEDED\", \"kind\": \"RESEEDED\"}]}");
        assertTrue(nested.contains("duplicate key \"kind\""), nested);
        String syntax = error("{\n\"format\": \"gaussmix-model\",\n\"version\" 1}");
        assertTrue(syntax.contains("not a valid JSON model file: ") && syntax.contains(" at line 3, column"), syntax);
        for (String s : new String[] {dup, syntax, error("{"), error("{\"a\": tru}")}) {
            assertFalse(s.contains("StreamReadFeature") || s.contains("Source:") || s.contains("`"), s);
        }
        assertTrue(error("").contains("not a gaussmix model"));
    }

    /** Issue #11.6: mirrored entries must agree to 1e-10 of the diagonal's scale; rounding below that is accepted. */
    @Test
    void covariancesMustBeSymmetric() throws Exception {
        String asym = error(HEAD + "\"covarianceType\": \"full\", \"weights\": [0.5, 0.5], \"means\": [[0, 0], [1, 1]],"
                + " \"covariances\": [[[1, 0], [0, 1]], [[1, 0.9], [-0.9, 1]]]}");
        assertTrue(asym.contains("the covariance of component 1 is not symmetric: [0][1] = 0.9 but [1][0] = -0.9"), asym);
        double scale = 4e6;
        double off = 1e6;
        double rounded = off * (1 + 1e-12);
        Path ok = write(HEAD + "\"covarianceType\": \"tied\", \"weights\": [1], \"means\": [[0, 0]],"
                + " \"covariances\": [[" + scale + ", " + off + "], [" + rounded + ", " + scale + "]]}");
        assertEquals(off, ModelJson.read(ok).covariances()[1], 0.0);
        String tied = error(HEAD + "\"covarianceType\": \"tied\", \"weights\": [1], \"means\": [[0, 0]],"
                + " \"covariances\": [[" + scale + ", " + off + "], [" + off * (1 + 1e-8) + ", " + scale + "]]}");
        assertTrue(tied.contains("the tied covariance is not symmetric"), tied);
    }

    /** Issue #11.7/#11.14: bad weights are errors; weights not summing to 1 are renormalised and noted. */
    @Test
    void weightsAreCheckedAndRenormalisationIsNoted() throws Exception {
        String tail = ", \"means\": [[0], [1]], \"covariances\": [1, 1]}";
        assertTrue(error(HEAD + "\"covarianceType\": \"spherical\", \"weights\": [0.5, -0.5]" + tail)
                .contains("\"weights[1]\" is -0.5: weights must be >= 0"));
        assertTrue(error(HEAD + "\"covarianceType\": \"spherical\", \"weights\": [0, 0.0]" + tail).contains("all 0"));
        assertTrue(error(HEAD + "\"covarianceType\": \"spherical\", \"weights\": [1e400, 1]" + tail)
                .contains("\"weights[0]\" is not a finite number (it overflows a double to Infinity)"));

        List<String> notes = new java.util.ArrayList<>();
        Path huge = write(HEAD + "\"covarianceType\": \"spherical\", \"weights\": [1e308, 1e308]" + tail);
        GaussianMixtureModel m = ModelJson.read(huge, notes::add);
        assertArrayEquals(new double[] {0.5, 0.5}, m.weights(), 0.0);
        assertEquals(List.of(huge + ": \"weights\" sum to more than 1.8e308, not 1: divided by their sum (now 0.5, 0.5)"),
                notes);

        notes.clear();
        Path thirds = write(HEAD + "\"covarianceType\": \"spherical\", \"weights\": [0.3333333333333333, 0.6666666666666666]"
                + tail);
        ModelJson.read(thirds, notes::add);
        assertEquals(List.of(), notes, "rounding is not worth a note");
        Path counts = write(HEAD + "\"covarianceType\": \"spherical\", \"weights\": [1, 3]" + tail);
        assertArrayEquals(new double[] {0.25, 0.75}, ModelJson.read(counts, notes::add).weights(), 0.0);
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).contains("sum to 4.0, not 1"), notes.get(0));
    }
}
