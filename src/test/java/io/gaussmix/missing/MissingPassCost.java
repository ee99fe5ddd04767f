package io.gaussmix.missing;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.cpu.CpuBackend;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.testing.SyntheticMixtures;

import java.util.Arrays;

/**
 * Not a test: measures one missing-data pass against one complete-data CpuBackend pass on the same rows
 * (N = 1e5, D = 8, K = 4, FULL; 3 patterns: 60% complete, 20% missing {1, 3}, 20% missing {0, 5, 6}).
 * Run: java -cp target/classes:target/test-classes:$(deps) io.gaussmix.missing.MissingPassCost [threads]
 */
public final class MissingPassCost {
    private MissingPassCost() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int n = 100_000;
        int d = 8;
        int k = 4;
        for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.DIAG}) {
            MixtureParams p = SyntheticMixtures.randomParams(type, k, d, 1, 3, 0);
            Matrix full = SyntheticMixtures.sample(p, n, 2);
            double[] v = full.data().clone();
            for (int r = 0; r < n; r++) {
                int[] hide = r % 5 == 3 ? new int[] {1, 3} : r % 5 == 4 ? new int[] {0, 5, 6} : new int[0];
                for (int j : hide) {
                    v[r * d + j] = Double.NaN;
                }
            }
            Matrix x = Matrix.wrap(v, n, d);
            MissingPatterns patterns = MissingPatterns.of(x, false);
            long tg = System.nanoTime();
            MissingPatterns.of(x, false);
            double groupMs = (System.nanoTime() - tg) / 1e6;
            try (CpuBackend cpu = new CpuBackend(threads); LoadedData data = cpu.load(full, null);
                 MissingDataPass pass = new MissingDataPass(x, null, patterns, threads)) {
                double[] tc = new double[15];
                double[] tm = new double[15];
                for (int i = 0; i < 15; i++) {
                    long t0 = System.nanoTime();
                    cpu.accumulate(data, p);
                    tc[i] = (System.nanoTime() - t0) / 1e6;
                    t0 = System.nanoTime();
                    pass.accumulate(p);
                    tm[i] = (System.nanoTime() - t0) / 1e6;
                }
                double c = median(Arrays.copyOfRange(tc, 5, 15));
                double m = median(Arrays.copyOfRange(tm, 5, 15));
                System.out.printf("%s: patterns=%d grouping=%.1f ms; complete-data CpuBackend.accumulate %.2f ms,"
                        + " missing-data pass %.2f ms, ratio %.2f (%s)%n", type.id(), patterns.count(), groupMs, c, m,
                        m / c, pass.description());
            }
        }
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
