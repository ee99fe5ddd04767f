package io.gaussmix;

import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.io.CsvToNpy;
import io.gaussmix.io.CsvWriter;
import io.gaussmix.io.DataFileException;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.NpyRowSource;
import io.gaussmix.io.NpyWriter;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streamed forms of {@link GaussianMixtureModel} over a {@link RowSource} give the in-memory forms'
 * numbers bit for bit (assertArrayEquals on doubles compares bits), whatever the source's parts, windows
 * or block size, and name bad rows by their index in the whole source.
 */
class StreamedScoringTest {
    private static final int N = 1000;
    private static final int D = 4;
    private static final int K = 3;
    /** Parts that cut the rows at awkward places, a one-row part included. */
    private static final int[] PARTS = {1, 333, 2, 500, 164};

    @TempDir
    Path dir;

    private static GaussianMixtureModel model(CovarianceType type, int k, int d, long seed) {
        return new GaussianMixtureModel(SyntheticMixtures.randomParams(type, k, d, seed, 3.0, 1.0), FitSummary.notFitted());
    }

    private static List<Matrix> parts(Matrix x) {
        List<Matrix> parts = new ArrayList<>();
        int from = 0;
        for (int p : PARTS) {
            parts.add(x.rowRange(from, from + p));
            from += p;
        }
        return parts;
    }

    /** x as a float32 .npy file (through convert) and the values that file holds, widened. */
    private Matrix float32File(Matrix x, Path npy) throws IOException {
        Path csv = dir.resolve(npy.getFileName() + ".csv");
        CsvWriter.write(csv, x);
        CsvToNpy.convert(csv, npy, true);
        double[] narrowed = x.data().clone();
        for (int i = 0; i < narrowed.length; i++) {
            narrowed[i] = (float) narrowed[i];
        }
        return Matrix.wrap(narrowed, x.rows(), x.cols());
    }

    /** Everything a streamed pass hands over, put back together. */
    private record Collected(double[] logLik, int[] labels, double[] resp) {
    }

    private static Collected collect(GaussianMixtureModel m, RowSource x, int blockRows) {
        int n = (int) x.rows();
        int k = m.components();
        Collected c = new Collected(new double[n], new int[n], new double[n * k]);
        long[] next = {0};
        m.scoreBlocks(x, blockRows, true, b -> {
            assertEquals(next[0], b.firstRow(), "blocks in row order");
            int r = (int) b.firstRow();
            System.arraycopy(b.logLikelihood(), 0, c.logLik, r, b.rows());
            System.arraycopy(b.labels(), 0, c.labels, r, b.rows());
            System.arraycopy(b.responsibilities().data(), 0, c.resp, r * k, b.rows() * k);
            next[0] += b.rows();
        });
        assertEquals(n, next[0]);
        return c;
    }

