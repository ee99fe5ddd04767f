package io.gaussmix.backend.opencl;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.io.NpyRowSource;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.SplitSources;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Rows from a row source that is not one matrix (matrices cut at awkward places, a {@code .npy} file
 * read in windows that split rows and values), resident and streamed in chunks of two sizes: every
 * pass gives the bits of the resident in-memory matrix, for all four covariance types, with weights (in
 * memory, or streamed with the rows from a {@code .npy} file or from parts cut elsewhere than the rows),
 * in float32 and float64, and with the Kahan-compensated float partial sums of devices without fp64.
 */
class OpenClRowSourceTest {
    /** 23 full chunks of 64 rows and a rest of 29; 7 chunks of 192 and a rest of 157. */
    private static final int N = 1501;
    private static final int D = 5;
    private static final int K = 3;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Precision.class)
    void everySourceAndChunkGivesTheMatrixBits(Precision precision) throws IOException {
        ClDevice device = OpenClAssumptions.requireOpenCl().device(0);
        assumeTrue(precision == Precision.FLOAT32 || device.fp64(), "the device has no fp64");
        Matrix x = SyntheticMixtures.sample(SyntheticMixtures.randomParams(CovarianceType.FULL, K, D, 11, 3.0, 100.0),
                N, 12);
        double[] w = SplitSources.weights(N, 7);
        Path file = SplitSources.npy(dir, "x.npy", x);
        List<Supplier<RowSource>> sources = List.of(
                () -> RowSource.of(SplitSources.parts(x, 1, 700, 63, 2)),
                () -> NpyRowSource.open(file, NpyRowSource.Reading.MAPPED, 1003));
        Path weightFile = SplitSources.npyColumn(dir, "w.npy", w, false, true);
        // In memory; streamed from a (N,) file in windows that cut values; from parts that meet no chunk.
        List<Supplier<RowSource>> weightSources = List.of(
                () -> RowSource.ofColumn(w),
                () -> NpyRowSource.open(weightFile, NpyRowSource.Reading.MAPPED, 8 * 50 + 3),
                () -> RowSource.of(SplitSources.parts(Matrix.wrap(w, N, 1), 3, 1000, 77)));
        check(device, precision, device.fp64(), x, w, sources, weightSources);
        if (precision == Precision.FLOAT32) {
            check(device, precision, false, x, w, sources, weightSources);
        }
    }

    private static void check(ClDevice device, Precision precision, boolean accumulateInDouble, Matrix x, double[] w,
                              List<Supplier<RowSource>> sources, List<Supplier<RowSource>> weightSources) {
        long bytesPerRow = (D + 1L) * precision.elementBytes();
        long[] budgets = {0, 2 * 64 * bytesPerRow, 2 * 192 * bytesPerRow};   // 0: the device's (resident)
        int[] chunks = {N, 64, 192};
        List<OpenClBackend> backends = new ArrayList<>();
        try {
            for (long budget : budgets) {
                backends.add(new OpenClBackend(device, precision, budget, accumulateInDouble, note -> { }));
            }
            for (CovarianceType type : CovarianceType.values()) {
                MixtureParams p = SyntheticMixtures.randomParams(type, K, D, 13, 3.0, 100.0);
                SufficientStats expected;
                double[] expectedLogp = new double[N * K];
                try (LoadedData data = backends.get(0).load(x, w)) {
                    expected = backends.get(0).accumulate(data, p);
                    backends.get(0).logDensities(data, p, expectedLogp);
                }
                for (int b = 0; b < backends.size(); b++) {
                    OpenClBackend backend = backends.get(b);
                    for (int c = 0; c < sources.size() * weightSources.size(); c++) {
                        int s = c / weightSources.size();
                        int ws = c % weightSources.size();
                        String what = type + " " + precision + (accumulateInDouble ? "" : " kahan") + " source " + s
                                + ", weights " + ws + ", chunks of " + chunks[b];
                        try (RowSource source = sources.get(s).get(); RowSource weights = weightSources.get(ws).get();
                             LoadedData data = backend.load(source, weights)) {
                            assertEquals(b > 0, backend.description().contains("streaming " + N + " rows in "
                                    + (N + chunks[b] - 1) / chunks[b] + " chunks of up to " + chunks[b] + " rows"),
                                    what + ": " + backend.description());
                            SplitSources.assertIdentical(expected, backend.accumulate(data, p), what);
                            double[] logp = new double[N * K];
                            backend.logDensities(data, p, logp);
                            assertArrayEquals(expectedLogp, logp, 0.0, what + ": log densities");
                        }
                    }
                }
            }
        } finally {
            backends.forEach(OpenClBackend::close);
        }
    }
}
