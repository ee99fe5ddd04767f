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

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The paths PoCL's generous limits never take by themselves: allocation failures and little local memory. */
class OpenClBackendFallbackTest {

    @Test
    void allocationFailureFallsBackToSmallerChunks() {
        ClDevice device = OpenClAssumptions.requireOpenCl().device(0);
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.DIAG, 3, 6, 21, 3.0, 0.0);
        Matrix x = SyntheticMixtures.sample(p, 3001, 22);
        List<String> notes = new ArrayList<>();
        try (OpenClBackend b = OpenClBackend.open(device, Precision.FLOAT64, notes::add)) {
            b.setAllocationLimit(8192); // rows take 72 KB: resident fails, then chunks halve until one fits
            try (LoadedData data = b.load(x, null)) {
                assertTrue(b.description().contains("streaming"), b.description());
                assertTrue(notes.stream().anyMatch(n -> n.contains("allocation failed")), notes.toString());
                assertStatsClose(NaiveReference.stats(p, x, null), b.accumulate(data, p), 1e-12);
            }
        }
    }

    /** 6 KiB of local memory: FULL with K=8, D=16 gets 16-row tiles and reads its 32 KiB of factors globally. */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void factorsOutsideLocalMemoryGiveTheSameResults(CovarianceType type) {
        ClDevice device = OpenClAssumptions.requireFp64();
        MixtureParams p = SyntheticMixtures.randomParams(type, 8, 16, 31, 3.0, 0.0);
        Matrix x = SyntheticMixtures.sample(p, 517, 32);
        try (OpenClBackend b = OpenClBackend.open(device, Precision.FLOAT64, note -> { })) {
            b.setLocalMemoryBudget(6 * 1024);
            OpenClBackend.Shape shape = b.shape(p, "accumulate_stats");
            assertEquals(16, shape.tile());
            if (type == CovarianceType.FULL) {
                assertFalse(shape.factorsLocal());
            }
            try (LoadedData data = b.load(x, null)) {
                assertStatsClose(NaiveReference.stats(p, x, null), b.accumulate(data, p), 1e-12);
                double[] logp = new double[x.rows() * 8];
                b.logDensities(data, p, logp);
                double[] expected = NaiveReference.logDensities(p, x);
                for (int i = 0; i < logp.length; i++) {
                    assertEquals(expected[i], logp[i], 1e-12 * Math.max(1, Math.abs(expected[i])));
                }
            }
        }
    }

    private static void assertStatsClose(SufficientStats e, SufficientStats a, double rel) {
        assertEquals(e.logLikelihood, a.logLikelihood, rel * Math.abs(e.logLikelihood));
        assertArrayEquals(e.nk, a.nk, rel * e.totalWeight);
        assertArrayEquals(e.sumDiff, a.sumDiff, rel * 1e3 * e.totalWeight);
        assertArrayEquals(e.sumSq, a.sumSq, rel * 1e3 * e.totalWeight);
    }
}
