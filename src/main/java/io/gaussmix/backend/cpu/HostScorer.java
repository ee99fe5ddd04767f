package io.gaussmix.backend.cpu;

import io.gaussmix.backend.LoadedData;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.LogSumExp;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.parallel.UnitWorkers;

/**
 * Scores host rows under a mixture, on the CPU in float64, for everything that is not a fit's pass:
 * a fitted model's predict, score, scoreSamples, predictProba, BIC and AIC, and the rows a fit
 * re-seeds dead components at. One instance of the CPU backend's kernels on the JVM's
 * {@linkplain UnitWorkers#shared shared pool}, so no call starts threads of its own; the same
 * fixed row units as the backend's pass, so results do not depend on the number of processors.
 */
public final class HostScorer {
    /** Receives the weighted log densities of rows [r0, r0 + b), row-major b x K (the array is reused). */
    @FunctionalInterface
    public interface BlockVisitor {
        void visit(int r0, int b, double[] logp);
    }

    private HostScorer() {
    }

    /** Started on first use, with the shared pool. */
    private static final class Kernels {
        static final CpuBackend CPU = new CpuBackend(UnitWorkers.shared());
    }

    /**
     * Hands the weighted log densities log w_k + log N(x | mu_k, Sigma_k) of x's rows to the visitor,
     * block by block: concurrently for different blocks, never more than a block per worker in memory.
     * x must be finite with p's number of columns.
     */
    public static void forEachBlock(Matrix x, MixtureParams p, BlockVisitor visitor) {
        forEachBlock(x, x.rows(), p, visitor);
    }

    /**
     * As {@link #forEachBlock(Matrix, MixtureParams, BlockVisitor)} for x that is one block of a
     * streamed pass over {@code passRows} rows: the kernels are chosen by the pass's size, as for one
     * matrix holding all of them, so every row gets the same bits either way.
     */
    public static void forEachBlock(Matrix x, long passRows, MixtureParams p, BlockVisitor visitor) {
        CpuBackend cpu = Kernels.CPU;
        try (LoadedData data = cpu.load(x, null)) {
            cpu.forEachBlock(data, p, passRows, visitor);
        }
    }

    /** Each row's log-likelihood log p(x_n) under p (N). */
    public static double[] scoreSamples(Matrix x, MixtureParams p) {
        double[] out = new double[x.rows()];
        int k = p.components();
        forEachBlock(x, p, (r0, b, logp) -> {
            for (int i = 0; i < b; i++) {
                out[r0 + i] = logSumExp(logp, i * k, k);
            }
        });
        return out;
    }

    /** log sum_i exp(a[i]) over a[from, from + len), the maximum subtracted first ({@link LogSumExp}). */
    public static double logSumExp(double[] a, int from, int len) {
        return LogSumExp.of(a, from, len);
    }
}
