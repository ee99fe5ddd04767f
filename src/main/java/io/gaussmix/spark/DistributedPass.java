package io.gaussmix.spark;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.cpu.HostScorer;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.em.EmFitter;
import io.gaussmix.em.StatisticsPass;
import io.gaussmix.math.CovarianceKind;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * One EM pass as a Spark job: the driver broadcasts the parameters, every partition runs the backend's
 * {@code accumulate} over its cached blocks, and the partitions' statistics are added in partition order,
 * whatever order the tasks finish in (Spark's {@code aggregate} and {@code treeAggregate} merge results as
 * they arrive, so their sums could differ in the last bits from run to run; this sum cannot). Above
 * {@code fanout} partitions the sum is a two-level tree: groups of {@code fanout} consecutive partitions are
 * added on the executors, each in partition order, then the groups on the driver in group order.
 *
 * <p>With a fit id, each task keeps its backend and its partition's loaded blocks in the executor's
 * {@link ExecutorCache} for the next pass (on a device: the rows stay resident); {@link #release} frees them.
 * The statistics always come from the task's own pass, so retried and duplicate tasks count nothing twice.
 *
 * <p>It is also the fit's source of worst-explained rows (re-seeds for dead components), found over all rows.
 */
final class DistributedPass implements StatisticsPass, EmFitter.WorstRowsSource {
    static final int DEFAULT_FANOUT = 32;

    private final JavaSparkContext sc;
    private final JavaRDD<RowBlock> blocks;
    private final ExecutorBackend backend;
    private final RowBlock.WeightScale weights;
    private final int fanout;
    private final String fitId;
    private String description = "spark (no pass run)";

    /** @param fitId the fit's key in the executors' caches, or null to load the blocks in every pass */
    DistributedPass(JavaSparkContext sc, JavaRDD<RowBlock> blocks, ExecutorBackend backend,
                    RowBlock.WeightScale weights, int fanout, String fitId) {
        this.sc = sc;
        this.fitId = fitId;
        this.blocks = blocks;
        this.backend = backend;
        this.weights = weights;
        this.fanout = fanout;
    }

    @Override
    public SufficientStats accumulate(MixtureParams params) {
        Broadcast<MixtureParams> p = sc.broadcast(params);
        try {
            ExecutorBackend b = backend;
            RowBlock.WeightScale ws = weights;
            String fit = fitId;
            JavaRDD<StatsPart> parts = blocks.mapPartitionsWithIndex(
                    (partition, it) -> partitionStats(partition, it, b, ws, fit, p.value()), true);
            List<StatsPart> ordered = combine(parts, params.type(), params.components(), params.dimensions());
            SufficientStats total = new SufficientStats(params.type(), params.components(), params.dimensions());
            for (StatsPart part : ordered) {
                part.addTo(total, params.type());
                description = "spark, " + parts.getNumPartitions() + " partitions, on " + part.backend();
            }
            return total;
        } finally {
            p.destroy();
        }
    }

    /** The partitions' statistics in partition order: directly, or summed by groups on the executors first. */
    private List<StatsPart> combine(JavaRDD<StatsPart> parts, CovarianceKind type, int k, int d) {
        if (parts.getNumPartitions() <= fanout) {
            return parts.collect();
        }
        int f = fanout;
        int groups = (parts.getNumPartitions() + f - 1) / f;
        List<Tuple2<Integer, StatsPart>> summed = parts.mapToPair(s -> new Tuple2<>(s.partition() / f, s))
                .groupByKey(groups)
                .mapValues(group -> sumInOrder(group, type, k, d))
                .collect();
        List<StatsPart> out = new ArrayList<>();
        summed.stream().sorted(Comparator.comparing(Tuple2::_1)).forEach(t -> out.add(t._2()));
        return out;
    }

    private static StatsPart sumInOrder(Iterable<StatsPart> group, CovarianceKind type, int k, int d) {
        List<StatsPart> sorted = new ArrayList<>();
        group.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(StatsPart::partition));
        SufficientStats total = new SufficientStats(type, k, d);
        for (StatsPart s : sorted) {
            s.addTo(total, type);
        }
        return StatsPart.of(sorted.get(0).partition(), total, sorted.get(0).backend());
    }

    /**
     * One task: the backend's pass over each of the partition's blocks, added in block order, on the blocks
     * this executor kept loaded for the partition when it has them (the partition's rows are then not read).
     */
    private static Iterator<StatsPart> partitionStats(int partition, Iterator<RowBlock> it, ExecutorBackend b,
                                                      RowBlock.WeightScale ws, String fit, MixtureParams p) {
        int device = b.taskDevice();
        ExecutorCache.Key key = fit == null ? null : new ExecutorCache.Key(fit, partition, device);
        ExecutorCache.Loaded loaded = key == null ? null : ExecutorCache.JVM.take(key);
        if (loaded == null) {
            if (!it.hasNext()) {
                return List.<StatsPart>of().iterator();
            }
            loaded = load(b.open(device), device, it, ws);
        }
        boolean passed = false;
        try {
            SufficientStats total = new SufficientStats(p.type(), p.components(), p.dimensions());
            synchronized (loaded.lock()) {
                for (LoadedData data : loaded.blocks()) {
                    total.add(loaded.backend().accumulate(data, p));
                }
            }
            passed = true;
            return List.of(StatsPart.of(partition, total, loaded.backend().description())).iterator();
        } finally {
            // A backend whose pass failed is not reused: the retry opens a fresh one.
            if (passed && key != null) {
                ExecutorCache.JVM.giveBack(key, loaded);
            } else {
                loaded.close();
            }
        }
    }

    /**
     * The partition's non-empty blocks loaded on {@code backend} as one source of rows (closed again if the load
     * fails): one pass per partition, so the backend plans that pass, and picks its kernels, by the partition's
     * rows, not by a 4096-row block's (the CPU backend keeps blocks below its Vector API threshold on its
     * plain kernels).
     */
    private static ExecutorCache.Loaded load(Backend backend, int device, Iterator<RowBlock> it,
                                             RowBlock.WeightScale ws) {
        List<Matrix> rows = new ArrayList<>();
        List<Matrix> weights = new ArrayList<>();
        while (it.hasNext()) {
            RowBlock block = it.next();
            if (block.rows() > 0) {
                rows.add(block.matrix());
                double[] w = block.fitWeights(ws);   // every block of a fit has weights, or none has
                if (w != null) {
                    weights.add(Matrix.wrap(w, block.rows(), 1));
                }
            }
        }
        List<LoadedData> loaded = new ArrayList<>();
        ExecutorCache.Loaded out = new ExecutorCache.Loaded(backend, loaded, ExecutorBackend.lockFor(backend, device));
        if (rows.isEmpty()) {
            return out;
        }
        try {
            synchronized (out.lock()) {
                loaded.add(backend.load(RowSource.of(rows), weights.isEmpty() ? null : RowSource.of(weights)));
            }
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /**
     * Frees what the executors keep of this fit: here (the driver's JVM runs the tasks in local mode) and in
     * a small job of a few tasks per core, which reaches every executor that gets one; the executors' idle
     * sweep closes what it misses. Best effort: it runs in the fit's {@code finally}, also after a failure,
     * and must not hide that failure.
     */
    void release() {
        if (fitId == null) {
            return;
        }
        String fit = fitId;
        ExecutorCache.JVM.release(fit);
        try {
            int tasks = Math.max(blocks.getNumPartitions(), 2 * sc.defaultParallelism());
            List<Integer> slots = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                slots.add(i);
            }
            sc.parallelize(slots, tasks).foreachPartition(ignored -> ExecutorCache.JVM.release(fit));
        } catch (RuntimeException e) {
            // The context may be stopping (that may be why the fit failed); the idle sweep frees the rest.
        }
    }

    /** What ran the last pass, for the fit's summary. */
    String description() {
        return description;
    }

    /**
     * The m rows of lowest log-likelihood under p over all rows, ties to the earlier row, repeated when
     * there are fewer than m rows: the library's rule ({@code em.WorstRows}), each partition proposing its m worst.
     */
    @Override
    public double[] worstRows(MixtureParams params, int m) {
        Broadcast<MixtureParams> p = sc.broadcast(params);
        try {
            List<Candidate> all = new ArrayList<>(blocks.mapPartitionsWithIndex(
                    (partition, it) -> worstInPartition(partition, it, p.value(), m), true).collect());
            all.sort(Candidate.ORDER);
            int d = params.dimensions();
            double[] out = new double[m * d];
            for (int i = 0; i < m; i++) {
                System.arraycopy(all.get(i % all.size()).values(), 0, out, i * d, d);
            }
            return out;
        } finally {
            p.destroy();
        }
    }

    /** A row and its log-likelihood, ordered by (score, partition, row): the rows' global order breaks ties. */
    record Candidate(double score, int partition, long index, double[] values) implements java.io.Serializable {
        static final Comparator<Candidate> ORDER = Comparator.comparingDouble(Candidate::score)
                .thenComparingInt(Candidate::partition).thenComparingLong(Candidate::index);
    }

    private static Iterator<Candidate> worstInPartition(int partition, Iterator<RowBlock> it, MixtureParams p, int m) {
        int d = p.dimensions();
        List<Candidate> kept = new ArrayList<>();
        long row = 0;
        // The library's host scorer in float64, as its WorstRows: re-seeding is rare and must not depend on the device.
        while (it.hasNext()) {
            RowBlock block = it.next();
            double[] scores = HostScorer.scoreSamples(block.matrix(), p);
            for (int i = 0; i < block.rows(); i++, row++) {
                double[] values = new double[d];
                System.arraycopy(block.x(), i * d, values, 0, d);
                kept.add(new Candidate(scores[i], partition, row, values));
            }
            kept.sort(Candidate.ORDER);
            if (kept.size() > m) {
                kept.subList(m, kept.size()).clear();
            }
        }
        return kept.iterator();
    }
}
