package io.gaussmix.backend.cpu;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.SyntheticMixtures;

import java.util.Arrays;
import java.util.List;

/**
 * Timing harness for the fused pass (a main, run by no test). Variants run interleaved in one JVM
 * (A, B, C, A, B, C, ...) so background load hits them alike:
 * {@code plain} / {@code vector} = CpuBackend with each kernel set forced, {@code default} =
 * {@code new CpuBackend(threads)}. Reports wall-clock median and min, process CPU time (10 ms
 * granularity here) and, per variant, the largest relative difference of its statistics from the
 * first variant's. GFLOP/s use the model 2 N K D^2 per pass.
 *
 * <pre>
 * mvn -q -o test-compile
 * mvn -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     io.gaussmix.backend.cpu.CpuPassTiming [threads] [D,...] [reps] [variant,...] [N]
 * </pre>
 */
public final class CpuPassTiming {
    private CpuPassTiming() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int[] dims = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {16, 64};
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String[] variants = args.length > 3 ? args[3].split(",") : new String[] {"plain", "vector"};
        int n = args.length > 4 ? Integer.parseInt(args[4]) : 100_000;
        // Process CPU time: on a shared, oversubscribed machine it shows the work done, not the waiting.
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        int k = 8;
        for (int d : dims) {
            MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, k, d, 7, 3.0, 0.0);
            Matrix x = SyntheticMixtures.sample(p, n, 8);
            double flop = 2.0 * n * k * (double) d * d;
            CpuBackend plain = new CpuBackend(threads, false);
            CpuBackend vector = Arrays.asList(variants).contains("vector") ? new CpuBackend(threads, true) : null;
            CpuBackend standard = new CpuBackend(threads);
            LoadedData data = plain.load(x, null);
            double[][] times = new double[variants.length][reps];
            double[][] cpu = new double[variants.length][reps];
            SufficientStats[] last = new SufficientStats[variants.length];
            for (int rep = -5; rep < reps; rep++) {
                for (int v = 0; v < variants.length; v++) {
                    long c0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    switch (variants[v]) {
                        case "plain": last[v] = plain.accumulate(data, p); break;
                        case "vector": last[v] = vector.accumulate(data, p); break;
                        default: last[v] = standard.accumulate(data, p);
                    }
                    long t1 = System.nanoTime();
                    long c1 = os.getProcessCpuTime();
                    if (rep < -2) {
                        // The first passes include JIT warm-up: interpreted Vector API code is very slow.
                        System.out.printf("D=%-3d threads=%d %-7s warm-up pass %d: %8.1f ms%n",
                                d, threads, variants[v], rep + 5, (t1 - t0) / 1e6);
                    }
                    if (rep >= 0) {
                        times[v][rep] = (t1 - t0) / 1e6;
                        cpu[v][rep] = (c1 - c0) / 1e6;
                    }
                }
            }
            for (int v = 0; v < variants.length; v++) {
                double[] t = times[v].clone();
                Arrays.sort(t);
                double med = t[t.length / 2];
                double[] c = cpu[v].clone();
                Arrays.sort(c);
                double cmed = c[c.length / 2];
                System.out.printf("D=%-3d threads=%d %-7s wall median %8.2f ms min %8.2f ms = %6.2f GFLOP/s"
                                + " | cpu median %6.0f ms = %6.2f GFLOP/s per core-second | rel diff %.1e%n",
                        d, threads, variants[v], med, t[0], flop / med / 1e6, cmed, flop / cmed / 1e6,
                        relDiff(last[0], last[v]));
            }
            plain.close();
            standard.close();
            if (vector != null) {
                vector.close();
            }
        }
    }

    /** Largest |a - b| / max(1, max |a|) over log-likelihood, N_k, sumDiff and sumSq. */
    private static double relDiff(SufficientStats a, SufficientStats b) {
        double r = Math.abs(a.logLikelihood - b.logLikelihood) / Math.max(1, Math.abs(a.logLikelihood));
        double[][] xs = {a.nk, a.sumDiff, a.sumSq};
        double[][] ys = {b.nk, b.sumDiff, b.sumSq};
        for (int q = 0; q < xs.length; q++) {
            double norm = 1;
            for (double v : xs[q]) {
                norm = Math.max(norm, Math.abs(v));
            }
            for (int i = 0; i < xs[q].length; i++) {
                r = Math.max(r, Math.abs(xs[q][i] - ys[q][i]) / norm);
            }
        }
        return r;
    }
}
