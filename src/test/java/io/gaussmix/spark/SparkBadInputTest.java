package io.gaussmix.spark;

import io.gaussmix.CovarianceType;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.testing.SyntheticMixtures;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input fails before any EM iteration with one line naming what and where (rows 0-based in partition
 * order), and leaves neither a cached block nor a running job behind.
 */
class SparkBadInputTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTestData.session();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @AfterEach
    void nothingLeftBehind() throws InterruptedException {
        assertTrue(spark.sparkContext().getPersistentRDDs().isEmpty(), "cached blocks left behind");
        // The status tracker hears of a failed job's end asynchronously (Spark's listener bus): allow it 10 s.
        long until = System.nanoTime() + 10_000_000_000L;
        while (spark.sparkContext().statusTracker().getActiveJobIds().length > 0 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertEquals(0, spark.sparkContext().statusTracker().getActiveJobIds().length, "a job is still running");
    }

    private static List<Row> good(int n) {
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, 2, 2, 3, 3.0, 0.0);
        Matrix x = SyntheticMixtures.sample(p, n, 4);
        return new ArrayList<>(SparkTestData.rows(x, null));
    }

    private static String fitError(List<Row> rows, SparkGaussianMixture e) {
        Dataset<Row> df = SparkTestData.frame(spark, rows, 3, false);
        return assertThrows(IllegalArgumentException.class, () -> e.fit(df)).getMessage();
    }

    private static SparkGaussianMixture k2() {
        return new SparkGaussianMixture().setK(2).setBackend("cpu")
                .setListener(new io.gaussmix.FitListener() {
                    @Override
                    public void onIteration(IterationEvent event) {
                        throw new AssertionError("an EM iteration ran on bad input");
                    }
                });
    }

    @Test
    void nullFeaturesAreCountedAndTheFirstRowNamed() {
        List<Row> rows = good(30);
        rows.set(7, RowFactory.create(null, 1.0));
        rows.set(20, RowFactory.create(null, 1.0));
        String m = fitError(rows, k2());
        assertTrue(m.contains("2 rows with a null 'features' (first at row 7)"), m);
    }

    @Test
    void nonFiniteFeaturesAreCountedAndTheFirstRowNamed() {
        List<Row> rows = good(30);
        rows.set(12, RowFactory.create(Vectors.dense(1.0, Double.NaN), 1.0));
        rows.set(25, RowFactory.create(Vectors.dense(Double.POSITIVE_INFINITY, 1.0), 1.0));
        String m = fitError(rows, k2());
        assertTrue(m.contains("2 rows with a NaN or infinite feature (first at row 12, column 1 is NaN)"), m);
    }

    @Test
    void vectorsOfUnequalSizeAreNamed() {
        List<Row> rows = good(30);
        rows.set(22, RowFactory.create(Vectors.dense(1.0, 2.0, 3.0), 1.0));
        String m = fitError(rows, k2());
        assertTrue(m.contains("feature vectors of unequal size: row 0 has 2 values, row 22 has 3"), m);
    }

    @Test
    void sparseVectorsAreAccepted() {
        List<Row> rows = good(30);
        rows.set(3, RowFactory.create(Vectors.sparse(2, new int[]{1}, new double[]{0.5}), 1.0));
        SparkGaussianMixtureModel m = k2().setListener(null).fit(SparkTestData.frame(spark, rows, 3, false));
        assertEquals(2, m.gaussmixModel().dimensions());
    }

    @Test
    void negativeWeightsAreNamed() {
        List<Row> rows = good(30);
        rows.set(9, RowFactory.create(rows.get(9).get(0), -0.5));
        String m = fitError(rows, k2().setWeightCol("weight"));
        assertTrue(m.contains("1 rows whose 'weight' is null, negative, NaN or infinite (first at row 9, weight -0.5)"), m);
    }

    @Test
    void moreComponentsThanRows() {
        String m = fitError(good(3), k2().setK(5));
        assertTrue(m.contains("data has 3 rows fewer than k = 5 components"), m);
    }

    @Test
    void anEmptyDataset() {
        String m = fitError(List.of(), k2());
        assertEquals("the dataset has no rows to fit", m);
    }

    @Test
    void aMissingOrNonVectorColumn() {
        String m = fitError(good(10), k2().setFeaturesCol("x"));
        assertTrue(m.contains("features column 'x' does not exist; the columns are features, weight"), m);
        m = fitError(good(10), k2().setFeaturesCol("weight"));
        assertTrue(m.contains("features column 'weight' is of type double; it must be a vector"), m);
    }

    @Test
    void transformOnAnotherFeatureSizeFailsNamingTheRow() {
        SparkGaussianMixtureModel model = k2().setListener(null).fit(SparkTestData.frame(spark, good(40), 2, false));
        List<Row> wide = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            wide.add(RowFactory.create(Vectors.dense(1, 2, i), 1.0));
        }
        Dataset<Row> df = SparkTestData.frame(spark, wide, 1, false);
        Exception e = assertThrows(Exception.class, () -> model.transform(df).collectAsList());
        assertTrue(chain(e).contains("row 0 of its partition has 3 features but the model has 2 dimensions"), chain(e));
    }

    /** float32 and float64 are the precisions (float32 runs under the library's guard: SparkCudaTest). */
    @Test
    void anUnknownPrecisionIsRejectedAtTheSetter() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> k2().setPrecision("float16"));
        assertTrue(e.getMessage().contains("precision"), e.getMessage());
    }

    private static String chain(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" | ");
        }
        return b.toString();
    }
}
