package io.gaussmix.backend.cpu;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.io.NpyRowSource;
import io.gaussmix.io.NpyWriter;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.SplitSources;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The contract of a streamed CPU pass: rows read from a source window by window give the same bits as the
 * same rows in one matrix (statistics and log densities), whatever the window size (in whole units), the
 * thread count, and however the source cuts its own reads (matrix parts of awkward sizes; a .npy file read
 * in windows that split rows and values), and however the sample weights come (in memory, or streamed in
 * step with the rows from a .npy file read in windows that split values, or from parts that do not meet
 * the units, also beside resident rows). Exact equality, no tolerance: the units and their fold order
 * are the same, so nothing may differ.
 */
class StreamedPassTest {
    static final int N = 5 * CpuBackend.UNIT + 77;
    static final int D = 13;

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        for (CovarianceType t : CovarianceType.values()) {
            for (boolean weighted : new boolean[] {false, true}) {
                out.add(Arguments.of(t, weighted, false));
                if (vectorModule) {
                    out.add(Arguments.of(t, weighted, true));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, weighted {1}, Vector API {2}")
    @MethodSource("cases")
    void aStreamedPassEqualsTheInMemoryPassBitForBit(CovarianceType type, boolean weighted, boolean vector)
            throws IOException {
        MixtureParams p = SyntheticMixtures.randomParams(type, 3, D, 31, 1.0, 0.5);
        Matrix x = SyntheticMixtures.sample(p, N, 32);
        double[] w = null;
        if (weighted) {
            w = new double[N];
            for (int i = 0; i < N; i++) {
                w[i] = 0.25 + (i % 11) / 4.0;
            }
        }
        SufficientStats expected;
        double[] expectedLogp = new double[N * p.components()];
        try (CpuBackend cpu = new CpuBackend(2, vector); LoadedData data = cpu.load(x, w)) {
            expected = cpu.accumulate(data, p);
            cpu.logDensities(data, p, expectedLogp);
        }

        Path file = dir.resolve("x.npy");
        NpyWriter.write(file, x);
        List<Matrix> parts = split(x, 1, 2047, 3001, 64, 2 * CpuBackend.UNIT + 5);
        List<Supplier<RowSource>> sources = List.of(
                () -> RowSource.of(parts),
                () -> NpyRowSource.open(file, NpyRowSource.Reading.MAPPED, 8 * D * 100 + 5),
                () -> NpyRowSource.open(file, NpyRowSource.Reading.POSITIONED, 4096 + 3),
                () -> RowSource.of(x));
        List<Supplier<RowSource>> weightSources = new ArrayList<>();
        if (weighted) {
            double[] unitWeights = w;
            Path weightFile = SplitSources.npyColumn(dir, "w.npy", w, false, true);
            List<Matrix> weightParts = split(Matrix.wrap(w, N, 1), 5, 2 * CpuBackend.UNIT - 3, 999);
            weightSources.add(() -> RowSource.ofColumn(unitWeights));
            // Windows of 803 bytes: weights cut in the middle, and windows that do not meet the rows' units.
            weightSources.add(() -> NpyRowSource.open(weightFile, NpyRowSource.Reading.POSITIONED, 8 * 100 + 3));
            weightSources.add(() -> NpyRowSource.open(weightFile, NpyRowSource.Reading.MAPPED, 8 * 1000 + 1));
            weightSources.add(() -> RowSource.of(weightParts));
        } else {
            weightSources.add(() -> null);
        }
        for (int s = 0; s < sources.size(); s++) {
            for (int ws = 0; ws < weightSources.size(); ws++) {
                for (int threads : new int[] {1, 3}) {
                    for (int windowUnits : new int[] {1, 2, 4}) {
                        String what = "source " + s + ", weights " + ws + ", " + threads + " threads, windows of "
                                + windowUnits + " units";
                        try (RowSource source = sources.get(s).get();
                             RowSource weights = weightSources.get(ws).get();
                             CpuBackend cpu = new CpuBackend(threads, vector).withWindowUnits(windowUnits);
                             LoadedData data = cpu.load(source, weights)) {
                            assertEquals(N, data.rows(), what);
                            SufficientStats got = cpu.accumulate(data, p);
                            SplitSources.assertIdentical(expected, got, what);
                            double[] logp = new double[N * p.components()];
                            cpu.logDensities(data, p, logp);
                            assertArrayEquals(expectedLogp, logp, what);
                        }
                    }
                }
            }
        }
    }

    /** The rows of x in consecutive parts of the given sizes, the rest in a last part. */
    static List<Matrix> split(Matrix x, int... sizes) {
        List<Matrix> parts = new ArrayList<>();
        int from = 0;
        for (int size : sizes) {
            parts.add(rows(x, from, from + size));
            from += size;
        }
        parts.add(rows(x, from, x.rows()));
        return parts;
    }

    private static Matrix rows(Matrix x, int from, int to) {
        double[] v = new double[(to - from) * x.cols()];
        System.arraycopy(x.data(), from * x.cols(), v, 0, v.length);
        return Matrix.wrap(v, to - from, x.cols());
    }
}
