package io.gaussmix.backend.cpu;

import io.gaussmix.CovarianceType;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One block's statistics (N_k, sum g d, the upper triangle of sum g d d^T) from each kernel class
 * against naive float64 sums, for D = 1..20: the Vector API kernels' per-lane statistics (padded
 * stride up to 16, every tile remainder) and their row-major ones beyond, the plain kernels
 * throughout. Blocks of 1, 37 and 64 rows (lanes past the block must add nothing), some g exactly 0
 * and one component with g = 0 on every row. The statistics run without the block's log densities
 * first, so a kernel that reuses what the log densities packed must notice it is not there. Tolerance:
 * at most 64 terms of magnitude up to 9 per sum, each rounded a few times: a few hundred eps64 of
 * the largest sum, 1e-13 relative.
 */
class BlockStatisticsTest {
    @Test
    void vectorKernelsMatchNaiveSums() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "no jdk.incubator.vector");
        for (int d = 1; d <= 20; d++) {
            check(d, p -> VectorTriangular.create(p, TriangularPass.packedFactors(p)));
        }
    }

    @Test
    void plainKernelsMatchNaiveSums() {
        for (int d = 1; d <= 20; d++) {
            check(d, p -> new PlainTriangular(p, TriangularPass.packedFactors(p)));
        }
    }

    private static void check(int d, Function<MixtureParams, TriangularPass> kernels) {
        int k = 3;
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, k, d, 5 + d, 1.0, 0.5);
        double[] means = p.means();
        SplittableRandom rnd = new SplittableRandom(100 + d);
        int blockRows = kernels.apply(p).blockRows;
        for (int b : new int[] {1, 37, blockRows - 3, blockRows}) {
            int r0 = 3;   // the block does not start at row 0 of the array
            double[] x = new double[(r0 + b) * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextDouble(-3, 3);
            }
            double[] g = new double[b * k];
            for (int r = 0; r < b; r++) {
                g[r * k] = rnd.nextInt(4) == 0 ? 0.0 : rnd.nextDouble();
                g[r * k + 1] = 0.0;
                g[r * k + 2] = rnd.nextDouble();
            }
            TriangularPass pass = kernels.apply(p);
            SufficientStats s = new SufficientStats(CovarianceType.FULL, k, d);
            pass.accumulate(x, r0, b, g.clone(), s);
            pass.finish(s);
            double[] nk = new double[k];
            double[] sum = new double[k * d];
            double[] sq = new double[k * d * d];
            for (int c = 0; c < k; c++) {
                for (int r = 0; r < b; r++) {
                    double gr = g[r * k + c];
                    nk[c] += gr;
                    for (int a = 0; a < d; a++) {
                        double da = x[(r0 + r) * d + a] - means[c * d + a];
                        sum[c * d + a] += gr * da;
                        for (int j = a; j < d; j++) {
                            sq[c * d * d + a * d + j] += gr * da * (x[(r0 + r) * d + j] - means[c * d + j]);
                        }
                    }
                }
            }
            String where = "d=" + d + " b=" + b;
            close(nk, s.nk, where + " nk");
            close(sum, s.sumDiff, where + " sumDiff");
            double[] upper = new double[k * d * d];
            for (int c = 0; c < k; c++) {
                for (int a = 0; a < d; a++) {
                    for (int j = a; j < d; j++) {
                        upper[c * d * d + a * d + j] = s.sumSq[c * d * d + a * d + j];
                    }
                }
            }
            close(sq, upper, where + " sumSq");
        }
    }

    private static void close(double[] expected, double[] actual, String what) {
        double scale = 1;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-13 * scale,
                    what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
        }
    }
}
