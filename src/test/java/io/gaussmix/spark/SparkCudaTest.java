package io.gaussmix.spark;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitListener;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.backend.cuda.RequiresCuda;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.testing.SyntheticMixtures;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark fits with {@code backend=cuda} on local[2] (in the build's cuda-emulator run, on the emulator; on a
 * GPU machine, on the GPU) against the library's float64 CPU fit of the same rows from the same start, to
 * the library's documented device tolerances: float64 1e-9 relative (README, "Backends and precision"),
 * float32 1e-5 relative on the score and 1e-4 of each array's scale on the parameters (CudaFitParityTest).
 * The tasks keep their partitions resident on the device across passes (the executor cache).
 */
@RequiresCuda
class SparkCudaTest {
    private static SparkSession spark;

    /** Started by the first test that runs: where CUDA is unavailable every test is skipped, and no session is paid for. */
    private static SparkSession spark() {
        if (spark == null) {
            spark = SparkTestData.session();
        }
        return spark;
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void float64OnTheDeviceEqualsTheCpuFit() {
        Case c = new Case(CovarianceType.FULL, 71);
        SparkGaussianMixtureModel m = c.estimator().setPrecision("float64").fit(c.frame());
        assertTrue(m.gaussmixModel().summary().backend().contains("cuda"), m.gaussmixModel().summary().backend());
        SparkGaussianMixtureTest.assertSameFit(c.cpu(), m.gaussmixModel());
    }

    @Test
    void float32OnTheDeviceIsWithinTheFloat32Tolerance() {
        Case c = new Case(CovarianceType.DIAG, 72);
        GaussianMixtureModel cpu = c.cpu();
        SparkGaussianMixtureModel m = c.estimator().setPrecision("float32").fit(c.frame());
        assertTrue(m.gaussmixModel().summary().backend().contains("cuda"), m.gaussmixModel().summary().backend());
        assertTrue(m.gaussmixModel().summary().backend().contains("float32"), m.gaussmixModel().summary().backend());
        GaussianMixtureModel dev = m.gaussmixModel();
        assertEquals(cpu.score(c.x), dev.score(c.x), 1e-5 * Math.abs(cpu.score(c.x)), "score");
        assertScaled("weights", cpu.weights(), dev.weights());
        assertScaled("means", SparkGaussianMixtureTest.flatten(cpu.means()), SparkGaussianMixtureTest.flatten(dev.means()));
        assertScaled("covariances", cpu.covariances(), dev.covariances());
    }

    /**
     * A feature constant within one cluster (its variance is regCovar) is beyond float32: the library's guard
     * moves the Spark fit to float64 on the same devices before the first pass, says so, and the fit is then
     * the float64 CPU fit (1e-9).
     */
    @Test
    void anIllConditionedFloat32FitIsPromotedToFloat64() {
        Matrix x = SyntheticMixtures.illConditionedForFloat32();
        GaussianMixtureModel cpu = GaussianMixture.builder().k(2).maxIter(6).tol(0).backend(BackendType.CPU)
                .build().fit(x);
        List<String> notes = new ArrayList<>();
        SparkGaussianMixtureModel m = new SparkGaussianMixture().setK(2).setMaxIter(6).setTol(0).setBackend("cuda")
                .setPrecision("float32").setListener(new FitListener() {
                    @Override
                    public void onNote(String message) {
                        notes.add(message);
                    }
                }).fit(SparkTestData.frame(spark(), SparkTestData.rows(x, null), 3, false));
        assertTrue(notes.stream().anyMatch(s -> s.contains("continuing in float64")), "no promotion note in " + notes);
        assertTrue(m.gaussmixModel().summary().backend().contains("promoted from float32"), m.gaussmixModel().summary().backend());
        SparkGaussianMixtureTest.assertSameFit(cpu, m.gaussmixModel());
    }

    /** |a - b| <= 1e-4 * max(1, max |a|) per array, as BackendFitParityTest's parameter tolerance. */
    private static void assertScaled(String what, double[] expected, double[] actual) {
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * scale, what + "[" + i + "]");
        }
    }

    /** 300 rows, D = 3, K = 3 from a seeded start, on 3 partitions: small, as the emulator runs each CUDA thread. */
    private static final class Case {
        final Matrix x;
        final GaussianMixtureModel start;

        Case(CovarianceType type, long seed) {
            MixtureParams truth = SyntheticMixtures.randomParams(type, 3, 3, seed, 3.0, 0.0);
            x = SyntheticMixtures.sample(truth, 300, seed + 100);
            start = SparkGaussianMixtureTest.model(SyntheticMixtures.randomParams(type, 3, 3, seed + 200, 3.0, 0.0));
        }

        GaussianMixtureModel cpu() {
            return GaussianMixture.builder().initialModel(start).tol(0).maxIter(5).backend(BackendType.CPU).build().fit(x);
        }

        SparkGaussianMixture estimator() {
            return new SparkGaussianMixture().setInitialModel(start).setTol(0).setMaxIter(5).setBackend("cuda");
        }

        Dataset<Row> frame() {
            return SparkTestData.frame(spark(), SparkTestData.rows(x, null), 3, false);
        }
    }
}
