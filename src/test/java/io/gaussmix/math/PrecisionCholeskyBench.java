package io.gaussmix.math;

import io.gaussmix.parallel.UnitWorkers;

import java.lang.management.ManagementFactory;
import java.util.Random;

/**
 * Not a test: times one precision factorisation (Cholesky + U = L^-T, 2 D^3 / 3 flops) by EJML and
 * by {@link PrecisionCholesky} on 1 thread and on the shared pool. Best of a few runs after warm-up,
 * wall and process CPU seconds. Run: {@code java -cp target/classes:target/test-classes:<ejml jars>
 * io.gaussmix.math.PrecisionCholeskyBench 8 16 32 64 128 500 1000 2000}.
 */
public final class PrecisionCholeskyBench {
    public static void main(String[] args) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (UnitWorkers one = new UnitWorkers(1)) {
            System.out.printf("%6s %-10s %10s %10s %9s%n", "D", "method", "wall ms", "cpu ms", "GFLOP/s");
            for (String arg : args) {
                int d = Integer.parseInt(arg);
                double[] cov = PrecisionCholeskyTest.randomSpd(new Random(d), d, 1e3);
                double[] out = new double[d * d];
                int reps = d >= 1000 ? 2 : d >= 300 ? 4 : (int) Math.max(5, 2e8 / ((double) d * d * d));
                for (String method : new String[]{"ejml", "1 thread", "pool"}) {
                    double bestWall = Double.MAX_VALUE;
                    double bestCpu = Double.MAX_VALUE;
                    for (int round = 0; round < 4; round++) {
                        long c0 = os.getProcessCpuTime();
                        long t0 = System.nanoTime();
                        for (int r = 0; r < reps; r++) {
                            switch (method) {
                                case "ejml": PrecisionCholesky.ejml(cov, 0, d, out, 0); break;
                                case "1 thread": PrecisionCholesky.blocked(cov, 0, d, out, 0, null); break;
                                default: PrecisionCholesky.blocked(cov, 0, d, out, 0, UnitWorkers.shared());
                            }
                        }
                        bestWall = Math.min(bestWall, (System.nanoTime() - t0) / 1e6 / reps);
                        bestCpu = Math.min(bestCpu, (os.getProcessCpuTime() - c0) / 1e6 / reps);
                    }
                    double flops = 2.0 * d * d * d / 3;
                    System.out.printf("%6d %-10s %10.3f %10.3f %9.2f%n", d, method, bestWall, bestCpu, flops / bestWall / 1e6);
                }
            }
        }
    }
}
