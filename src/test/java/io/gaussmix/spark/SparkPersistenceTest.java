package io.gaussmix.spark;

import io.gaussmix.CovarianceType;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.ModelJson;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.testing.SyntheticMixtures;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Save and load inside a Pipeline: the same params, the same library model, the same transform. */
class SparkPersistenceTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkTestData.session();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void pipelineModelRoundTrip() throws Exception {
        MixtureParams truth = SyntheticMixtures.randomParams(CovarianceType.TIED, 2, 3, 51, 4.0, 0.0);
        Matrix x = SyntheticMixtures.sample(truth, 200, 52);
        Dataset<Row> df = SparkTestData.frame(spark, SparkTestData.rows(x, null), 2, false);
        SparkGaussianMixture gmm = new SparkGaussianMixture().setK(2).setCovarianceType("tied").setBackend("cpu")
                .setProbabilityCol("p");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[]{gmm});
        PipelineModel fitted = pipeline.fit(df);
        String path = dir.resolve("pipeline-model").toString();
        fitted.write().save(path);
        PipelineModel loaded = PipelineModel.load(path);

        SparkGaussianMixtureModel before = (SparkGaussianMixtureModel) fitted.stages()[0];
        SparkGaussianMixtureModel after = (SparkGaussianMixtureModel) loaded.stages()[0];
        assertEquals(before.uid(), after.uid());
        assertEquals("p", after.getProbabilityCol());
        GaussianMixtureModel a = before.gaussmixModel();
        GaussianMixtureModel b = after.gaussmixModel();
        assertArrayEquals(a.weights(), b.weights());
        assertArrayEquals(a.covariances(), b.covariances());
        assertEquals(a.summary().lowerBoundHistory(), b.summary().lowerBoundHistory());
        assertArrayEquals(before.summary().clusterSizes(), after.summary().clusterSizes());
        List<Row> one = fitted.transform(df).select("prediction", "p").collectAsList();
        List<Row> two = loaded.transform(df).select("prediction", "p").collectAsList();
        assertEquals(one, two);

        // The stage's model file is the library's model JSON.
        GaussianMixtureModel fromJson = ModelJson.read(Path.of(path, "stages").toFile().listFiles()[0].toPath()
                .resolve(Persistence.MODEL_FILE));
        assertArrayEquals(a.covariances(), fromJson.covariances());
    }

    @Test
    void pipelineRoundTripKeepsTheParams() throws Exception {
        SparkGaussianMixture gmm = new SparkGaussianMixture().setK(4).setCovarianceType("diag").setMaxIter(7)
                .setTol(1e-5).setSeed(99).setWeightCol("weight");
        String path = dir.resolve("pipeline").toString();
        new Pipeline().setStages(new PipelineStage[]{gmm}).write().save(path);
        SparkGaussianMixture loaded = (SparkGaussianMixture) Pipeline.load(path).getStages()[0];
        assertEquals(gmm.uid(), loaded.uid());
        assertEquals(4, loaded.getK());
        assertEquals("diag", loaded.getCovarianceType());
        assertEquals(7, loaded.getMaxIter());
        assertEquals(1e-5, loaded.getTol());
        assertEquals(99, loaded.getSeed());
        assertEquals("weight", loaded.getWeightCol());
    }
}
