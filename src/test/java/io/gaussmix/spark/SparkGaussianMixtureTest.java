package io.gaussmix.spark;

import com.fasterxml.jackson.databind.JsonNode;
import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitListener;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.testing.ReferenceCases;
import io.gaussmix.testing.SyntheticMixtures;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.gaussmix.testing.ReferenceCases.flat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark fit against the library's fit of the same rows (the float64 CPU path) and against
 * scikit-learn's reference fits: same start, same EM, only the order of the sums differs, so 1e-9 relative.
 */
class SparkGaussianMixtureTest {
    static final double REL = 1e-9;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTestData.session();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Stream<Arguments> layouts() {
        List<Arguments> out = new ArrayList<>();
        for (CovarianceType t : CovarianceType.values()) {
            out.add(Arguments.of(t, false, 7));
            out.add(Arguments.of(t, true, 7));
        }
        out.add(Arguments.of(CovarianceType.FULL, true, 1));
        out.add(Arguments.of(CovarianceType.DIAG, false, 1));
        out.add(Arguments.of(CovarianceType.TIED, true, 3));
        out.add(Arguments.of(CovarianceType.SPHERICAL, false, 3));
        return out.stream();
    }

    /** 7 partitions hold the rows in 6 slices around an empty one. */
    @ParameterizedTest(name = "{0}, weighted {1}, {2} partitions")
    @MethodSource("layouts")
    void equalsTheLibraryFitFromTheSameStart(CovarianceType type, boolean weighted, int partitions) {
        MixtureParams truth = SyntheticMixtures.randomParams(type, 3, 3, 11, 3.0, 0.0);
        Matrix x = SyntheticMixtures.sample(truth, 400, 12);
        double[] w = weighted ? weights(x.rows(), 13) : null;
        GaussianMixtureModel start = model(SyntheticMixtures.randomParams(type, 3, 3, 14, 3.0, 0.0));
        GaussianMixtureModel library = GaussianMixture.builder().initialModel(start).tol(0).maxIter(8)
                .backend(BackendType.CPU).build().fit(x, w);

        SparkGaussianMixture estimator = new SparkGaussianMixture().setInitialModel(start).setTol(0).setMaxIter(8)
                .setBackend("cpu");
        if (weighted) {
            estimator.setWeightCol("weight");
        }
        Dataset<Row> df = SparkTestData.frame(spark, SparkTestData.rows(x, w), partitions, partitions == 7);
        assertEquals(partitions, df.rdd().getNumPartitions());
        GaussianMixtureModel fitted = estimator.fit(df).gaussmixModel();

        assertSameFit(library, fitted);
    }

    /** Without a start the initialiser sees every row (below the sample bound), so the fit equals the library's. */
    @Test
    void initialisesOnAllRowsBelowTheSampleBound() {
        MixtureParams truth = SyntheticMixtures.randomParams(CovarianceType.FULL, 3, 2, 21, 4.0, 0.0);
        Matrix x = SyntheticMixtures.sample(truth, 300, 22);
        GaussianMixtureModel library = GaussianMixture.builder().k(3).nInit(2).seed(5).backend(BackendType.CPU)
                .build().fit(x);
        SparkGaussianMixtureModel m = new SparkGaussianMixture().setK(3).setNInit(2).setSeed(5).setBackend("cpu")
                .fit(SparkTestData.frame(spark, SparkTestData.rows(x, null), 3, false));
        assertSameFit(library, m.gaussmixModel());
        assertEquals(library.summary().converged(), m.summary().converged());
    }

    /**
     * Above initSampleRows the initialiser sees a seeded sample: the fit repeats to the bit, and on
     * well-separated blobs it reaches the optimum of the library's fit on all rows.
     */
    @Test
    void initialisesOnASeededSampleAboveTheBound() {
        MixtureParams truth = SyntheticMixtures.randomParams(CovarianceType.FULL, 3, 2, 25, 8.0, 0.0);
        Matrix x = SyntheticMixtures.sample(truth, 600, 26);
        GaussianMixtureModel library = GaussianMixture.builder().k(3).seed(7).backend(BackendType.CPU).build().fit(x);
        SparkGaussianMixture e = new SparkGaussianMixture().setK(3).setSeed(7).setInitSampleRows(150).setBackend("cpu");
        Dataset<Row> df = SparkTestData.frame(spark, SparkTestData.rows(x, null), 3, false);
        GaussianMixtureModel once = e.fit(df).gaussmixModel();
        GaussianMixtureModel twice = e.fit(df).gaussmixModel();
        assertArrayEquals(once.covariances(), twice.covariances());
        assertArrayEquals(once.weights(), twice.weights());
        assertEquals(library.score(x), once.score(x), 1e-6 * Math.abs(library.score(x)), "the same optimum");
    }

