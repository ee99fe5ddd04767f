package io.gaussmix.backend.cpu;

import io.gaussmix.CovarianceType;
import io.gaussmix.bench.BenchData;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Where a FULL pass's time goes (a main, run by no test): one thread, the Vector API kernels, thread
 * CPU time of each phase of {@link CpuBackend}'s per-block loop summed over every block (log densities:
 * packing + Mahalanobis; responsibilities: log-sum-exp and exp; statistics: packing the kept rows,
 * sums, rank update), best of 5 passes after 5 untimed ones, on overlapping {@link BenchData} rows at
 * {@link BenchData#passParams} parameters; then the whole pass as the backend runs it, by
 * {@link TriangularPass#expectation} (which at small D does not split into those three phases), best of 5.
 * {@code java --add-modules jdk.incubator.vector -Xmx8g -cp target/classes:target/test-classes:target/gaussmix.jar
 * io.gaussmix.backend.cpu.PhaseProfile N D K} ({@code -Dprofile.float32=true}: the float32 kernels)
 */
public final class PhaseProfile {
    /** {@code -Dprofile.float32=true}: the float32 kernels ({@link Float32Triangular}) instead. */
    private static final boolean FLOAT32 = Boolean.getBoolean("profile.float32");

    private PhaseProfile() {
    }

    /** The profiles' input from N D K: overlapping {@link BenchData} rows, FULL pass parameters and their factors. */
    static final class Input {
        final int n;
        final int d;
        final int k;
        final Matrix x;
        final MixtureParams params;
        final double[] factors;

        Input(String[] args) {
            n = (int) Double.parseDouble(args[0]);
            d = Integer.parseInt(args[1]);
            k = Integer.parseInt(args[2]);
            x = BenchData.sample(n, d, k, 42, BenchData.Clusters.OVERLAPPING);
            params = BenchData.passParams(x, CovarianceType.FULL, k, 7);
            factors = TriangularPass.packedFactors(params);
        }
    }

    public static void main(String[] args) {
        Input in = new Input(args);
        int n = in.n;
        int d = in.d;
        int k = in.k;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Matrix x = in.x;
        MixtureParams p = in.params;
        double[] factors = in.factors;
        double[][] best = new double[3][];
        double[] bestT = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        for (int rep = -5; rep < 5; rep++) {
            TriangularPass pass = FLOAT32 ? Float32Triangular.create(p, factors) : VectorTriangular.create(p, factors);
            SufficientStats s = new SufficientStats(p.type(), k, d);
            int rows = pass.blockRows;
            double[] block = new double[rows * k];
            long[] t = new long[3];
            double[] xs = x.data();
            for (int r0 = 0; r0 < n; r0 += rows) {
                int b = Math.min(rows, n - r0);
                long c0 = mx.getCurrentThreadCpuTime();
                pass.logDensities(xs, r0, b, block);
                long c1 = mx.getCurrentThreadCpuTime();
                s.logLikelihood += pass.responsibilities(block, b, null, r0);
                long c2 = mx.getCurrentThreadCpuTime();
                pass.accumulate(xs, r0, b, block, s);
                long c3 = mx.getCurrentThreadCpuTime();
                t[0] += c1 - c0;
                t[1] += c2 - c1;
                t[2] += c3 - c2;
            }
            for (int i = 0; rep >= 0 && i < 3; i++) {
                bestT[i] = Math.min(bestT[i], t[i] / 1e9);
            }
        }
        double bestWhole = Double.MAX_VALUE;
        for (int rep = -5; rep < 5; rep++) {
            TriangularPass pass = FLOAT32 ? Float32Triangular.create(p, factors) : VectorTriangular.create(p, factors);
            SufficientStats s = new SufficientStats(p.type(), k, d);
            int rows = pass.blockRows;
            double[] block = new double[rows * k];
            double[] xs = x.data();
            long c0 = mx.getCurrentThreadCpuTime();
            for (int r0 = 0; r0 < n; r0 += rows) {
                s.logLikelihood += pass.expectation(xs, r0, Math.min(rows, n - r0), block, null, s);
            }
            pass.finish(s);
            if (rep >= 0) {
                bestWhole = Math.min(bestWhole, (mx.getCurrentThreadCpuTime() - c0) / 1e9);
            }
        }
        double flopHalf = (double) n * k * d * d;
        double total = Arrays.stream(bestT).sum();
        System.out.printf("N=%d D=%d K=%d, one thread, best of 5 per phase (thread CPU s):%n", n, d, k);
        String[] names = {"log densities (pack + Mahalanobis)", "responsibilities (log-sum-exp, exp)",
                "statistics (pack kept rows, sums, rank update)"};
        for (int i = 0; i < 3; i++) {
            System.out.printf("  %-48s %.3f s = %4.1f%%%s%n", names[i], bestT[i], 100 * bestT[i] / total,
                    i == 1 ? "" : String.format(", %.1f GFLOP/s under N K D^2", flopHalf / bestT[i] / 1e9));
        }
        System.out.printf("  total %.3f s = %.1f GFLOP/s under 2 N K D^2 (the timer calls included)%n", total,
                2 * flopHalf / total / 1e9);
        System.out.printf("  whole pass by expectation(), no timer calls: %.3f s = %.1f GFLOP/s under 2 N K D^2%n",
                bestWhole, 2 * flopHalf / bestWhole / 1e9);
    }
}
