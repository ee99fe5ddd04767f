package io.gaussmix.backend.opencl;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.NaiveReference;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streaming (rows pushed through small chunk buffers on every pass) against resident data, and the
 * Kahan-compensated float accumulation used on devices without fp64 against the naive reference.
 */
class OpenClBackendStreamingTest {
    /**
     * 4 KiB for rows of 7 floats: room for two chunks of 73 rows, cut to 64 (a whole number of tiles),
     * so 3001 rows take 47 chunks through both slots.
     */
    private static final long SMALL_BUDGET = 4096;

    private static double[] weights(int n) {
        Random r = new Random(7);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = i % 11 == 0 ? 0 : 0.5 + r.nextDouble();
        }
        return w;
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void streamingMatchesResident(CovarianceType type) {
        ClDevice device = OpenClAssumptions.requireOpenCl().device(0);
        MixtureParams p = SyntheticMixtures.randomParams(type, 5, 6, 42, 3.0, 100.0);
        Matrix x = SyntheticMixtures.sample(p, 3001, 43);
        double[] w = weights(x.rows());
        SufficientStats resident;
        double[] residentLogp = new double[x.rows() * 5];
        try (OpenClBackend b = OpenClBackend.open(device, Precision.FLOAT32, note -> { });
             LoadedData data = b.load(x, w)) {
            resident = b.accumulate(data, p);
            b.logDensities(data, p, residentLogp);
            assertFalse(b.description().contains("streaming"), b.description());
        }
        try (OpenClBackend b = new OpenClBackend(device, Precision.FLOAT32, SMALL_BUDGET, device.fp64(), note -> { });
             LoadedData data = b.load(x, w)) {
            assertTrue(b.description().contains("streaming 3001 rows in 47 chunks of up to 64 rows"), b.description());
            SufficientStats first = b.accumulate(data, p);
            SufficientStats second = b.accumulate(data, p);
            assertIdentical(first, second);
            assertClose(resident, first, 1e-6);
            // Chunks are whole tiles added into the same partials in the same order: the same bits.
            assertIdentical(resident, first);
            double[] logp = new double[x.rows() * 5];
            b.logDensities(data, p, logp);
            // Each row's log densities do not depend on how rows are grouped.
            assertArrayEquals(residentLogp, logp, 1e-5);
        }
    }

    @Test
    void kahanFloatAccumulationMatchesReference() {
        ClDevice device = OpenClAssumptions.requireOpenCl().device(0);
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, 4, 5, 8, 3.0, 0.0);
        Matrix x = SyntheticMixtures.sample(p, 3001, 9);
        double[] w = weights(x.rows());
        SufficientStats expected = NaiveReference.stats(p, x, w);
        try (OpenClBackend b = new OpenClBackend(device, Precision.FLOAT32, SMALL_BUDGET, false, note -> { });
             LoadedData data = b.load(x, w)) {
            SufficientStats actual = b.accumulate(data, p);
            assertIdentical(actual, b.accumulate(data, p));
            // Compensated float sums are as good as double ones here; the float per-row terms dominate.
            assertClose(expected, actual, 1e-5);
        }
    }

    private static void assertIdentical(SufficientStats a, SufficientStats b) {
        assertEquals(a.logLikelihood, b.logLikelihood, 0.0);
        assertArrayEquals(a.nk, b.nk);
        assertArrayEquals(a.sumDiff, b.sumDiff);
        assertArrayEquals(a.sumSq, b.sumSq);
    }

    /** Every array within {@code rel} of its largest expected magnitude. */
    private static void assertClose(SufficientStats e, SufficientStats a, double rel) {
        assertEquals(e.totalWeight, a.totalWeight, 1e-9 * e.totalWeight);
        assertEquals(e.logLikelihood, a.logLikelihood, rel * Math.abs(e.logLikelihood), "logLikelihood");
        assertArrayEquals(e.nk, a.nk, rel * max(e.nk), "nk");
        assertArrayEquals(e.sumDiff, a.sumDiff, rel * Math.max(max(e.sumDiff), max(e.nk)), "sumDiff");
        assertArrayEquals(e.sumSq, a.sumSq, rel * max(e.sumSq), "sumSq");
    }

    private static double max(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }
}