    /** scikit-learn 1.2.1's fits from its own starts, on 3 partitions, as SklearnParityTest checks the library. */
    @Test
    void matchesScikitLearnReferenceFits() {
        for (JsonNode c : ReferenceCases.cases()) {
            String name = c.get("name").asText() + "/" + c.get("covarianceType").asText();
            CovarianceType type = CovarianceType.parse(c.get("covarianceType").asText());
            JsonNode init = c.get("init");
            GaussianMixtureModel start = GaussianMixtureModel.of(type, flat(init.get("weights")),
                    ReferenceCases.rows(init.get("means")), flat(init.get("covariances")), FitSummary.notFitted());
            Matrix x = ReferenceCases.dataset(c.get("data").asText());
            GaussianMixtureModel m = new SparkGaussianMixture().setInitialModel(start).setTol(c.get("tol").asDouble())
                    .setMaxIter(c.get("maxIter").asInt()).setRegCovar(c.get("regCovar").asDouble()).setBackend("cpu")
                    .fit(SparkTestData.frame(spark, SparkTestData.rows(x, null), 3, false)).gaussmixModel();
            JsonNode sk = c.get("sklearn");
            assertEquals(sk.get("nIter").asInt(), m.summary().iterations(), name + ": iterations");
            assertRel(name + ": weights", flat(sk.get("weights")), m.weights());
            assertRel(name + ": means", flat(sk.get("means")), flatten(m.means()));
            assertRel(name + ": covariances", flat(sk.get("covariances")), m.covariances());
            assertRel(name + ": score", new double[]{sk.get("score").asDouble()}, new double[]{m.score(x)});
        }
    }

    /**
     * Above 32 partitions the statistics are summed in a two-level tree; with a fanout of 2 the 7 partitions
     * take that path: the same fit (to the rounding of the sums), and the same bits on a repeat.
     */
    @Test
    void treeCombineIsDeterministicAndExact() {
        MixtureParams truth = SyntheticMixtures.randomParams(CovarianceType.FULL, 2, 2, 31, 3.0, 0.0);
        Matrix x = SyntheticMixtures.sample(truth, 200, 32);
        GaussianMixtureModel start = model(truth);
        SparkGaussianMixture e = new SparkGaussianMixture().setInitialModel(start).setTol(0).setMaxIter(5)
                .setBackend("cpu");
        Dataset<Row> df = SparkTestData.frame(spark, SparkTestData.rows(x, null), 7, true);
        ExecutorBackend cpu = new ExecutorBackend(BackendType.CPU, 0, null);
        GaussianMixtureModel tree = DistributedFit.run(df, "features", null, e.settings(), cpu, 1000, 2, true).model();
        GaussianMixtureModel again = DistributedFit.run(df, "features", null, e.settings(), cpu, 1000, 2, true).model();
        GaussianMixtureModel library = GaussianMixture.builder().initialModel(start).tol(0).maxIter(5)
                .backend(BackendType.CPU).build().fit(x);
        assertArrayEquals(tree.covariances(), again.covariances());
        assertArrayEquals(tree.weights(), again.weights());
        assertSameFit(library, tree);
    }

