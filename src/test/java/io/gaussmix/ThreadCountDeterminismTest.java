package io.gaussmix;

import io.gaussmix.data.Matrix;
import io.gaussmix.io.ModelJson;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The CPU fit's claim: the same data, weights and seed write the same model JSON, byte for byte, on
 * 1, 2, 3 and 7 threads, and again on a repeat. The host passes cut rows into fixed units (2048 rows
 * in the complete-data pass, 1024 positions in the missing-data pass), so N = 20,000 gives 10 and 20
 * units and every thread count above takes them in a different interleaving; before the units, the
 * rows were split by thread count and these files differed in the last digits.
 */
class ThreadCountDeterminismTest {
    static final int N = 20_000;
    static final int D = 5;
    static final int K = 4;
    /** The thread counts, the last one twice (a repeat must match too). */
    static final int[] RUNS = {1, 2, 3, 7, 7};

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(CovarianceType.values()).flatMap(t -> Stream.of(Arguments.of(t, false), Arguments.of(t, true)));
    }

    @ParameterizedTest(name = "{0}, sample weights {1}")
    @MethodSource("cases")
    void completeDataFitWritesTheSameBytesOnAnyThreadCount(CovarianceType type, boolean weighted) throws IOException {
        Matrix x = data(type);
        assertSameBytesOnAnyThreadCount(type, x, weighted ? weights(x.rows()) : null, MissingPolicy.REJECT);
    }

    @ParameterizedTest(name = "{0}, sample weights {1}")
    @MethodSource("cases")
    void missingDataFitWritesTheSameBytesOnAnyThreadCount(CovarianceType type, boolean weighted) throws IOException {
        Matrix x = withMissingValues(data(type));
        assertSameBytesOnAnyThreadCount(type, x, weighted ? weights(x.rows()) : null, MissingPolicy.EM);
    }

    private void assertSameBytesOnAnyThreadCount(CovarianceType type, Matrix x, double[] w, MissingPolicy missing)
            throws IOException {
        String reference = null;
        for (int threads : RUNS) {
            // tol 0: all 25 iterations run, each reducing the units' partials again.
            GaussianMixtureModel m = GaussianMixture.builder().k(K).covarianceType(type).seed(11).tol(0).maxIter(25)
                    .backend(BackendType.CPU).threads(threads).missing(missing).build().fit(x, w);
            assertEquals(25, m.summary().iterations());
            Path file = dir.resolve(type.id() + "-" + threads + ".json");
            ModelJson.write(file, m);
            String json = Files.readString(file, StandardCharsets.UTF_8);
            if (reference == null) {
                reference = json;
            } else {
                assertEquals(reference, json, "model JSON on " + threads + " threads vs 1 thread");
            }
        }
    }

    /** Overlapping components, so most rows have several non-zero responsibilities. */
    private static Matrix data(CovarianceType type) {
        MixtureParams p = SyntheticMixtures.randomParams(type, K, D, 5, 1.5, 2.0);
        return SyntheticMixtures.sample(p, N, 6);
    }

    private static double[] weights(int n) {
        Random rnd = new Random(7);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.25 + 2 * rnd.nextDouble();
        }
        return w;
    }

    /** About 15% of the values missing at random (a few rows entirely), in many patterns. */
    private static Matrix withMissingValues(Matrix x) {
        Random rnd = new Random(8);
        double[] v = x.data().clone();
        for (int i = 0; i < v.length; i++) {
            if (rnd.nextDouble() < 0.15) {
                v[i] = Double.NaN;
            }
        }
        return Matrix.wrap(v, x.rows(), x.cols());
    }
}
