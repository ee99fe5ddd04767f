package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Availability;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.io.NpyRowSource;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.SplitSources;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Assumptions;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rows from a row source that is not one matrix (matrices cut at awkward places, a {@code .npy} file
 * read in windows that split rows and values), resident and streamed in chunks of 1024 and 2048 rows
 * through the pinned double buffers: every pass gives the bits of the resident in-memory matrix, for
 * all four covariance types (simple and tiled kernels), with weights (in memory, or streamed with the
 * rows from a {@code .npy} file or from parts cut elsewhere than the rows), in float32 and float64.
 */
@RequiresCuda
class CudaRowSourceTest {
    /**
     * Five chunks of 1024 or three of 2048 (the last 904 rows); streaming needs more rows than two
     * chunks, and the emulated run needs few.
     */
    private static final int N = 5000;
    private static final int D = 3;
    private static final int K = 3;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Precision.class)
    void everySourceAndChunkGivesTheMatrixBits(Precision precision) throws IOException {
        Availability a = new CudaProvider().availability();
        Assumptions.assumeTrue(a.available(), () -> "CUDA unavailable: " + a.reason());
        Matrix x = SyntheticMixtures.sample(SyntheticMixtures.randomParams(CovarianceType.FULL, K, D, 21, 3.0, 100.0),
                N, 22);
        double[] w = SplitSources.weights(N, 23);
        Path file = SplitSources.npy(dir, "x.npy", x);
        List<Supplier<RowSource>> sources = List.of(
                () -> RowSource.of(SplitSources.parts(x, 1, 1030, 17, 2500)),
                () -> NpyRowSource.open(file, NpyRowSource.Reading.POSITIONED, 1003));
        Path weightFile = SplitSources.npyColumn(dir, "w.npy", w, false, true);
        // In memory; streamed from a (N,) file in windows that cut values; from parts that meet no chunk.
        List<Supplier<RowSource>> weightSources = List.of(
                () -> RowSource.ofColumn(w),
                () -> NpyRowSource.open(weightFile, NpyRowSource.Reading.POSITIONED, 8 * 300 + 5),
                () -> RowSource.of(SplitSources.parts(Matrix.wrap(w, N, 1), 3, 1000, 77)));
        long bytesPerRow = (D + 1L) * precision.elementBytes();
        long[] chunks = {N, CudaMemoryPlan.CHUNK_ALIGN, 2 * CudaMemoryPlan.CHUNK_ALIGN};
        List<String> notes = new ArrayList<>();
        List<CudaBackend> backends = new ArrayList<>();
        try {
            for (int b = 0; b < chunks.length; b++) {
                // A budget of the reserve plus two chunks plans exactly that chunk.
                long budget = b == 0 ? Long.MAX_VALUE : CudaMemoryPlan.MIN_RESERVE + 2 * chunks[b] * bytesPerRow;
                backends.add(new CudaBackend(0, precision, budget, notes::add));
            }
            for (CovarianceType type : CovarianceType.values()) {
                MixtureParams p = SyntheticMixtures.randomParams(type, K, D, 24, 3.0, 100.0);
                SufficientStats expected;
                double[] expectedLogp = new double[N * K];
                try (LoadedData data = backends.get(0).load(x, w)) {
                    expected = backends.get(0).accumulate(data, p);
                    backends.get(0).logDensities(data, p, expectedLogp);
                }
                for (int b = 0; b < backends.size(); b++) {
                    for (int c = 0; c < sources.size() * weightSources.size(); c++) {
                        int s = c / weightSources.size();
                        int ws = c % weightSources.size();
                        if (s == 0 && ws > 0) {
                            continue;   // streamed weights beside the file's rows are enough for the emulator's time
                        }
                        String what = type + " " + precision + " source " + s + ", weights " + ws + ", chunks of "
                                + chunks[b];
                        notes.clear();
                        try (RowSource source = sources.get(s).get(); RowSource weights = weightSources.get(ws).get();
                             LoadedData data = backends.get(b).load(source, weights)) {
                            assertEquals(b == 0, ((CudaData) data).resident, what);
                            String plan = b == 0 ? "rows resident on the device (" + N + " rows"
                                    : "streaming " + N + " rows in " + (N + chunks[b] - 1) / chunks[b] + " chunks of up to "
                                    + chunks[b] + " rows";
                            assertTrue(notes.stream().anyMatch(m -> m.contains(plan)), what + ": " + notes);
                            SplitSources.assertIdentical(expected, backends.get(b).accumulate(data, p), what);
                            if (s == 1 && ws == 0) {   // log densities are row by row; once per chunk size is enough
                                double[] logp = new double[N * K];
                                backends.get(b).logDensities(data, p, logp);
                                assertArrayEquals(expectedLogp, logp, 0.0, what + ": log densities");
                            }
                        }
                    }
                }
            }
        } finally {
            backends.forEach(CudaBackend::close);
        }
    }
}
