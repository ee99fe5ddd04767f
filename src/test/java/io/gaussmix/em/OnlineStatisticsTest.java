package io.gaussmix.em;

import io.gaussmix.CovarianceType;
import io.gaussmix.math.SufficientStats;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The running statistics' algebra against statistics accumulated directly. */
class OnlineStatisticsTest {
    private static final int K = 2;
    private static final int D = 3;

    /** Statistics of fixed rows and responsibilities about the given centres (K x D). */
    private static SufficientStats about(CovarianceType type, double[][] rows, double[][] g, double[] centres) {
        SufficientStats s = new SufficientStats(type, K, D);
        double[] diff = new double[D];
        for (int r = 0; r < rows.length; r++) {
            s.totalWeight += 1;
            for (int c = 0; c < K; c++) {
                for (int i = 0; i < D; i++) {
                    diff[i] = rows[r][i] - centres[c * D + i];
                }
                s.addRow(c, g[r][c], diff);
            }
        }
        s.mirrorUpper();
        return s;
    }

    /**
     * Shifting the statistics from centres a to centres b gives those accumulated about b: the same sums
     * in another order, so within a few ulps of the largest term (values of order 10, squares of 100: 1e-12).
     */
    @Test
    void shiftEqualsAccumulatingAboutTheNewCentres() {
        Random r = new Random(4);
        double[][] rows = new double[50][D];
        double[][] g = new double[50][K];
        for (int n = 0; n < 50; n++) {
            for (int i = 0; i < D; i++) {
                rows[n][i] = 5 + 3 * r.nextGaussian();
            }
            g[n][0] = r.nextDouble();
            g[n][1] = 1 - g[n][0];
        }
        double[] a = r.doubles(K * D, 0, 10).toArray();
        double[] b = r.doubles(K * D, 0, 10).toArray();
        for (CovarianceType type : CovarianceType.values()) {
            OnlineStatistics running = OnlineStatistics.first(about(type, rows, g, a));
            running.shift(a, b);
            SufficientStats shifted = running.scaledTo(50);
            SufficientStats direct = about(type, rows, g, b);
            assertArrayEquals(direct.nk, shifted.nk, 1e-12, type.id());
            assertArrayEquals(direct.sumDiff, shifted.sumDiff, 1e-12, type.id());
            assertArrayEquals(direct.sumSq, shifted.sumSq, 1e-11, type.id());
        }
    }

    /** blend is (1 - gamma) s + gamma s_batch / W_batch entry by entry (exact for these dyadic values). */
    @Test
    void blendIsTheStepwiseUpdate() {
        SufficientStats first = new SufficientStats(CovarianceType.DIAG, 1, 1);
        first.totalWeight = 4;
        first.nk[0] = 4;
        first.sumDiff[0] = 2;
        first.sumSq[0] = 8;
        SufficientStats second = new SufficientStats(CovarianceType.DIAG, 1, 1);
        second.totalWeight = 2;
        second.nk[0] = 1;
        second.sumDiff[0] = -1;
        second.sumSq[0] = 6;
        OnlineStatistics s = OnlineStatistics.first(first);
        s.blend(second, 0.25);
        SufficientStats out = s.scaledTo(1);
        assertEquals(0.75 * 1 + 0.25 * 0.5, out.nk[0], 0.0);
        assertEquals(0.75 * 0.5 + 0.25 * -0.5, out.sumDiff[0], 0.0);
        assertEquals(0.75 * 2 + 0.25 * 3, out.sumSq[0], 0.0);
    }

    /** gamma_t = (t + t0)^-alpha. */
    @Test
    void stepSizeIsThePowerLaw() {
        assertEquals(Math.pow(12, -0.6), OnlineEm.stepSize(10, 2, 0.6), 0.0);
        assertEquals(1.0 / 3, OnlineEm.stepSize(1, 2, 1), 1e-16);
    }
}