    private static void assertSameAsInMemory(GaussianMixtureModel m, Matrix x, RowSource source, int blockRows) {
        Collected c = collect(m, source, blockRows);
        assertArrayEquals(m.scoreSamples(x), c.logLik, "log-likelihoods");
        assertArrayEquals(m.predict(x), c.labels, "labels");
        assertArrayEquals(m.predictProba(x).data(), c.resp, "responsibilities");
        assertEquals(m.score(x), m.score(source), 0.0, "score");
        assertEquals(m.informationCriteria(x), m.informationCriteria(source), "BIC and AIC");
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void streamedScoringIsBitIdenticalToTheMatrixForms(CovarianceType type) throws IOException {
        GaussianMixtureModel m = model(type, K, D, 11);
        Matrix x = SyntheticMixtures.sample(m.params(), N, 5);
        for (int blockRows : new int[] {1, 129, N, 1 << 16}) {
            assertSameAsInMemory(m, x, RowSource.of(parts(x)), blockRows);
        }
        Path f64 = dir.resolve(type + "64.npy");
        NpyWriter.write(f64, x);
        Path f32 = dir.resolve(type + "32.npy");
        Matrix x32 = float32File(x, f32);
        // Windows that split values and rows (8 bytes: one float64 per window), and the default.
        for (int window : new int[] {8, 8 * D * 7 + 3, NpyRowSource.DEFAULT_WINDOW_BYTES}) {
            try (NpyRowSource s = NpyRowSource.open(f64, NpyRowSource.Reading.MAPPED, window)) {
                assertSameAsInMemory(m, x, s, 129);
            }
            try (NpyRowSource s = NpyRowSource.open(f32, NpyRowSource.Reading.POSITIONED, window)) {
                assertSameAsInMemory(m, x32, s, 300);
            }
        }
        try (NpyRowSource s = NpyRowSource.open(f64)) {
            assertSameAsInMemory(m, x, s, 1 << 16); // the public form's default block size
            m.scoreBlocks(s, false, b -> assertNull(b.responsibilities(), "not asked for"));
        }
    }

    /**
     * The FULL kernels are chosen by the size of the pass (the Vector API kernels from N K D^2 = 2^26 on),
     * so a streamed block must meet the kernels of the whole source: 33,000 rows at K = 8, D = 16 cross
     * that size, blocks of 5,000 rows alone do not. (Today both kernel sets happen to round these log
     * densities alike, so this holds the contract for when one of them changes.)
     */
    @Test
    void blocksMeetTheKernelsOfTheWholePass() {
        GaussianMixtureModel m = model(CovarianceType.FULL, 8, 16, 3);
        Matrix x = SyntheticMixtures.sample(m.params(), 33_000, 9);
        assertTrue(33_000L * 8 * 16 * 16 >= 1L << 26 && 5_000L * 8 * 16 * 16 < 1L << 26);
        Collected c = collect(m, RowSource.of(x), 5_000);
        assertArrayEquals(m.scoreSamples(x), c.logLik);
        assertArrayEquals(m.predictProba(x).data(), c.resp);
    }

    /** x with NaN at random places, one row with every value missing. */
    private static Matrix withGaps(Matrix x, long seed) {
        double[] v = x.data().clone();
        Random r = new Random(seed);
        for (int i = 0; i < v.length; i++) {
            if (r.nextDouble() < 0.2) {
                v[i] = Double.NaN;
            }
        }
        Arrays.fill(v, 17 * x.cols(), 18 * x.cols(), Double.NaN);
        return Matrix.wrap(v, x.rows(), x.cols());
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void streamedImputationIsBitIdenticalToTheMatrixForm(CovarianceType type) throws IOException {
        GaussianMixtureModel m = model(type, K, D, 21);
        Matrix x = withGaps(SyntheticMixtures.sample(m.params(), N, 6), 7);
        GaussianMixtureModel.Imputation expected = m.imputeWithResponsibilities(x);
        Path npy = dir.resolve(type + "gaps.npy");
        NpyWriter.write(npy, x);
        try (NpyRowSource file = NpyRowSource.open(npy, NpyRowSource.Reading.MAPPED, 8 * D * 5 + 1, MissingValues.ALLOW_NAN)) {
            for (RowSource s : List.of(RowSource.of(parts(x)), file)) {
                double[] completed = new double[N * D];
                double[] resp = new double[N * K];
                m.imputeBlocks(s, 129, true, b -> {
                    int r = (int) b.firstRow();
                    System.arraycopy(b.completed().data(), 0, completed, r * D, b.completed().data().length);
                    System.arraycopy(b.responsibilities().data(), 0, resp, r * K, b.responsibilities().data().length);
                });
                assertArrayEquals(expected.completed().data(), completed, "completed rows");
                assertArrayEquals(expected.responsibilities().data(), resp, "responsibilities");
            }
        }
        double[] completed = new double[N * D];
        m.imputeBlocks(RowSource.of(x), false, b -> {
            assertNull(b.responsibilities());
            System.arraycopy(b.completed().data(), 0, completed, (int) b.firstRow() * D, b.completed().data().length);
        });
        assertArrayEquals(m.impute(x).data(), completed);
    }

    @Test
    void badRowsAreNamedByTheirIndexInTheSource() throws IOException {
        GaussianMixtureModel m = model(CovarianceType.DIAG, 2, 2, 1);
        Matrix x = SyntheticMixtures.sample(m.params(), 400, 2);
        double[] huge = x.data().clone();
        huge[2 * 345 + 1] = 1e300;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.score(RowSource.of(Matrix.wrap(huge, 400, 2))));
        assertTrue(e.getMessage().contains("row 345, column 1 (0-based)") && e.getMessage().contains("too large"),
                e.getMessage());
        double[] gap = x.data().clone();
        gap[2 * 301] = Double.NaN;
        RowSource gappy = RowSource.of(Matrix.wrap(gap, 400, 2));
        e = assertThrows(IllegalArgumentException.class, () -> m.scoreBlocks(gappy, 100, false, b -> { }));
        assertTrue(e.getMessage().contains("row 301, column 0 is NaN (0-based)"), e.getMessage());
        double[] inf = x.data().clone();
        inf[2 * 222 + 1] = Double.NEGATIVE_INFINITY;
        e = assertThrows(IllegalArgumentException.class,
                () -> m.imputeBlocks(RowSource.of(Matrix.wrap(inf, 400, 2)), 100, false, b -> { }));
        assertTrue(e.getMessage().contains("row 222, column 1 is -Infinity (0-based)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.score(RowSource.of(Matrix.wrap(new double[3], 1, 3))));
        assertThrows(IllegalArgumentException.class, () -> m.score(RowSource.of(Matrix.wrap(new double[0], 0, 2))));
        // An infinity in a file read for imputation is still refused, located; NaN passes.
        double[] both = gap.clone();
        both[2 * 399 + 1] = Double.POSITIVE_INFINITY;
        Path npy = dir.resolve("inf.npy");
        NpyWriter.write(npy, Matrix.wrap(both, 400, 2));
        try (NpyRowSource s = NpyRowSource.open(npy, MissingValues.ALLOW_NAN)) {
            DataFileException f = assertThrows(DataFileException.class, () -> m.imputeBlocks(s, false, b -> { }));
            assertTrue(f.getMessage().contains("row 399, column 1 (0-based)") && f.getMessage().contains("Infinity"),
                    f.getMessage());
        }
    }
}
