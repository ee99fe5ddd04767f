package io.gaussmix;

import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.io.DataFileException;
import io.gaussmix.io.NpyRowSource;
import io.gaussmix.io.NpyWriter;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.testing.SplitSources;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fit from a streamed source equals the fit of the same rows in one matrix, to the bit: the initialiser
 * sees the same rows (all of them up to initSample, the same seeded sample above) and every pass gives the
 * same statistics (StreamedPassTest). Exact equality, no tolerance.
 */
class StreamedFitTest {
    static final int N = 3 * 2048 + 300;

    @TempDir
    Path dir;

    private static Matrix data(CovarianceType type) {
        MixtureParams p = SyntheticMixtures.randomParams(type, 3, 5, 41, 1.0, 0.5);
        return SyntheticMixtures.sample(p, N, 42);
    }

    private static GaussianMixture estimator(CovarianceType type, int initSample) {
        return GaussianMixture.builder().k(3).covarianceType(type).maxIter(20).seed(7).backend(BackendType.CPU)
                .initSample(initSample).build();
    }

    private static void assertSameModel(GaussianMixtureModel a, GaussianMixtureModel b, String what) {
        assertArrayEquals(a.params().weights(), b.params().weights(), what);
        assertArrayEquals(a.params().means(), b.params().means(), what);
        assertArrayEquals(a.params().covariances(), b.params().covariances(), what);
        assertEquals(a.summary().lowerBound(), b.summary().lowerBound(), 0.0, what);
        assertEquals(a.summary().iterations(), b.summary().iterations(), what);
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void aStreamedFitEqualsTheInMemoryFitWithAndWithoutASample(CovarianceType type) throws IOException {
        Matrix x = data(type);
        double[] w = new double[N];
        for (int i = 0; i < N; i++) {
            w[i] = 0.5 + (i % 5) / 2.0;
        }
        Path file = dir.resolve("x.npy");
        NpyWriter.write(file, x);
        for (int initSample : new int[] {GaussianMixture.DEFAULT_INIT_SAMPLE, 1000}) {
            for (double[] weights : new double[][] {null, w}) {
                String what = "initSample " + initSample + (weights == null ? "" : ", weighted");
                GaussianMixture gm = estimator(type, initSample);
                GaussianMixtureModel inMemory = gm.fit(x, weights);
                try (NpyRowSource npy = NpyRowSource.open(file, NpyRowSource.Reading.MAPPED, 5 * 8 * 333 + 3)) {
                    assertSameModel(inMemory, gm.fit(npy, weights), what + ", .npy");
                }
                List<Matrix> parts = new ArrayList<>();
                parts.add(Matrix.wrap(java.util.Arrays.copyOfRange(x.data(), 0, 5 * 1999), 1999, 5));
                parts.add(Matrix.wrap(java.util.Arrays.copyOfRange(x.data(), 5 * 1999, 5 * N), N - 1999, 5));
                assertSameModel(inMemory, gm.fit(RowSource.of(parts), weights), what + ", two parts");
            }
        }
    }

    @Test
    void withAtMostInitSampleRowsTheFitIsTodaysFit() {
        // The initialiser saw all rows before initSample existed; at or below the bound it still does, so a
        // bound of exactly N and one far above give the same fit as each other and as a one-matrix source.
        Matrix x = data(CovarianceType.FULL);
        GaussianMixtureModel atN = estimator(CovarianceType.FULL, N).fit(x);
        assertSameModel(atN, estimator(CovarianceType.FULL, GaussianMixture.DEFAULT_INIT_SAMPLE).fit(x), "default");
        assertSameModel(atN, estimator(CovarianceType.FULL, Integer.MAX_VALUE).fit(RowSource.of(x)), "one matrix");
    }

    @Test
    void aNonFiniteValueInALateRowFailsBeforeAnyIterationNamingItsRowAndColumn() throws IOException {
        Matrix x = data(CovarianceType.DIAG);
        x.data()[(N - 3) * 5 + 2] = Double.NaN;
        Path file = dir.resolve("bad.npy");
        NpyWriter.write(file, x);
        int[] iterations = {0};
        GaussianMixture gm = countingIterations(iterations);
        try (NpyRowSource npy = NpyRowSource.open(file, NpyRowSource.Reading.MAPPED, 4096)) {
            DataFileException e = assertThrows(DataFileException.class, () -> gm.fit(npy));
            assertTrue(e.getMessage().contains("row " + (N - 3)) && e.getMessage().contains("column 2"), e.getMessage());
        }
        assertEquals(0, iterations[0], "no EM iteration ran");
        // An in-memory list of blocks is checked by the same pass, with the API's words.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gm.fit(RowSource.of(List.of(
                Matrix.wrap(java.util.Arrays.copyOf(x.data(), 5 * 10), 10, 5),
                Matrix.wrap(java.util.Arrays.copyOfRange(x.data(), 50, 5 * N), N - 10, 5)))));
        assertEquals("data contains a non-finite value: row " + (N - 3) + ", column 2 is NaN (0-based)", e.getMessage());
    }

    /**
     * Weights streamed from a file, in windows that cut values and meet neither the rows' windows nor the
     * units, give the in-memory weighted fit to the bit: the same mean-one scaling (largest first, then the
     * sum in row order) and the same per-window values. Scaled by 1e30 (within float32) so the scaling does something; every
     * 11th weight 0. A float32 file fits as its values widened to float64 in memory.
     */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void streamedWeightsGiveTheInMemoryWeightedFitBitForBit(CovarianceType type) throws IOException {
        Matrix x = data(type);
        double[] w = SplitSources.weights(N, 43);
        for (int i = 0; i < N; i++) {
            w[i] *= 1e30;
        }
        Path file = dir.resolve("x.npy");
        NpyWriter.write(file, x);
        Path flat64 = SplitSources.npyColumn(dir, "w64.npy", w, false, true);
        Path column32 = SplitSources.npyColumn(dir, "w32.npy", w, true, false);
        for (int initSample : new int[] {GaussianMixture.DEFAULT_INIT_SAMPLE, 1000}) {
            String what = type + ", initSample " + initSample;
            GaussianMixture gm = estimator(type, initSample);
            GaussianMixtureModel inMemory = gm.fit(x, w);
            try (NpyRowSource rows = NpyRowSource.open(file, NpyRowSource.Reading.MAPPED, 5 * 8 * 333 + 3);
                 NpyRowSource weights = NpyRowSource.open(flat64, NpyRowSource.Reading.POSITIONED, 8 * 777 + 5)) {
                assertSameModel(inMemory, gm.fit(rows, weights), what + ": streamed rows and weights");
            }
            try (NpyRowSource weights = NpyRowSource.open(flat64, NpyRowSource.Reading.MAPPED, 8 * 100 + 1)) {
                assertSameModel(inMemory, gm.fit(RowSource.of(x), weights), what + ": rows in memory, weights streamed");
            }
            RowSource weightParts = RowSource.of(SplitSources.parts(Matrix.wrap(w, N, 1), 7, 2048, 1));
            try (NpyRowSource rows = NpyRowSource.open(file)) {
                assertSameModel(inMemory, gm.fit(rows, weightParts), what + ": weights in parts");
            }
            GaussianMixtureModel narrow = gm.fit(x, SplitSources.toFloat32(w));
            try (NpyRowSource rows = NpyRowSource.open(file);
                 NpyRowSource weights = NpyRowSource.open(column32, NpyRowSource.Reading.MAPPED, 4 * 501 + 3)) {
                assertSameModel(narrow, gm.fit(rows, weights), what + ": float32 (N, 1) weights");
            }
        }
    }

    /** Bad streamed weights are refused before any EM iteration, naming what is wrong and where. */
    @Test
    void badStreamedWeightsFailBeforeAnyIteration() throws IOException {
        Matrix x = data(CovarianceType.DIAG);
        Path file = dir.resolve("x.npy");
        NpyWriter.write(file, x);
        int[] iterations = {0};
        GaussianMixture gm = countingIterations(iterations);
        double[] negative = SplitSources.weights(N, 44);
        negative[N - 5] = -0.5;
        double[] zeros = new double[N];
        String[] expected = {"sample weight of row " + (N - 5) + " (0-based) is -0.5; weights must be finite and >= 0",
                "sample weights sum to 0", (N - 1) + " sample weights for " + N + " rows",
                "sample weights must be one column, got 2"};
        Path[] files = {SplitSources.npyColumn(dir, "neg.npy", negative, false, true),
                SplitSources.npyColumn(dir, "zero.npy", zeros, true, true),
                SplitSources.npyColumn(dir, "short.npy", java.util.Arrays.copyOf(negative, N - 1), false, false),
                SplitSources.npy(dir, "two.npy", Matrix.wrap(new double[2 * N], N, 2))};
        for (int i = 0; i < files.length; i++) {
            try (NpyRowSource rows = NpyRowSource.open(file); NpyRowSource weights = NpyRowSource.open(files[i])) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gm.fit(rows, weights));
                assertEquals(expected[i], e.getMessage());
            }
        }
        assertEquals(0, iterations[0], "no EM iteration ran");
    }

    /** k = 3 on the CPU from a 100-row initialiser sample, counting its EM iterations into {@code iterations[0]}. */
    private static GaussianMixture countingIterations(int[] iterations) {
        return GaussianMixture.builder().k(3).backend(BackendType.CPU).initSample(100)
                .listener(new FitListener() {
                    @Override
                    public void onIteration(IterationEvent e) {
                        iterations[0]++;
                    }
                }).build();
    }
}
