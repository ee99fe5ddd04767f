package io.gaussmix.backend.cpu;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.SyntheticMixtures;
import io.gaussmix.backend.Precision;

import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The background warm-up shares nothing with a real pass: a Vector API pass run while the warm-up
 * runs on another thread gives the same bits as the same pass without it (so whether, and how far,
 * the warm-up got before a fit cannot show in the fit's result); for the float64 and the float32 kernels.
 */
class KernelWarmUpTest {
    @ParameterizedTest(name = "float32 {0}")
    @ValueSource(booleans = {false, true})
    void aPassDuringTheWarmUpGivesTheSameBits(boolean float32) throws Exception {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, 3, 23, 5, 1.0, 0.5);
        Matrix x = SyntheticMixtures.sample(p, 3 * CpuBackend.UNIT + 33, 6);
        try (CpuBackend cpu = float32 ? new CpuBackend(2, Precision.FLOAT32) : new CpuBackend(2, true);
             LoadedData data = cpu.load(x, null)) {
            SufficientStats before = cpu.accumulate(data, p);
            Thread warmUp = new Thread(() -> KernelWarmUp.run(300, float32, KernelWarmUp.dimensions(float32, OptionalInt.empty()), () -> false));
            warmUp.start();
            SufficientStats during = cpu.accumulate(data, p);
            warmUp.join();
            SufficientStats after = cpu.accumulate(data, p);
            for (SufficientStats s : new SufficientStats[] {during, after}) {
                assertEquals(before.logLikelihood, s.logLikelihood, 0.0);
                assertArrayEquals(before.nk, s.nk, 0.0);
                assertArrayEquals(before.sumDiff, s.sumDiff, 0.0);
                assertArrayEquals(before.sumSq, s.sumSq, 0.0);
            }
        }
    }

    /**
     * With the data's D known, the float64 warm-up runs a block of the statistics family that D's pass
     * runs (the backend's own rule, {@link VectorTriangular#statisticsPerLane}), and only that family;
     * float32 and an unknown D run both families.
     */
    @Test
    void aKnownDimensionWarmsUpTheStatisticsItsPassRuns() {
        for (int d = 1; d <= 130; d++) {
            boolean perLane = VectorTriangular.statisticsPerLane(d);
            int[] dims = KernelWarmUp.dimensions(false, OptionalInt.of(d));
            assertTrue(dims.length > 0, "D = " + d);
            assertTrue(Arrays.stream(dims).allMatch(e -> VectorTriangular.statisticsPerLane(e) == perLane), "D = " + d);
        }
        for (int[] both : new int[][] {KernelWarmUp.dimensions(false, OptionalInt.empty()),
                KernelWarmUp.dimensions(true, OptionalInt.of(64)), KernelWarmUp.dimensions(true, OptionalInt.of(8))}) {
            assertTrue(Arrays.stream(both).anyMatch(VectorTriangular::statisticsPerLane), Arrays.toString(both));
            assertTrue(Arrays.stream(both).anyMatch(d -> !VectorTriangular.statisticsPerLane(d)), Arrays.toString(both));
        }
    }
}
