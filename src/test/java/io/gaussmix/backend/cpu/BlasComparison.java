package io.gaussmix.backend.cpu;

import dev.ludovic.netlib.blas.BLAS;
import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.bench.BenchData;
import io.gaussmix.bench.FixedFit;
import io.gaussmix.bench.FlopModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.Gaussian;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures the FULL CPU pass against a BLAS, in one run (a main, run by no test; issue #12):
 * <ol>
 *   <li>the ceiling: a 1024^3 DGEMM through netlib's {@link BLAS} (native OpenBLAS by JNI where the
 *       system has libblas.so.3, else its Vector API or F2J Java code: the line says which);</li>
 *   <li>the two products of a block on one thread, over every 64-row block of N rows, each way:
 *       y = (x - mu_k) U_k (hand kernels: {@link TriangularPass#logDensities}; BLAS: pack, dtrmm, row
 *       sums of y^2) and S_k += (g x - mu_k)^T (x - mu_k) (hand: {@link TriangularPass#accumulate}; BLAS:
 *       pack, dsyrk on sqrt(g)-scaled rows, or dgemm on the full square); GFLOP/s under D^2 flops per
 *       row and component for each product;</li>
 *   <li>whole passes on all cores ({@code new CpuBackend(0)}) at the parameters of a 10-iteration fit
 *       from the peers' start, on overlapping and on separated clusters ({@link BenchData.Clusters}),
 *       with nominal and executed GFLOP/s and their fraction of the DGEMM rate.</li>
 * </ol>
 * On a shared machine wall time measures the neighbours, so the rates are per second of CPU time:
 * part 2 in the calling thread's CPU time (with {@code OPENBLAS_NUM_THREADS=1} OpenBLAS runs in the
 * calling thread), the DGEMM and part 3 in the process's CPU time (all threads), which on a quiet
 * machine is the wall time times the cores; wall times are printed beside them. Run it twice, with
 * {@code OPENBLAS_NUM_THREADS=1} (part 2) and without (part 3, all cores):
 * <pre>
 * mvn -q -o test-compile
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(deps) \
 *     io.gaussmix.backend.cpu.BlasComparison [NxDxK,...] [blocks|pass|both]
 * </pre>
 * where deps is the test class path (the shaded target/gaussmix.jar plus the netlib blas jar will do).
 */
public final class BlasComparison {
    private static final BLAS BLAS_ = BLAS.getInstance();
    private static final int B = CpuBackend.BLOCK;
    private static final ThreadMXBean THREAD = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private BlasComparison() {
    }

    public static void main(String[] args) {
        String[] sizes = args.length > 0 ? args[0].split(",") : new String[] {"200000x64x8", "1000000x16x8"};
        String parts = args.length > 1 ? args[1] : "both";
        String threads = System.getenv("OPENBLAS_NUM_THREADS");
        System.out.printf(Locale.ROOT, "BLAS: %s, OPENBLAS_NUM_THREADS=%s, %d processors, Vector API kernels: %s%n",
                BLAS_.getClass().getName(), threads == null ? "(unset)" : threads,
                Runtime.getRuntime().availableProcessors(), CpuBackend.VECTOR_DEFAULT);
        double dgemm = dgemmRate(1024);
        for (String size : sizes) {
            String[] f = size.split("x");
            int n = Integer.parseInt(f[0]);
            int d = Integer.parseInt(f[1]);
            int k = Integer.parseInt(f[2]);
            if (!parts.equals("pass")) {
                blocks(n, d, k, dgemm);
            }
            if (!parts.equals("blocks")) {
                for (BenchData.Clusters c : BenchData.Clusters.values()) {
                    pass(n, d, k, c, dgemm);
                }
            }
        }
    }

    /**
     * Best of 5 timed 1024^3 DGEMMs after 2 untimed ones, in GFLOP/s per second of CPU time (thread CPU
     * time on one BLAS thread, process CPU time otherwise).
     */
    static double dgemmRate(int m) {
        SplittableRandom rnd = new SplittableRandom(1);
        double[] a = new double[m * m];
        double[] b = new double[m * m];
        double[] c = new double[m * m];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextDouble() - 0.5;
            b[i] = rnd.nextDouble() - 0.5;
        }
        boolean oneThread = "1".equals(System.getenv("OPENBLAS_NUM_THREADS"));
        double[] t = new double[5];
        double[] wall = new double[5];
        for (int rep = -2; rep < t.length; rep++) {
            long c0 = oneThread ? THREAD.getCurrentThreadCpuTime() : OS.getProcessCpuTime();
            long w0 = System.nanoTime();
            BLAS_.dgemm("N", "N", m, m, m, 1.0, a, m, b, m, 0.0, c, m);
            if (rep >= 0) {
                wall[rep] = (System.nanoTime() - w0) * 1e-9;
                t[rep] = ((oneThread ? THREAD.getCurrentThreadCpuTime() : OS.getProcessCpuTime()) - c0) * 1e-9;
            }
        }
        Arrays.sort(t);
        Arrays.sort(wall);
        double flops = 2.0 * m * m * m;
        double rate = flops / t[0] / 1e9;
        System.out.printf(Locale.ROOT, "DGEMM %d^3 (%s): best %.3f CPU-s = %.1f GFLOP/s per core-second (median %.1f);"
                        + " wall best %.3f s = %.1f GFLOP/s%n", m,
                oneThread ? "1 thread, thread CPU time" : "all BLAS threads, process CPU time", t[0], rate,
                flops / t[t.length / 2] / 1e9, wall[0], flops / wall[0] / 1e9);
        return rate;
    }

    /** Part 2: each product over every block of N rows, one thread, each way. */
    static void blocks(int n, int d, int k, double dgemm) {
        Matrix x = BenchData.sample(n, d, k);
        MixtureParams p = FixedFit.fit(x, FixedFit.model(BenchData.peerStart(x, k, 7)), BackendType.CPU, null, 3, 1e-6)
                .params();
        double[] factors = TriangularPass.packedFactors(p);
        double[] g = responsibilities(x, p, factors);
        double flops = (double) n * k * d * d;
        String head = String.format(Locale.ROOT, "blocks N=%d D=%d K=%d, 1 thread:", n, d, k);
        for (int rep = 0; rep < 3; rep++) {
            boolean last = rep == 2;
            report(head, "y = dU, hand (plain)", flops, time(() -> handMahalanobis(x, new PlainTriangular(p, factors))), dgemm, last);
            if (CpuBackend.VECTOR_DEFAULT) {
                report(head, "y = dU, hand (Vector API)", flops,
                        time(() -> handMahalanobis(x, VectorTriangular.create(p, factors))), dgemm, last);
            }
            report(head, "y = dU, BLAS dtrmm, 64 rows", flops, time(() -> blasMahalanobis(x, p, 64)), dgemm, last);
            report(head, "y = dU, BLAS dtrmm, 512 rows", flops, time(() -> blasMahalanobis(x, p, 512)), dgemm, last);
            report(head, "S += g d^T d, hand (plain)", flops,
                    time(() -> handStats(x, g, new PlainTriangular(p, factors))), dgemm, last);
            if (CpuBackend.VECTOR_DEFAULT) {
                report(head, "S += g d^T d, hand (Vector API)", flops,
                        time(() -> handStats(x, g, VectorTriangular.create(p, factors))), dgemm, last);
            }
            report(head, "S += g d^T d, BLAS dsyrk, 64 rows", flops, time(() -> blasStats(x, g, p, 64, false)), dgemm, last);
            report(head, "S += g d^T d, BLAS dsyrk, 512 rows", flops, time(() -> blasStats(x, g, p, 512, false)), dgemm, last);
            report(head, "S += g d^T d, BLAS dgemm, 512 rows", flops, time(() -> blasStats(x, g, p, 512, true)), dgemm, last);
        }
    }

    /** Part 3: whole passes on all cores at a 10-iteration fit's parameters. */
    static void pass(int n, int d, int k, BenchData.Clusters clusters, double dgemm) {
        Matrix x = BenchData.sample(n, d, k, clusters);
        MixtureParams p = FixedFit.fit(x, FixedFit.model(BenchData.peerStart(x, k, 7)), BackendType.CPU, null, 10, 1e-6)
                .params();
        long kept = FlopModel.keptResponsibilities(x, p);
        double nominal = FlopModel.passFlops(CovarianceType.FULL, n, d, k);
        double executed = FlopModel.executedPassFlops(CovarianceType.FULL, n, d, k, kept);
        try (CpuBackend cpu = new CpuBackend(0); LoadedData data = cpu.load(x, null)) {
            double[] t = new double[7];
            double[] cpuS = new double[7];
            for (int rep = -3; rep < t.length; rep++) {
                long c0 = OS.getProcessCpuTime();
                long t0 = System.nanoTime();
                cpu.accumulate(data, p);
                if (rep >= 0) {
                    t[rep] = (System.nanoTime() - t0) * 1e-9;
                    cpuS[rep] = (OS.getProcessCpuTime() - c0) * 1e-9;
                }
            }
            Arrays.sort(t);
            Arrays.sort(cpuS);
            double c = cpuS[cpuS.length / 2];
            System.out.printf(Locale.ROOT, "pass N=%d D=%d K=%d %-11s %s: process CPU median %.3f s, wall best %.3f s"
                            + " (median %.3f) | kept %.2f of K per row | per core-second: nominal %.1f GFLOP/s ="
                            + " %.0f%% of DGEMM, executed %.1f GFLOP/s = %.0f%%%n",
                    n, d, k, clusters.name().toLowerCase(Locale.ROOT), cpu.description(), c, t[0], t[t.length / 2],
                    kept / (double) n, nominal / c / 1e9, 100 * nominal / c / 1e9 / dgemm,
                    executed / c / 1e9, 100 * executed / c / 1e9 / dgemm);
        }
    }

    private static void report(String head, String what, double flops, double seconds, double dgemm, boolean print) {
        if (print) {
            double rate = flops / seconds / 1e9;
            System.out.printf(Locale.ROOT, "%s %-36s %8.1f ms = %6.2f GFLOP/s = %3.0f%% of DGEMM%n", head, what,
                    seconds * 1e3, rate, 100 * rate / dgemm);
        }
    }

    /** Best of 3 runs, in this thread's CPU time. */
    private static double time(Runnable r) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = THREAD.getCurrentThreadCpuTime();
            r.run();
            best = Math.min(best, (THREAD.getCurrentThreadCpuTime() - t0) * 1e-9);
        }
        return best;
    }

    /** Every row's responsibilities times its weight (1), N x K, as the pass computes them. */
    private static double[] responsibilities(Matrix x, MixtureParams p, double[] factors) {
        int n = x.rows();
        int k = p.components();
        double[] g = new double[n * k];
        TriangularPass pass = new PlainTriangular(p, factors);
        double[] block = new double[B * k];
        for (int r0 = 0; r0 < n; r0 += B) {
            int b = Math.min(B, n - r0);
            pass.logDensities(x.data(), r0, b, block);
            RowKernels.responsibilities(block, b, k, null, r0, null);
            System.arraycopy(block, 0, g, r0 * k, b * k);
        }
        return g;
    }

    private static void handMahalanobis(Matrix x, TriangularPass pass) {
        int n = x.rows();
        double[] block = new double[B * pass.k];
        for (int r0 = 0; r0 < n; r0 += B) {
            pass.logDensities(x.data(), r0, Math.min(B, n - r0), block);
        }
    }

    private static void handStats(Matrix x, double[] g, TriangularPass pass) {
        int n = x.rows();
        int k = pass.k;
        double[] block = new double[B * k];
        SufficientStats s = new SufficientStats(CovarianceType.FULL, k, pass.d);
        for (int r0 = 0; r0 < n; r0 += B) {
            int b = Math.min(B, n - r0);
            System.arraycopy(g, r0 * k, block, 0, b * k);
            pass.accumulate(x.data(), r0, b, block, s);
        }
        pass.finish(s);
    }

    /**
     * The log densities by BLAS: per block of {@code rows} rows and component, the rows minus the mean
     * packed column-major (D x rows, i.e. row-major d), then d U as dtrmm: U row-major is L = U^T
     * column-major, and (d U)^T = U^T d^T = L B.
     */
    private static void blasMahalanobis(Matrix x, MixtureParams p, int rows) {
        int n = x.rows();
        int d = p.dimensions();
        int k = p.components();
        double[] xs = x.data();
        double[] mu = p.means();
        double[] prec = p.precisionCholesky();
        double[] buf = new double[rows * d];
        double[] logp = new double[rows * k];
        for (int r0 = 0; r0 < n; r0 += rows) {
            int b = Math.min(rows, n - r0);
            for (int c = 0; c < k; c++) {
                for (int r = 0; r < b; r++) {
                    int o = (r0 + r) * d;
                    for (int i = 0; i < d; i++) {
                        buf[r * d + i] = xs[o + i] - mu[c * d + i];
                    }
                }
                BLAS_.dtrmm("L", "L", "N", "N", d, b, 1.0, prec, c * d * d, d, buf, 0, d);
                double constant = p.logWeights()[c] + p.logDetPrecChol()[c] - 0.5 * d * Gaussian.LOG_2PI;
                for (int r = 0; r < b; r++) {
                    double m = 0;
                    for (int i = 0; i < d; i++) {
                        double y = buf[r * d + i];
                        m += y * y;
                    }
                    logp[r * k + c] = constant - 0.5 * m;
                }
            }
        }
    }

    /**
     * The second moments by BLAS: per block and component, the rows minus the mean packed column-major;
     * dsyrk on the rows scaled by sqrt(g) (one triangle, as the hand kernel), or dgemm of the g-scaled
     * rows with the plain ones (the whole square: twice the arithmetic, counted once).
     */
    private static void blasStats(Matrix x, double[] g, MixtureParams p, int rows, boolean gemm) {
        int n = x.rows();
        int d = p.dimensions();
        int k = p.components();
        double[] xs = x.data();
        double[] mu = p.means();
        double[] plain = new double[rows * d];
        double[] scaled = new double[rows * d];
        double[] s = new double[k * d * d];
        for (int r0 = 0; r0 < n; r0 += rows) {
            int b = Math.min(rows, n - r0);
            for (int c = 0; c < k; c++) {
                for (int r = 0; r < b; r++) {
                    int o = (r0 + r) * d;
                    double gr = g[(r0 + r) * k + c];
                    double f = gemm ? gr : Math.sqrt(gr);
                    for (int i = 0; i < d; i++) {
                        double v = xs[o + i] - mu[c * d + i];
                        plain[r * d + i] = v;
                        scaled[r * d + i] = f * v;
                    }
                }
                if (gemm) {
                    BLAS_.dgemm("N", "T", d, d, b, 1.0, scaled, 0, d, plain, 0, d, 1.0, s, c * d * d, d);
                } else {
                    BLAS_.dsyrk("U", "N", d, b, 1.0, scaled, 0, d, 1.0, s, c * d * d, d);
                }
            }
        }
    }
}
