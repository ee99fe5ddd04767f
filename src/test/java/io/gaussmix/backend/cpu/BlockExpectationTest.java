package io.gaussmix.backend.cpu;

import io.gaussmix.CovarianceType;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link TriangularPass#expectation}, which the backend runs, against the three phases it fuses ({@link
 * TriangularPass#logDensities}, {@link TriangularPass#responsibilities}, {@link TriangularPass#accumulate}; checked
 * against naive sums and the reference elsewhere): the same bits of the log-likelihood and of every statistic, for
 * D = 1..20 (the Vector API kernels keep the block component-major up to a padded stride of 16), blocks of 1, 37
 * and whole blocks, consecutive blocks of one pass (stale rows past a short block must add nothing), with and
 * without row weights (some 0).
 */
class BlockExpectationTest {
    @Test
    void vectorKernelsFuseTheThreePhasesExactly() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "no jdk.incubator.vector");
        for (int d = 1; d <= 20; d++) {
            check(d, p -> VectorTriangular.create(p, TriangularPass.packedFactors(p)));
        }
    }

    @Test
    void plainKernelsFuseTheThreePhasesExactly() {
        for (int d = 1; d <= 20; d += 3) {
            check(d, p -> new PlainTriangular(p, TriangularPass.packedFactors(p)));
        }
    }

    private static void check(int d, Function<MixtureParams, TriangularPass> kernels) {
        int k = 5;
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, k, d, 11 + d, 1.0, 0.5);
        SplittableRandom rnd = new SplittableRandom(200 + d);
        int blockRows = kernels.apply(p).blockRows;
        int[] sizes = {blockRows, 37, blockRows, 1, blockRows - 3};
        int n = 0;
        for (int b : sizes) {
            n += b;
        }
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble(-3, 3);
        }
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = rnd.nextInt(5) == 0 ? 0.0 : rnd.nextDouble(0.1, 3);
        }
        for (double[] w : new double[][] {null, weights}) {
            TriangularPass fused = kernels.apply(p);
            TriangularPass phases = kernels.apply(p);
            SufficientStats a = new SufficientStats(CovarianceType.FULL, k, d);
            SufficientStats b = new SufficientStats(CovarianceType.FULL, k, d);
            double[] block = new double[blockRows * k];
            int r0 = 0;
            for (int size : sizes) {
                a.logLikelihood += fused.expectation(x, r0, size, block, w, a);
                phases.logDensities(x, r0, size, block);
                b.logLikelihood += phases.responsibilities(block, size, w, r0);
                phases.accumulate(x, r0, size, block, b);
                r0 += size;
            }
            fused.finish(a);
            phases.finish(b);
            String where = "d=" + d + (w == null ? "" : " weighted");
            assertEquals(b.logLikelihood, a.logLikelihood, 0.0, where + " log-likelihood");
            assertArrayEquals(b.nk, a.nk, 0.0, where + " nk");
            assertArrayEquals(b.sumDiff, a.sumDiff, 0.0, where + " sumDiff");
            assertArrayEquals(b.sumSq, a.sumSq, 0.0, where + " sumSq");
        }
    }
}
