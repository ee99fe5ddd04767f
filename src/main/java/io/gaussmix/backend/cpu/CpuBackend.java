package io.gaussmix.backend.cpu;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.parallel.UnitWorkers;

/**
 * The float64 reference backend on all cores. Rows are cut into units of {@link #UNIT} rows (fixed,
 * whatever the thread count); the workers take units from a queue, each unit's partial statistics
 * are accumulated block by block on their own, and the partials are added in unit order, so the
 * same input gives bit-identical statistics on 1 thread or 64 (on the same machine: the JIT's
 * choice of instructions, e.g. fused multiply-adds, is the machine's).
 */
public final class CpuBackend implements Backend {
    /** Rows per block: a block's log densities (BLOCK * K) stay in cache between the passes over it. */
    static final int BLOCK = 64;

    /**
     * Rows per work unit, a multiple of {@link #BLOCK} so that blocks start at the same rows in every
     * run. Big enough that a unit's fixed cost (its partial statistics and kernel scratch, about 0.5 MB
     * at K = 8, D = 64, allocated, zeroed and added once) stays near 1% of its arithmetic; small enough
     * that N = 1e5 gives 49 units, which keeps 16 workers busy to the end of a pass.
     */
    static final int UNIT = 32 * BLOCK;

    /**
     * Whether the FULL/TIED kernels use the Vector API: only when the JVM was started with the
     * incubator module (plain {@code java -jar} is not), and not turned off by
     * {@code -Dgaussmix.vector=false}. Decided once; without it {@link VectorTriangular} is never loaded.
     */
    static final boolean VECTOR_DEFAULT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty("gaussmix.vector"));

    /**
     * Smallest pass (N * K * D^2) given to the Vector API kernels. Until C2 has compiled them, Vector
     * API code runs interpreted or in C1 and allocates every vector: the first pass at N = 1e5,
     * D = 16, K = 8 took 1.6 s against 0.6 s plain (steady state 40 ms against 90 ms), so small
     * fits, which never recoup that, stay on the plain kernels. Depends on N, not on the thread
     * count or timing, so a given input always meets the same kernels. {@code -Dgaussmix.vector=always}
     * drops the limit (to run any test on the Vector API kernels).
     */
    static final long VECTOR_MIN_WORK = "always".equalsIgnoreCase(System.getProperty("gaussmix.vector")) ? 0 : 1L << 26;

    private final boolean vector;
    private final long minVectorWork;
    private final UnitWorkers workers;

    /** @param threads worker threads; 0 = one per available processor */
    public CpuBackend(int threads) {
        this(new UnitWorkers(threads), VECTOR_DEFAULT, VECTOR_MIN_WORK);
    }

    /** As {@link #CpuBackend(int)}, forcing the kernels whatever the size (tests and timings compare both). */
    CpuBackend(int threads, boolean vector) {
        this(new UnitWorkers(threads), vector, 0);
    }

    /** The default kernels on the given workers (the {@link HostScorer}'s: the shared pool). */
    CpuBackend(UnitWorkers workers) {
        this(workers, VECTOR_DEFAULT, VECTOR_MIN_WORK);
    }

    private CpuBackend(UnitWorkers workers, boolean vector, long minVectorWork) {
        if (vector && !ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            workers.close();
            throw new IllegalArgumentException("the jdk.incubator.vector module is not present");
        }
        this.vector = vector;
        this.minVectorWork = minVectorWork;
        this.workers = workers;
    }

    /**
     * Which kernels run; not the thread count, which changes no bit of a result (and the description
     * is written into the model file, which must be the same on any number of threads).
     */
    @Override
    public String description() {
        String kernels = !vector ? "" : minVectorWork > 0 ? ", Vector API for large passes" : ", Vector API";
        return "cpu (float64" + kernels + ")";
    }

    @Override
    public LoadedData load(Matrix x, double[] sampleWeights) {
        return new HostData(x, sampleWeights);
    }

    @Override
    public SufficientStats accumulate(LoadedData data, MixtureParams params) {
        HostData h = (HostData) data;
        double[] factors = triangular(params) ? TriangularPass.packedFactors(params) : null;
        SufficientStats total = workers.reduce(h.rows(), UNIT, (from, to) -> {
            SufficientStats s = new SufficientStats(params.type(), params.components(), params.dimensions());
            if (factors != null) {
                accumulateTriangular(h, newPass(params, factors, h.rows()), from, to, s);
            } else {
                accumulateRange(h, params, from, to, s);
            }
            return s;
        }, (a, b) -> {
            a.add(b);
            return a;
        });
        total.mirrorUpper();
        return total;
    }

    private static boolean triangular(MixtureParams p) {
        return p.type() == CovarianceType.FULL || p.type() == CovarianceType.TIED;
    }

    /**
     * The worker's kernels for a pass over n rows; the Vector API class is reached only through
     * its factory's base type. Any {@link KernelWarmUp} still running stops here.
     */
    private TriangularPass newPass(MixtureParams p, double[] factors, int n) {
        KernelWarmUp.realPassStarted();
        long work = (long) n * p.components() * p.dimensions() * p.dimensions();
        return vector && work >= minVectorWork ? VectorTriangular.create(p, factors) : new PlainTriangular(p, factors);
    }

    /** FULL and TIED: the same three phases per block as {@link #accumulateRange}, on packed rows. */
    private static void accumulateTriangular(HostData h, TriangularPass pass, int from, int to, SufficientStats s) {
        int k = pass.k;
        double[] x = h.x.data();
        double[] block = new double[BLOCK * k];
        for (int r0 = from; r0 < to; r0 += BLOCK) {
            int b = Math.min(BLOCK, to - r0);
            pass.logDensities(x, r0, b, block);
            s.logLikelihood += RowKernels.responsibilities(block, b, k, h.weights, r0, null);
            pass.accumulate(x, r0, b, block, s);
        }
        pass.finish(s);
        totalWeight(h, from, to, s);
    }

    /** DIAG and SPHERICAL: O(D) per row and component, plain loops. */
    private static void accumulateRange(HostData h, MixtureParams p, int from, int to, SufficientStats s) {
        int k = p.components();
        int d = p.dimensions();
        double[] x = h.x.data();
        double[] block = new double[BLOCK * k];
        double[] diff = new double[d];
        for (int r0 = from; r0 < to; r0 += BLOCK) {
            int b = Math.min(BLOCK, to - r0);
            RowKernels.logDensities(p, x, r0, b, block);
            s.logLikelihood += RowKernels.responsibilities(block, b, k, h.weights, r0, null);
            RowKernels.accumulate(p, x, r0, b, block, s, diff);
        }
        totalWeight(h, from, to, s);
    }

    private static void totalWeight(HostData h, int from, int to, SufficientStats s) {
        if (h.weights == null) {
            s.totalWeight = to - from;
        } else {
            for (int r = from; r < to; r++) {
                s.totalWeight += h.weights[r];
            }
        }
    }

    @Override
    public void logDensities(LoadedData data, MixtureParams params, double[] out) {
        int k = params.components();
        forEachBlock(data, params, (r0, b, logp) -> System.arraycopy(logp, 0, out, r0 * k, b * k));
    }

    /**
     * Computes the weighted log densities block by block on all workers and hands each block to the
     * visitor (concurrently for different units), so callers can reduce rows without N x K memory.
     */
    void forEachBlock(LoadedData data, MixtureParams params, HostScorer.BlockVisitor visitor) {
        HostData h = (HostData) data;
        int k = params.components();
        double[] factors = triangular(params) ? TriangularPass.packedFactors(params) : null;
        workers.forEach(h.rows(), UNIT, (from, to) -> {
            double[] block = new double[BLOCK * k];
            TriangularPass pass = factors == null ? null : newPass(params, factors, h.rows());
            for (int r0 = from; r0 < to; r0 += BLOCK) {
                int b = Math.min(BLOCK, to - r0);
                if (pass != null) {
                    pass.logDensities(h.x.data(), r0, b, block);
                } else {
                    RowKernels.logDensities(params, h.x.data(), r0, b, block);
                }
                visitor.visit(r0, b, block);
            }
        });
    }

    @Override
    public void close() {
        workers.close();
    }

    /** Host rows: nothing to copy. */
    private static final class HostData implements LoadedData {
        final Matrix x;
        final double[] weights;

        HostData(Matrix x, double[] weights) {
            this.x = x;
            this.weights = weights;
        }

        @Override
        public int rows() {
            return x.rows();
        }

        @Override
        public int cols() {
            return x.cols();
        }

        @Override
        public void close() {
        }
    }
}
