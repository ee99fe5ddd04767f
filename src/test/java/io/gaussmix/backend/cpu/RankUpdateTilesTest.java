package io.gaussmix.backend.cpu;

import io.gaussmix.CovarianceType;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The second-moment kernels against their definition, to the bit: every upper-triangle entry
 * (a, j), j >= a, must be the accumulator's start value followed by one fused multiply-add per kept
 * row, in row order, of g d_a and d_j (the plain kernel) or of sqrt(g) d_a and sqrt(g) d_j (the Vector API
 * kernel, whose rows are packed once, scaled by sqrt(g)). That is the arithmetic each kernel promises (it is what
 * makes a pass repeatable and independent of the tiling), so any tile that misses, repeats or
 * reorders an entry's rows fails exactly. D runs over 1..40, which meets every tile shape of the
 * Vector API kernel at several places of the triangle (4 x 4 and 4 x 3 vectors; with 4-double vectors the
 * paired 8 x 2 and the lone 4 x 1, with 8-double ones 4 x 2 and the paired 8 x 1: the build runs this
 * test at both widths, see DoubleLanesTest); the row counts include 1 and a whole block. The first moments that
 * {@code packKept} adds are held to each kernel's own arithmetic the same way, and the kept rows are every other row
 * of x, so that a kernel that read the rows in place of the kept ones fails.
 */
class RankUpdateTilesTest {
    @Test
    void plainKernelAddsEachEntrysRowsInOrder() {
        for (int d = 1; d <= 40; d++) {
            check(d, p -> new PlainTriangular(p, TriangularPass.packedFactors(p)),
                    (g, da, dj, acc) -> Math.fma(g * da, dj, acc), (g, da, sum) -> sum + g * da);
        }
    }

    @Test
    void vectorKernelAddsEachEntrysRowsInOrder() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "no jdk.incubator.vector");
        for (int d = 1; d <= 40; d++) {
            check(d, p -> VectorTriangular.create(p, TriangularPass.packedFactors(p)),
                    (g, da, dj, acc) -> Math.fma(Math.sqrt(g) * da, Math.sqrt(g) * dj, acc),
                    (g, da, sum) -> Math.fma(Math.sqrt(g) * da, Math.sqrt(g), sum));
        }
    }

    /** One kept row's term added to an accumulator entry, as a kernel computes it. */
    @FunctionalInterface
    private interface Term {
        double add(double g, double da, double dj, double acc);
    }

    /** One kept row's g d_a added to the first moment's entry a, as a kernel computes it. */
    @FunctionalInterface
    private interface Moment {
        double add(double g, double da, double sum);
    }

    private static void check(int d, java.util.function.Function<MixtureParams, TriangularPass> kernels, Term term,
                              Moment moment) {
        int k = 2;
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, k, d, 11 + d, 1.0, 0.5);
        SplittableRandom rnd = new SplittableRandom(d);
        for (int m : new int[] {1, 7, kernels.apply(p).blockRows}) {
            TriangularPass pass = kernels.apply(p);
            int dp = pass.dp;
            double[] x = new double[2 * m * d];   // the kept rows are every other row: 1, 3, 5, ...
            double[] g = new double[m];
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextDouble(-3, 3);
            }
            for (int t = 0; t < m; t++) {
                g[t] = rnd.nextDouble(0.01, 1);
            }
            for (int i = 0; i < pass.acc.length; i++) {
                pass.acc[i] = rnd.nextDouble(-1, 1);
            }
            double[] start = pass.acc.clone();
            int c = 1;
            int mu = c * d;
            double[] sumDiff = new double[k * d];
            for (int i = 0; i < sumDiff.length; i++) {
                sumDiff[i] = rnd.nextDouble(-1, 1);
            }
            double[] sumStart = sumDiff.clone();
            for (int t = 0; t < m; t++) {
                pass.keptRows[t] = (2 * t + 1) * d;
                pass.keptG[t] = g[t];
            }
            pass.packKept(x, m, mu, sumDiff);
            pass.rankUpdate(m, c * dp * dp);
            double[] means = p.means();
            for (int a = 0; a < d; a++) {
                for (int j = a; j < d; j++) {
                    int e = c * dp * dp + a * dp + j;
                    double expected = start[e];
                    for (int t = 0; t < m; t++) {
                        double da = x[(2 * t + 1) * d + a] - means[mu + a];
                        double dj = x[(2 * t + 1) * d + j] - means[mu + j];
                        expected = term.add(g[t], da, dj, expected);
                    }
                    assertEquals(expected, pass.acc[e], 0.0, "d=" + d + " m=" + m + " entry (" + a + ", " + j + ")");
                }
            }
            for (int a = 0; a < d; a++) {
                double expected = sumStart[mu + a];
                for (int t = 0; t < m; t++) {
                    expected = moment.add(g[t], x[(2 * t + 1) * d + a] - means[mu + a], expected);
                }
                assertEquals(expected, sumDiff[mu + a], 0.0, "d=" + d + " m=" + m + " first moment " + a);
                assertEquals(sumStart[a], sumDiff[a], 0.0, "d=" + d + " component 0's first moment " + a);
            }
            for (int e = 0; e < dp * dp; e++) {   // component 0 is not touched
                assertEquals(start[e], pass.acc[e], 0.0, "d=" + d + " component 0 entry " + e);
            }
        }
    }
}
