package io.gaussmix.backend.cpu;

import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Where the row-major statistics phase's time goes (a main, run by no test; D above 16, where {@link PhaseProfile}'s
 * "statistics" is one number): the responsibilities of every block are computed once, then whole passes over the
 * blocks run cumulatively more of {@link TriangularPass#accumulate}'s steps, one thread, thread CPU time, best of 8
 * after 5 untimed: (1) choosing the kept rows, (2) + {@link TriangularPass#packKept} (the packing and the first
 * moments), (3) + {@link TriangularPass#rankUpdate}; and {@code accumulate} itself. Differences give each step,
 * with one timer pair per pass (timing each call would cost as much as the packing).
 * {@code java --add-modules jdk.incubator.vector -Xmx8g -cp target/classes:target/test-classes:target/gaussmix.jar
 * io.gaussmix.backend.cpu.StatisticsProfile N D K}
 */
public final class StatisticsProfile {
    private StatisticsProfile() {
    }

    public static void main(String[] args) {
        PhaseProfile.Input in = new PhaseProfile.Input(args);
        int n = in.n;
        int d = in.d;
        int k = in.k;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        MixtureParams p = in.params;
        double[] factors = in.factors;
        double[] xs = in.x.data();
        TriangularPass first = VectorTriangular.create(p, factors);
        int rows = first.blockRows;
        double[][] g = new double[(n + rows - 1) / rows][rows * k];
        for (int r0 = 0; r0 < n; r0 += rows) {
            int b = Math.min(rows, n - r0);
            first.logDensities(xs, r0, b, g[r0 / rows]);
            first.responsibilities(g[r0 / rows], b, null, r0);
        }
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        for (int rep = -5; rep < 8; rep++) {
            for (int steps = 1; steps <= 4; steps++) {
                TriangularPass pass = VectorTriangular.create(p, factors);
                SufficientStats s = new SufficientStats(p.type(), k, d);
                long c0 = mx.getCurrentThreadCpuTime();
                for (int r0 = 0; r0 < n; r0 += rows) {
                    int b = Math.min(rows, n - r0);
                    if (steps == 4) {
                        pass.accumulate(xs, r0, b, g[r0 / rows], s);
                    } else {
                        partly(pass, xs, r0, b, g[r0 / rows], s, steps);
                    }
                }
                if (rep >= 0) {
                    best[steps - 1] = Math.min(best[steps - 1], (mx.getCurrentThreadCpuTime() - c0) / 1e9);
                }
            }
        }
        double credited = (double) n * k * d * d;
        System.out.printf("N=%d D=%d K=%d, one thread, best of 8 (thread CPU s):%n", n, d, k);
        System.out.printf("  choosing the kept rows            %.4f s%n", best[0]);
        System.out.printf("  packKept (packing, first moments) %.4f s%n", best[1] - best[0]);
        System.out.printf("  rankUpdate                        %.4f s = %.1f GFLOP/s under N K D^2%n", best[2] - best[1],
                credited / (best[2] - best[1]) / 1e9);
        System.out.printf("  accumulate, whole                 %.4f s = %.1f GFLOP/s under N K D^2%n", best[3],
                credited / best[3] / 1e9);
    }

    /** {@link TriangularPass#accumulate}'s steps up to {@code steps}: 1 the kept rows, 2 + packKept, 3 + rankUpdate. */
    private static void partly(TriangularPass pass, double[] x, int r0, int b, double[] g, SufficientStats s, int steps) {
        for (int c = 0; c < pass.k; c++) {
            int m = pass.keep(g, r0, b, c, s.nk);
            if (steps >= 2) {
                pass.packKept(x, m, c * pass.d, s.sumDiff);
            }
            if (steps >= 3) {
                pass.rankUpdate(m, c * pass.dp * pass.dp);
            }
        }
    }
}
