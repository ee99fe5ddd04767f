package io.gaussmix.backend.cpu;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.parallel.UnitWorkers;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The float64 reference backend on all cores, with an optional float32 pass ({@link Float32Triangular}: the
 * FULL/TIED products in float32, Vector API only, guarded as the devices' float32 is). Rows are cut into
 * units of {@link #UNIT} rows (fixed, whatever the thread count); the workers take units from a queue,
 * each unit's partial statistics are accumulated block by block on their own, and the partials are added in unit order, so the
 * same input gives bit-identical statistics on 1 thread or 64 (on the same machine: the JIT's
 * choice of instructions, e.g. fused multiply-adds, is the machine's).
 *
 * <p>A source that is one in-memory matrix is read in place. Any other is streamed: every pass reads it
 * again, each unit task reading its own rows (and their weights) with {@link RowSource#read} into a
 * unit-sized buffer of its own and running the same unit kernels on them while they are in cache; the
 * unit partials are folded onto one running total in unit order ({@link UnitWorkers#fold}), window of
 * units after window of units, so the statistics are those of one matrix holding the rows, to the bit,
 * whatever the window size and however the source reads underneath. Reading in the units puts the file's
 * reading on every worker at once, in one pass over memory per value: a window read on the calling thread
 * before the workers' fold (as until issue 13) left the other cores idle during every read and took
 * three passes over memory (benchmarks/RESULTS.md, "Streamed exact EM (issue 13)").
 */
public final class CpuBackend implements Backend {
    /**
     * Rows per block: a block's log densities (BLOCK * K) stay in cache between the passes over it (the
     * triangular kernels may choose other block sizes: {@link TriangularPass#blockRows}).
     */
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

    /**
     * {@code -Dgaussmix.cpu.vectorBits}: 0 when unset or empty (the CPU's preferred width), else 256 or 512;
     * anything else is refused here, with the property's name, before {@link DoubleLanes} uses it.
     */
    static int vectorBits() {
        return vectorBits(System.getProperty("gaussmix.cpu.vectorBits"));
    }

    static int vectorBits(String bits) {
        if (bits == null || bits.isEmpty()) {
            return 0;
        }
        if (!bits.equals("256") && !bits.equals("512")) {
            throw new IllegalArgumentException("-Dgaussmix.cpu.vectorBits must be 256 or 512, not '" + bits + "'");
        }
        return Integer.parseInt(bits);
    }

    /**
     * Bytes of float64 rows per streamed window (as NpyRowSource's default window): the units queued at a
     * time (64 at D = 16), enough to keep every worker busy to a window's end; nothing of that size is
     * held, as each unit reads its own rows.
     */
    static final long WINDOW_BYTES = 16L << 20;

    private final boolean vector;
    private final long minVectorWork;
    /** FLOAT32 only with the Vector API: the products of FULL/TIED passes (of any size) are then float32. */
    private final Precision precision;
    private final UnitWorkers workers;
    /** Units per streamed window; 0 = sized by {@link #WINDOW_BYTES}. */
    private int windowUnits;

    /** @param threads worker threads; 0 = one per available processor */
    public CpuBackend(int threads) {
        this(threads, Precision.FLOAT64);
    }

    /**
     * @param threads   worker threads; 0 = one per available processor
     * @param precision FLOAT32 runs the products of FULL/TIED passes in float32 when the Vector API is
     *                  present (without it float32 would be slower than float64: the backend is then float64,
     *                  and says so in {@link #precision()} and {@link #description()}); null = FLOAT64
     */
    public CpuBackend(int threads, Precision precision) {
        this(new UnitWorkers(threads), VECTOR_DEFAULT, VECTOR_MIN_WORK, precision);
    }

    /** As {@link #CpuBackend(int)}, forcing the kernels whatever the size (tests and timings compare both). */
    CpuBackend(int threads, boolean vector) {
        this(new UnitWorkers(threads), vector, 0, Precision.FLOAT64);
    }

    /** Streams sources in windows of {@code units} units (tests cut windows at awkward places). */
    CpuBackend withWindowUnits(int units) {
        if (units < 1) {
            throw new IllegalArgumentException("window units must be >= 1, got " + units);
        }
        this.windowUnits = units;
        return this;
    }

    /** The default kernels on the given workers (the {@link HostScorer}'s: the shared pool). */
    CpuBackend(UnitWorkers workers) {
        this(workers, VECTOR_DEFAULT, VECTOR_MIN_WORK, Precision.FLOAT64);
    }

    private CpuBackend(UnitWorkers workers, boolean vector, long minVectorWork, Precision precision) {
        if (vector && !ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            workers.close();
            throw new IllegalArgumentException("the jdk.incubator.vector module is not present");
        }
        if (vector) {
            try {
                vectorBits();
            } catch (IllegalArgumentException e) {
                workers.close();
                throw e;
            }
        }
        this.vector = vector;
        this.minVectorWork = minVectorWork;
        this.precision = vector && precision == Precision.FLOAT32 ? Precision.FLOAT32 : Precision.FLOAT64;
        this.workers = workers;
    }

    /**
     * Which kernels run; not the thread count, which changes no bit of a result (and the description
     * is written into the model file, which must be the same on any number of threads).
     */
    @Override
    public String description() {
        if (!vector) {
            return "cpu (" + precision.id() + ")";   // DoubleLanes needs the vector module
        }
        boolean float64 = precision == Precision.FLOAT64;
        boolean bySize = minVectorWork > 0 && float64;   // float32 runs its kernels at every size
        String api = float64 ? DoubleLanes.bits() + "-bit Vector API" : "Vector API";
        String kernels = bySize ? ", " + api + " for large passes" : ", " + api;
        return "cpu (" + precision.id() + kernels + ")";
    }

    @Override
    public Precision precision() {
        return precision;
    }

    /** The float64 backend on as many threads (what {@link io.gaussmix.em.Float32Guard} promotes to). */
    @Override
    public Backend reopen(Precision p) {
        if (p == precision) {
            throw new IllegalArgumentException("the backend already runs in " + p);
        }
        return new CpuBackend(new UnitWorkers(workers.threads()), vector, minVectorWork, p);
    }

    @Override
    public LoadedData load(RowSource rows, RowSource sampleWeights) {
        RowSource.requireWeightsFor(sampleWeights, rows.rows());
        return new HostData(rows, sampleWeights, windowUnits);
    }

    @Override
    public SufficientStats accumulate(LoadedData data, MixtureParams params) {
        HostData h = (HostData) data;
        double[] factors = triangular(params) ? TriangularPass.packedFactors(params) : null;
        UnitWorkers.RangeTask<SufficientStats> empty = (from, to) -> newStats(params);
        // Kernels and unit partials are reused from unit to unit (a pass then allocates a set per worker and per
        // partial waiting to be folded, not per unit: new ones for every unit of 2048 rows were 64 MB a pass at
        // D = 64, K = 8); each unit still starts from zeros, so its partial is the same bits.
        Queue<TriangularPass> idlePasses = new ConcurrentLinkedQueue<>();
        Queue<SufficientStats> spareStats = new ConcurrentLinkedQueue<>();
        Window.Task<SufficientStats> unit = (w, from, to) -> {
            SufficientStats s = spareStats.poll();
            if (s == null) {
                s = newStats(params);
            }
            if (factors != null) {
                TriangularPass pass = takePass(idlePasses, params, factors, h.rows);
                accumulateTriangular(w, pass, from, to, s);
                idlePasses.add(pass);   // finish() set its sums back to 0
            } else {
                accumulateRange(w, params, from, to, s);
            }
            return s;
        };
        SufficientStats total = h.fold(workers, unit, (a, b) -> {
            a.add(b);
            b.clear();
            spareStats.add(b);
            return a;
        });
        if (total == null) {   // a streamed source of no rows: the one empty unit an in-memory pass has
            total = empty.run(0, 0);
        }
        total.mirrorUpper();
        return total;
    }

    private static SufficientStats newStats(MixtureParams p) {
        return new SufficientStats(p.type(), p.components(), p.dimensions());
    }

    private static boolean triangular(MixtureParams p) {
        return p.type() == CovarianceType.FULL || p.type() == CovarianceType.TIED;
    }

    /** An idle pass's kernels (their sums at 0) or new ones ({@link #newPass}). */
    private TriangularPass takePass(Queue<TriangularPass> idle, MixtureParams p, double[] factors, long n) {
        TriangularPass pass = idle.poll();
        return pass != null ? pass : newPass(p, factors, n);
    }

    /**
     * The worker's kernels for a pass over n rows (all the source's rows, resident or streamed, so both
     * meet the same kernels); the Vector API class is reached only through its factory's base type.
     * Any {@link KernelWarmUp} still running stops here.
     */
    private TriangularPass newPass(MixtureParams p, double[] factors, long n) {
        KernelWarmUp.realPassStarted();
        long work = n * p.components() * p.dimensions() * p.dimensions();
        if (vector && precision == Precision.FLOAT32) {
            return Float32Triangular.create(p, factors);   // asked for: at every size, warm-up or not
        }
        return vector && work >= minVectorWork ? VectorTriangular.create(p, factors) : new PlainTriangular(p, factors);
    }

    /** FULL and TIED: the same three phases per block as {@link #accumulateRange}, on packed rows. */
    private static void accumulateTriangular(Window w, TriangularPass pass, int from, int to, SufficientStats s) {
        int k = pass.k;
        int rows = pass.blockRows;
        double[] x = w.values;
        double[] block = new double[rows * k];
        for (int r0 = from; r0 < to; r0 += rows) {
            int b = Math.min(rows, to - r0);
            s.logLikelihood += pass.expectation(x, r0, b, block, w.weights, s);
        }
        pass.finish(s);
        totalWeight(w, from, to, s);
    }

    /** DIAG and SPHERICAL: O(D) per row and component, plain loops. */
    private static void accumulateRange(Window w, MixtureParams p, int from, int to, SufficientStats s) {
        int k = p.components();
        int d = p.dimensions();
        double[] x = w.values;
        double[] block = new double[BLOCK * k];
        double[] diff = new double[d];
        for (int r0 = from; r0 < to; r0 += BLOCK) {
            int b = Math.min(BLOCK, to - r0);
            RowKernels.logDensities(p, x, r0, b, block);
            s.logLikelihood += RowKernels.responsibilities(block, b, k, w.weights, r0, null);
            RowKernels.accumulate(p, x, r0, b, block, s, diff);
        }
        totalWeight(w, from, to, s);
    }

    private static void totalWeight(Window w, int from, int to, SufficientStats s) {
        if (w.weights == null) {
            s.totalWeight = to - from;
        } else {
            for (int r = from; r < to; r++) {
                s.totalWeight += w.weights[r];
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
     * The visitor's row index is an int: a streamed source of more rows fails here.
     */
    void forEachBlock(LoadedData data, MixtureParams params, HostScorer.BlockVisitor visitor) {
        forEachBlock(data, params, data.rows(), visitor);
    }

    /**
     * As {@link #forEachBlock(LoadedData, MixtureParams, HostScorer.BlockVisitor)}, with the kernels
     * chosen as for a pass over {@code passRows} rows: a block of a streamed source then meets the
     * kernels that the whole source in one matrix would, so its results are the same bits.
     */
    void forEachBlock(LoadedData data, MixtureParams params, long passRows, HostScorer.BlockVisitor visitor) {
        HostData h = (HostData) data;
        int k = params.components();
        double[] factors = triangular(params) ? TriangularPass.packedFactors(params) : null;
        Queue<TriangularPass> idlePasses = new ConcurrentLinkedQueue<>();
        h.fold(workers, (w, from, to) -> {
            TriangularPass pass = factors == null ? null : takePass(idlePasses, params, factors, passRows);
            int rows = pass == null ? BLOCK : pass.blockRows;
            double[] block = new double[rows * k];
            for (int r0 = from; r0 < to; r0 += rows) {
                int b = Math.min(rows, to - r0);
                if (pass != null) {
                    pass.logDensities(w.values, r0, b, block);
                } else {
                    RowKernels.logDensities(params, w.values, r0, b, block);
                }
                visitor.visit(Math.toIntExact(w.first + r0), b, block);
            }
            if (pass != null) {
                idlePasses.add(pass);   // log densities only: no sums to reset
            }
            return Boolean.TRUE;
        }, (a, b) -> a);
    }

    @Override
    public void close() {
        workers.close();
    }

    /**
     * Rows in memory (one array, nothing copied) or read from their source unit by unit, windows of whole
     * units at a time, so the units, hence the folded statistics, are those of one array. The weights go
     * the same way: read in place with resident rows when they are one array too, otherwise each unit's
     * weights are read from their source beside the unit's rows. A unit's buffers are taken from a pool
     * and given back after it, so a pass holds one set per running unit, whatever N is.
     */
    private static final class HostData implements LoadedData {
        final RowSource source;
        final RowSource weightSource;
        /** The rows when they and the weights are in memory (read in place); null when streamed. */
        final Matrix resident;
        /** The resident rows' weights (null: unit weights, or streamed). */
        final double[] residentWeights;
        final long rows;
        final int cols;
        final int windowRows;
        /** Unit-sized buffers for streamed rows and weights, one set per unit running at a time. */
        private final ConcurrentLinkedDeque<UnitBuffers> unitBuffers = new ConcurrentLinkedDeque<>();

        HostData(RowSource source, RowSource weights, int windowUnits) {
            Matrix m = source.asMatrix();
            Matrix w = weights == null ? null : weights.asMatrix();
            boolean inPlace = m != null && (weights == null || w != null);
            this.source = source;
            this.weightSource = weights;
            this.resident = inPlace ? m : null;
            this.residentWeights = inPlace && w != null ? w.data() : null;
            this.rows = source.rows();
            this.cols = source.cols();
            this.windowRows = windowRows(cols, windowUnits);
        }

        /**
         * Runs the unit task on every unit in row order and folds the results in unit order, as
         * {@link UnitWorkers#reduce} over all the rows does: in place for a resident matrix, otherwise
         * window after window onto one running total.
         */
        <T> T fold(UnitWorkers workers, Window.Task<T> task, java.util.function.BinaryOperator<T> combine) {
            if (resident != null) {
                Window w = new Window(resident.data(), 0, residentWeights);
                return workers.reduce(resident.rows(), UNIT, (from, to) -> task.run(w, from, to), combine);
            }
            T total = null;
            for (long first = 0; first < rows; first += windowRows) {
                long start = first;
                int n = (int) Math.min(windowRows, rows - first);
                total = workers.fold(total, n, UNIT, (from, to) -> streamedUnit(task, start + from, to - from), combine);
            }
            return total;
        }

        /** Reads the unit of {@code n} rows from row {@code first} and runs the task on it. */
        private <T> T streamedUnit(Window.Task<T> task, long first, int n) {
            UnitBuffers b = unitBuffers.pollFirst();
            if (b == null) {
                b = new UnitBuffers(cols, weightSource != null);
            }
            try {
                source.read(first, first + n, b.rows);
                if (b.weights != null) {
                    weightSource.read(first, first + n, b.weights);
                }
                return task.run(new Window(b.rows, first, b.weights), 0, n);
            } finally {
                unitBuffers.addFirst(b);
            }
        }

        @Override
        public long rows() {
            return rows;
        }

        @Override
        public int cols() {
            return cols;
        }

        @Override
        public RowSource source() {
            return source;
        }

        @Override
        public RowSource sampleWeights() {
            return weightSource;
        }

        @Override
        public void close() {
            // The source is the caller's.
        }
    }

    /** One streamed unit's rows and weights (null: unit weights). */
    private static final class UnitBuffers {
        final double[] rows;
        final double[] weights;

        UnitBuffers(int cols, boolean weighted) {
            rows = new double[UNIT * cols];
            weights = weighted ? new double[UNIT] : null;
        }
    }

    /** Rows per window when a source of {@code cols} columns is streamed with the default window. */
    public static int streamWindowRows(int cols) {
        return windowRows(cols, 0);
    }

    /**
     * Rows per streamed window: whole units, about {@code windowUnits} of them, or as many as
     * {@link #WINDOW_BYTES} of float64 rows hold when {@code windowUnits} is 0 (at least one unit).
     */
    static int windowRows(int cols, int windowUnits) {
        long units = windowUnits > 0 ? windowUnits : Math.max(1, WINDOW_BYTES / ((long) UNIT * cols * Double.BYTES));
        return (int) Math.max(UNIT, Math.min(units * UNIT, (Integer.MAX_VALUE - 8L) / cols / UNIT * UNIT));
    }

    /**
     * Rows for the unit kernels: row-major values from local row 0, the first row's index, and the weights
     * of the same rows from index 0 (all N rows for resident data, whose window starts at row 0; one
     * streamed unit's rows otherwise), or null for unit weights.
     */
    private static final class Window {
        /** Work on the window's local rows [from, to). */
        @FunctionalInterface
        interface Task<T> {
            T run(Window w, int from, int to);
        }

        final double[] values;
        final long first;
        final double[] weights;

        Window(double[] values, long first, double[] weights) {
            this.values = values;
            this.first = first;
            this.weights = weights;
        }
    }
}