    /**
     * The executor cache (local[2]: the executor is this JVM) holds one entry per non-empty partition during
     * the fit, none after it, also after a failed fit, and changes no bit of the model.
     */
    @Test
    void executorCacheHoldsThePartitionsDuringTheFitOnly() {
        MixtureParams truth = SyntheticMixtures.randomParams(CovarianceType.FULL, 3, 3, 51, 3.0, 0.0);
        Matrix x = SyntheticMixtures.sample(truth, 300, 52);
        GaussianMixtureModel start = model(SyntheticMixtures.randomParams(CovarianceType.FULL, 3, 3, 53, 3.0, 0.0));
        Dataset<Row> df = SparkTestData.frame(spark, SparkTestData.rows(x, null), 7, true);
        List<Integer> held = new ArrayList<>();
        FitListener watch = new FitListener() {
            @Override
            public void onIteration(IterationEvent e) {
                held.add(ExecutorCache.JVM.size());
            }
        };
        SparkGaussianMixture e = new SparkGaussianMixture().setInitialModel(start).setTol(0).setMaxIter(4)
                .setBackend("cpu");
        GaussianMixtureModel cached = e.setListener(watch).fit(df).gaussmixModel();
        assertEquals(List.of(6, 6, 6, 6), held, "one entry per non-empty partition while the fit runs");
        assertEquals(0, ExecutorCache.JVM.size(), "released when the fit ends");

        GaussianMixtureModel uncached = e.setExecutorCache(false).setListener(FitListener.NONE).fit(df).gaussmixModel();
        assertArrayEquals(uncached.weights(), cached.weights());
        assertArrayEquals(uncached.covariances(), cached.covariances());
        assertEquals(uncached.summary().lowerBoundHistory(), cached.summary().lowerBoundHistory());

        FitListener failing = new FitListener() {
            @Override
            public void onIteration(IterationEvent ev) {
                throw new IllegalStateException("the driver fails in iteration " + ev.iteration());
            }
        };
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> e.setExecutorCache(true).setListener(failing).fit(df));
        assertTrue(thrown.getMessage().startsWith("the driver fails"), thrown.getMessage());
        assertEquals(0, ExecutorCache.JVM.size(), "released when the fit fails");
    }

    /** transform adds the library model's own predictions and responsibilities; summary counts them. */
    @Test
    void transformAddsTheLibraryPredictions() {
        MixtureParams truth = SyntheticMixtures.randomParams(CovarianceType.DIAG, 3, 2, 41, 4.0, 0.0);
        Matrix x = SyntheticMixtures.sample(truth, 250, 42);
        SparkGaussianMixtureModel m = new SparkGaussianMixture().setK(3).setCovarianceType("diag").setBackend("cpu")
                .fit(SparkTestData.frame(spark, SparkTestData.rows(x, null), 3, false));
        List<Row> out = m.transform(SparkTestData.frame(spark, SparkTestData.rows(x, null), 2, false))
                .select("prediction", "probability").collectAsList();
        int[] expected = m.gaussmixModel().predict(x);
        Matrix proba = m.gaussmixModel().predictProba(x);
        long[] counts = new long[3];
        for (int i = 0; i < out.size(); i++) {
            assertEquals(expected[i], out.get(i).getInt(0), "prediction of row " + i);
            Vector p = (Vector) out.get(i).get(1);
            for (int c = 0; c < 3; c++) {
                assertEquals(proba.get(i, c), p.apply(c), 1e-15, "probability of row " + i);
            }
            counts[expected[i]]++;
        }
        assertEquals(x.rows(), out.size());
        assertArrayEquals(counts, m.summary().clusterSizes());
    }

    /**
     * logLikelihoodCol, unset by default (no column), set on the estimator and so on its model: each row's
     * log-likelihood is the library model's scoreSamples of that row (the same float64 host scorer, rows
     * scored independently of the blocks they are cut into, so to rounding: 1e-13 relative).
     */
    @Test
    void transformAddsTheLogLikelihoodColumnWhenSet() {
        MixtureParams truth = SyntheticMixtures.randomParams(CovarianceType.FULL, 3, 3, 45, 3.0, 0.0);
        Matrix x = SyntheticMixtures.sample(truth, 300, 46);
        Dataset<Row> df = SparkTestData.frame(spark, SparkTestData.rows(x, null), 3, false);
        SparkGaussianMixture e = new SparkGaussianMixture().setK(3).setMaxIter(5).setBackend("cpu");
        SparkGaussianMixtureModel plain = e.fit(df);
        assertEquals(null, plain.getLogLikelihoodCol());
        assertEquals(List.of("features", "weight", "prediction", "probability"),
                List.of(plain.transform(df).columns()), "no log-likelihood column unless asked");

        SparkGaussianMixtureModel m = e.setLogLikelihoodCol("ll").fit(df);
        List<Row> out = m.transform(df).select("ll").collectAsList();
        double[] expected = m.gaussmixModel().scoreSamples(x);
        assertEquals(x.rows(), out.size());
        for (int i = 0; i < out.size(); i++) {
            assertEquals(expected[i], out.get(i).getDouble(0), 1e-13 * Math.abs(expected[i]), "log-likelihood of row " + i);
        }
    }

    static void assertSameFit(GaussianMixtureModel expected, GaussianMixtureModel actual) {
        assertEquals(expected.summary().iterations(), actual.summary().iterations(), "iterations");
        assertRel("weights", expected.weights(), actual.weights());
        assertRel("means", flatten(expected.means()), flatten(actual.means()));
        assertRel("covariances", expected.covariances(), actual.covariances());
        assertRel("lower bound history",
                expected.summary().lowerBoundHistory().stream().mapToDouble(Double::doubleValue).toArray(),
                actual.summary().lowerBoundHistory().stream().mapToDouble(Double::doubleValue).toArray());
        // The same repairs (some starts here lose a component in iteration 1: a re-seed at the worst row over
        // all partitions); their reasons quote a float that differs in the last digit, so compare what was done.
        assertEquals(repairs(expected), repairs(actual), "interventions");
    }

    static void assertRel(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            // As SklearnParityTest: 1e-9 relative, with a 1e-14 floor for values that are 0 up to rounding.
            double tol = Math.max(REL * Math.abs(expected[i]), 1e-14);
            assertEquals(expected[i], actual[i], tol, what + "[" + i + "]");
        }
        assertTrue(expected.length > 0, what + ": nothing compared");
    }

    static List<String> repairs(GaussianMixtureModel m) {
        return m.summary().interventions().stream()
                .map(i -> i.iteration() + "/" + i.component() + "/" + i.kind()).toList();
    }

    static GaussianMixtureModel model(MixtureParams p) {
        return GaussianMixtureModel.of(CovarianceType.of(p.type()), p.weights(),
                Matrix.wrap(p.means(), p.components(), p.dimensions()).toRows(), p.covariances(), FitSummary.notFitted());
    }

    static double[] flatten(double[][] a) {
        return Stream.of(a).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    static double[] weights(int n, long seed) {
        Random rnd = new Random(seed);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = i % 17 == 0 ? 0 : 0.2 + 2 * rnd.nextDouble();
        }
        return w;
    }
}
