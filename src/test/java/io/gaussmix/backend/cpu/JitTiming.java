package io.gaussmix.backend.cpu;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.SyntheticMixtures;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The first pass's JIT cost (a main, run by no test; one configuration per JVM): process CPU of an
 * optional warm-up of the Vector API kernels on a tiny D x 2 problem, then of passes 1-4 of a FULL
 * K = 8 fit's pass on 2 threads, and the CPU the JIT compiler threads used (from /proc/self/task).
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:target/gaussmix.jar
 * io.gaussmix.backend.cpu.JitTiming N D warmupBlocks warmupD [plain|vector]}
 */
public final class JitTiming {
    private JitTiming() {
    }

    public static void main(String[] args) throws Exception {
        int n = (int) Double.parseDouble(args[0]);
        int d = Integer.parseInt(args[1]);
        int blocks = Integer.parseInt(args[2]);
        int wd = args.length > 3 ? Integer.parseInt(args[3]) : 23;
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, 8, d, 7, 3.0, 0.0);
        Matrix x = SyntheticMixtures.sample(p, n, 8);
        long c0 = os.getProcessCpuTime();
        if (blocks > 0 && Boolean.getBoolean("bg")) {
            // In the background while this thread "loads" (sleeps) for 1.5 s: the overlap a CLI could use.
            Thread t = new Thread(() -> warmUp(blocks, wd));
            t.setDaemon(true);
            t.start();
            Thread.sleep(1500);
            System.out.println("warm-up alive after the load: " + t.isAlive());
        } else if (blocks > 0) {
            warmUp(blocks, wd);
        }
        long c1 = os.getProcessCpuTime();
        System.out.printf("N=%d D=%d warm-up %d blocks at D=%d: %.2f CPU s; compilers so far %s%n", n, d, blocks, wd,
                (c1 - c0) / 1e9, compilerCpu());
        boolean vector = args.length <= 4 || !args[4].equals("plain");
        try (CpuBackend b = new CpuBackend(2, vector); LoadedData data = b.load(x, null)) {
            for (int i = 1; i <= 4; i++) {
                long t0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                SufficientStats s = b.accumulate(data, p);
                long t1 = os.getProcessCpuTime();
                System.out.printf("  pass %d: %.2f CPU s, %.2f wall s (ll %.6e); compilers %s%n", i, (t1 - t0) / 1e9,
                        (System.nanoTime() - w0) / 1e9, s.logLikelihood, compilerCpu());
            }
        }
    }

    static void warmUp(int blocks, int d) {
        int k = 2;
        double[] means = new double[k * d];
        for (int i = 0; i < means.length; i++) {
            means[i] = 0.1 * (i % 7);
        }
        MixtureParams p = MixtureParams.withIdentityCovariances(CovarianceType.FULL, means, d);
        TriangularPass pass = VectorTriangular.create(p, TriangularPass.packedFactors(p));
        int b = pass.blockRows;
        double[] x = new double[b * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(i);
        }
        double[] block = new double[b * k];
        SufficientStats s = new SufficientStats(CovarianceType.FULL, k, d);
        for (int i = 0; i < blocks; i++) {
            pass.logDensities(x, 0, b, block);
            RowKernels.responsibilities(block, b, k, null, 0, null);
            pass.accumulate(x, 0, b, block, s);
        }
    }

    /** "C1 x.xx s, C2 y.yy s": CPU of the JIT compiler threads of this process. */
    static String compilerCpu() throws Exception {
        double c1 = 0;
        double c2 = 0;
        long tick = 100;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String comm = Files.readString(t.resolve("comm")).trim();
                String[] f = Files.readString(t.resolve("stat")).substring(
                        Files.readString(t.resolve("stat")).lastIndexOf(')') + 2).split(" ");
                double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) tick;
                if (comm.startsWith("C1 Compiler")) {
                    c1 += cpu;
                } else if (comm.startsWith("C2 Compiler")) {
                    c2 += cpu;
                }
            }
        }
        return String.format("C1 %.2f s, C2 %.2f s", c1, c2);
    }
}
