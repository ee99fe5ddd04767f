package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Availability;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streaming (rows in chunks through pinned buffers on two streams) against resident data on the
 * GPU, and 50 fits in a row without leaking device memory.
 */
@RequiresCuda
class CudaStreamingTest {
    private static void assumeCuda() {
        Availability a = new CudaProvider().availability();
        Assumptions.assumeTrue(a.available(), () -> "CUDA unavailable: " + a.reason());
    }

    /**
     * A data budget that leaves exactly room for the reserve plus two chunks of the smallest size
     * ({@link CudaMemoryPlan#CHUNK_ALIGN} rows): a few thousand rows then stream in several chunks, which
     * keeps these tests quick in the build's emulated run too.
     */
    private static long streamingBudget(int d, int elementBytes) {
        return CudaMemoryPlan.MIN_RESERVE + 2L * CudaMemoryPlan.CHUNK_ALIGN * (d * elementBytes + elementBytes);
    }

    @Test
    void streamingMatchesResident() {
        assumeCuda();
        int n = 5_011;   // five chunks, the last one partial
        for (Precision prec : Precision.values()) {
            int elementBytes = prec.elementBytes();
            for (CovarianceType t : CovarianceType.values()) {
                int d = 9;
                MixtureParams p = SyntheticMixtures.randomParams(t, 4, d, 7, 3.0, 50.0);
                Matrix x = SyntheticMixtures.sample(p, n, 8);
                double[] w = new double[n];
                for (int i = 0; i < n; i++) {
                    w[i] = 0.5 + (i % 7) * 0.25;
                }
                List<String> notes = new ArrayList<>();
                try (CudaBackend resident = new CudaBackend(0, prec, Long.MAX_VALUE);
                     CudaBackend streamed = new CudaBackend(0, prec, streamingBudget(d, elementBytes), notes::add)) {
                    SufficientStats a;
                    double[] la = new double[n * 4];
                    try (LoadedData data = resident.load(x, w)) {
                        assertTrue(((CudaData) data).resident);
                        a = resident.accumulate(data, p);
                        resident.logDensities(data, p, la);
                    }
                    SufficientStats b;
                    SufficientStats b2;
                    double[] lb = new double[n * 4];
                    try (LoadedData data = streamed.load(x, w)) {
                        assertFalse(((CudaData) data).resident, "the small budget must force streaming");
                        assertTrue(((CudaData) data).chunkRows < n);
                        assertTrue(notes.stream().anyMatch(m -> m.contains("streaming " + n + " rows in 5 chunks of up to "
                                + CudaMemoryPlan.CHUNK_ALIGN + " rows")), notes.toString());
                        b = streamed.accumulate(data, p);
                        b2 = streamed.accumulate(data, p);
                        streamed.logDensities(data, p, lb);
                    }
                    String what = t + " " + prec;
                    double tol = prec == Precision.FLOAT64 ? 1e-11 : 1e-5;
                    close(what + " logLikelihood", a.logLikelihood, b.logLikelihood, tol);
                    close(what + " nk", a.nk, b.nk, tol);
                    close(what + " sumDiff", a.sumDiff, b.sumDiff, tol);
                    close(what + " sumSq", a.sumSq, b.sumSq, tol);
                    assertEquals(a.totalWeight, b.totalWeight, 0.0);
                    // Chunks of whole tiles go to the same blocks' partials in the same order, and each
                    // thread's log-likelihood is carried between chunks: the same bits as resident.
                    assertArrayEquals(a.nk, b.nk, 0.0, what + ": streamed nk is the resident bits");
                    assertArrayEquals(a.sumDiff, b.sumDiff, 0.0, what + ": streamed sumDiff is the resident bits");
                    assertArrayEquals(a.sumSq, b.sumSq, 0.0, what + ": streamed sumSq is the resident bits");
                    assertEquals(a.logLikelihood, b.logLikelihood, 0.0, what + ": streamed log-likelihood is the resident bits");
                    assertArrayEquals(la, lb, 0.0, what + ": log densities are computed row by row, identically");
                    assertArrayEquals(b.sumSq, b2.sumSq, 0.0, what + ": streaming repeats bit for bit");
                    assertEquals(b.logLikelihood, b2.logLikelihood, 0.0, what + ": streaming repeats bit for bit");
                }
            }
        }
    }

    private static void close(String what, double e, double a, double tol) {
        close(what, new double[] {e}, new double[] {a}, tol);
    }

    private static void close(String what, double[] e, double[] a, double tol) {
        double scale = 1;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= tol * scale, what + "[" + i + "]: " + a[i] + " vs " + e[i]);
        }
    }

    @Test
    void fiftyFitsLeakNoDeviceMemory() {
        assumeCuda();
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, 5, 12, 3, 3.0, 0.0);
        // Three streamed chunks; the leak check is about buffers, not rows.
        Matrix x = SyntheticMixtures.sample(p, 2_500, 4);
        try (CudaBackend backend = new CudaBackend(0, Precision.FLOAT32, Long.MAX_VALUE)) {
            fit(backend, p, x);   // warm-up: module, parameter and partial buffers reach their size
            long before = backend.freeBytes();
            for (int i = 0; i < 50; i++) {
                fit(backend, p, x);
            }
            long after = backend.freeBytes();
            assertTrue(before - after <= (4L << 20), "device memory leaked: " + (before - after) + " bytes over 50 fits");
        }
        try (CudaBackend streamed = new CudaBackend(0, Precision.FLOAT32, streamingBudget(12, 4))) {
            try (LoadedData data = streamed.load(x, null)) {
                assertFalse(((CudaData) data).resident, "the small budget must force streaming");
            }
            fit(streamed, p, x);
            long before = streamed.freeBytes();
            for (int i = 0; i < 50; i++) {
                fit(streamed, p, x);
            }
            long after = streamed.freeBytes();
            assertTrue(before - after <= (4L << 20), "device memory leaked while streaming: " + (before - after) + " bytes");
        }
    }

    /** One "fit" as far as device memory goes: load, two passes, log densities, close the data. */
    private static void fit(CudaBackend backend, MixtureParams p, Matrix x) {
        try (LoadedData data = backend.load(x, null)) {
            backend.accumulate(data, p);
            backend.accumulate(data, p);
            backend.logDensities(data, p, new double[x.rows() * p.components()]);
        }
    }
}
