package io.gaussmix.backend.cpu;

import io.gaussmix.CovarianceType;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

/**
 * Gets the Vector API kernels compiled by C2 while a command is still starting up and reading its
 * data, so that the first EM pass runs compiled code instead of paying for it.
 *
 * <p>Why: until C2 has compiled {@link VectorTriangular}, its code runs interpreted or in C1, where
 * every vector operation allocates; that cost a fixed ~2 CPU s per process (the first pass took
 * 5.4x a steady one at N = 2e5, D = 64). Reaching C2 takes a fixed number of kernel calls whatever
 * rows they see, so a warm-up before the pass only moved the cost (benchmarks/RESULTS.md). Run on
 * its own thread while the main thread starts the JVM's other code and reads the input (one core
 * busy), it uses a core that would otherwise idle.
 *
 * <p>Nothing of a fit depends on it: the warm-up works on its own synthetic block and discards what
 * it computes, and the Vector API kernels give the same bits interpreted and compiled (they use
 * FMAs and lane-wise adds only, never a {@code reduceLanes} of a sum). It stops as soon as the first real pass
 * on the triangular kernels begins (FULL, TIED), so it competes with a fit for a moment at most. The
 * command line does not start it for a DIAG or SPHERICAL fit, which never runs these kernels (one that
 * starts it anyway, from a diagonal start model, lets it run to its end on the other core).
 */
public final class KernelWarmUp {
    /**
     * Dimensions of the warm-up blocks: {@link #rowMajorDimension}, and 14 (padded to 16), which takes every
     * tile of {@link LaneStatistics}, so C2 compiles no path as never taken that real data will take.
     */
    private static final int PER_LANE = 14;
    /** Blocks run at most: enough calls for C2 to compile all kernels (measured: 300-1000). */
    private static final int MAX_BLOCKS = 1000;

    private static volatile boolean stop;

    private KernelWarmUp() {
    }

    /**
     * Starts the warm-up on a daemon thread when the CPU backend would run the Vector API kernels and
     * the machine has a second core for it; otherwise does nothing. {@code float32}: the kernels of
     * {@code --precision float32} ({@link Float32Triangular}) instead of the float64 ones.
     * {@code dimensions}: the data's D when known before the data are read (a hint: any D gives the same fit).
     */
    public static void startInBackground(boolean float32, OptionalInt dimensions) {
        if (!CpuBackend.VECTOR_DEFAULT || Runtime.getRuntime().availableProcessors() < 2) {
            return;
        }
        try {
            CpuBackend.vectorBits();
        } catch (IllegalArgumentException e) {
            return;   // the backend refuses the setting, with its name, when the command opens it
        }
        int[] blocks = dimensions(float32, dimensions);
        Thread t = new Thread(() -> run(MAX_BLOCKS, float32, blocks, () -> stop), "gaussmix-kernel-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /**
     * Called when a real pass creates its triangular kernels: with the Vector API ones the warm-up
     * has done its work; with the plain ones (a pass too small for the Vector API) it is of no use.
     */
    static void realPassStarted() {
        stop = true;
    }

    /**
     * The warm-up blocks' dimensions. With the data's D known, float64 compiles only the statistics
     * kernels that D runs (at D = 64 the per-lane ones cost 0.25 CPU s of C2 that the fit never used,
     * 0.2 s of wall time on 2 cores); float32's row-major kernels take other tile branches at each, so
     * it keeps both, as does an unknown D.
     */
    static int[] dimensions(boolean float32, OptionalInt dimensions) {
        int[] rowMajor = rowMajorDimensions();
        if (float32 || dimensions.isEmpty()) {
            int[] both = Arrays.copyOf(rowMajor, rowMajor.length + 1);
            both[rowMajor.length] = PER_LANE;
            return both;
        }
        return VectorTriangular.statisticsPerLane(dimensions.getAsInt()) ? new int[] {PER_LANE} : rowMajor;
    }

    /**
     * The row-major kernels' warm-up dimensions for the vector width ({@link DoubleLanes}): together they take
     * every tile and every loop of packing and first moments, whole vectors and scalar tails. With 4-double
     * vectors 23 (padded to 24: the 4 x 4, 4 x 3 and 8 x 2 tiles); with 8, 47 (padded to 48: 4 x 4, 4 x 3, 4 x 2
     * and 8 x 1) and 44 (whose row blocks at 4 mod 8 start at their diagonal: the 4 x 1 tile). At 23 the 4 x 4
     * tile of 32 columns never ran, and C2 compiled it, the largest kernel, during a D = 64 fit's first pass;
     * the whole process measured the same either way, as on two cores the compiling only moves, but no kernel
     * now meets real data uncompiled for want of a warm-up path.
     */
    static int[] rowMajorDimensions() {
        return DoubleLanes.LENGTH == 8 ? new int[] {47, 44} : new int[] {23};
    }

    /**
     * Components of the warm-up blocks: one more than a vector of doubles, so that both paths of the
     * per-row log-sum-exp run (a whole vector of components and a scalar tail). With 2 (4-double vectors),
     * the vector path was never taken before the first real pass, whose K = 8 rows then sent its compiled
     * code back to the interpreter: iteration 1 took 0.40 s instead of 0.30 at N = 1e6, D = 16
     * (benchmarks/RESULTS.md).
     */
    static int components() {
        return DoubleLanes.LENGTH + 1;
    }

    /**
     * Runs up to {@code blockCount} warm-up blocks of each of the given dimensions (of the float32 kernels
     * when asked), fewer once {@code stopped} says so. A float32 fit also warms up the float64 log densities
     * at the first dimension: its summary's BIC/AIC pass scores the data in float64 ({@link HostScorer}), and
     * run interpreted that one pass took 0.37 s against a float64 fit's 0.12 (N = 2e5, D = 64, K = 8).
     */
    static void run(int blockCount, boolean float32, int[] dimensions, BooleanSupplier stopped) {
        List<Block> blocks = new ArrayList<>();
        for (int d : dimensions) {
            blocks.add(new Block(d, float32, true));
        }
        if (float32) {
            blocks.add(new Block(dimensions[0], false, false));
        }
        for (int i = 0; i < blockCount && !stopped.getAsBoolean(); i++) {
            for (Block b : blocks) {
                b.run();
            }
        }
    }

    /** One synthetic block and the kernels it runs: the log densities, and with {@code statistics} a whole pass. */
    private static final class Block {
        private final TriangularPass pass;
        private final double[] rows;
        private final double[] logp;
        private final SufficientStats stats;

        Block(int d, boolean float32, boolean statistics) {
            int k = components();
            double[] means = new double[k * d];
            for (int i = 0; i < means.length; i++) {
                means[i] = 0.1 * (i % 7);
            }
            MixtureParams p = MixtureParams.withIdentityCovariances(CovarianceType.FULL, means, d);
            double[] factors = TriangularPass.packedFactors(p);
            pass = float32 ? Float32Triangular.create(p, factors) : VectorTriangular.create(p, factors);
            rows = new double[pass.blockRows * d];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = Math.sin(i);
            }
            logp = new double[pass.blockRows * k];
            stats = statistics ? new SufficientStats(CovarianceType.FULL, k, d) : null;
        }

        void run() {
            int b = pass.blockRows;
            pass.logDensities(rows, 0, b, logp);   // what scoring runs (and the BIC/AIC pass after a fit)
            if (stats != null) {
                pass.expectation(rows, 0, b, logp, null, stats);   // what an EM pass runs
                pass.finish(stats);   // once per unit in a pass: 490 times in one at N = 1e6, D = 16, interpreted 0.01-0.02 s
            }
        }
    }
}
