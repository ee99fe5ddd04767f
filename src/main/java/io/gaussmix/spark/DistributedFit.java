package io.gaussmix.spark;

import io.gaussmix.CovarianceType;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.em.FitResult;
import io.gaussmix.em.FitSettings;
import io.gaussmix.em.Float32Guard;
import io.gaussmix.backend.Precision;
import io.gaussmix.em.Restarts;
import io.gaussmix.em.SampleWeights;
import io.gaussmix.math.MixtureParams;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Function;

/**
 * A fit on Spark: the rows cached once as {@link RowBlock}s, checked in one job before any EM work, a
 * bounded sample (all rows at or below the bound) for the initialiser on the driver, then the library's
 * {@link Restarts} over a {@link DistributedPass}. The cached blocks and what the executors keep loaded
 * ({@link ExecutorCache}) are released when the fit ends, also when it fails.
 */
final class DistributedFit {
    /** Rows per cached block: 4096 rows of D = 64 are 2 MiB, small enough for any executor, large for a pass. */
    static final int BLOCK_ROWS = 4096;

    record Result(GaussianMixtureModel model, long[] clusterSizes) {
    }

    private DistributedFit() {
    }

    static Result run(Dataset<?> dataset, String featuresCol, String weightCol, FitSettings s, ExecutorBackend backend,
                      int initSampleRows, boolean executorCache) {
        return run(dataset, featuresCol, weightCol, s, backend, initSampleRows, DistributedPass.DEFAULT_FANOUT,
                executorCache);
    }

    /** @param executorCache whether the executors keep each partition loaded on its backend across passes */
    static Result run(Dataset<?> dataset, String featuresCol, String weightCol, FitSettings s, ExecutorBackend backend,
                      int initSampleRows, int fanout, boolean executorCache) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        JavaRDD<RowBlock> blocks = RowBlocks.of(dataset, featuresCol, weightCol, BLOCK_ROWS)
                .persist(StorageLevel.MEMORY_AND_DISK());
        List<DistributedPass> passes = new ArrayList<>();
        try {
            // One job reads the input, fills the cache and checks every row.
            List<InputCheck> checks = blocks.map(RowBlock::check).collect();
            Shape shape = Shape.of(checks, featuresCol, weightCol);
            s.requireFits((int) Math.min(shape.positive, Integer.MAX_VALUE), shape.cols, null,
                    weightCol == null ? "rows" : "rows with a positive weight");
            RowBlock.WeightScale scale = weightCol == null ? RowBlock.WeightScale.NONE : weightScale(blocks, shape);
            Sample sample = sample(blocks, shape, initSampleRows, s.seed());
            if (s.start() == null && sample.x.rows() < s.k()) {
                throw new IllegalArgumentException("the initialiser's sample of about initSampleRows = " + initSampleRows
                        + " of " + shape.rows + " rows drew " + sample.x.rows() + ", fewer than k = " + s.k()
                        + "; raise initSampleRows");
            }
            Function<Precision, DistributedPass> passIn = precision -> {
                DistributedPass p = new DistributedPass(sc, blocks, backend.withPrecision(precision), scale, fanout,
                        executorCache ? UUID.randomUUID().toString() : null);
                passes.add(p);
                return p;
            };
            int n = (int) Math.min(shape.rows, Integer.MAX_VALUE);
            double[] sampleWeights = SampleWeights.toMeanOne(sample.w);
            FitResult r;
            if (backend.precision() != Precision.FLOAT32) {
                DistributedPass pass = passIn.apply(backend.precision());
                r = Restarts.run(s, pass, pass, n, sample.x, sampleWeights, pass::description, 0);
            } else {
                ClusterBackend cluster = new ClusterBackend(Precision.FLOAT32, passIn);
                DistributedPass pass = passes.get(0);
                Matrix standIn = centredRangeStandIn(blocks, shape.cols);
                try (Float32Guard guard = new Float32Guard(cluster, cluster.load(standIn, null), RowSource.of(standIn), null,
                        s.listener())) {
                    r = Restarts.run(s, guard, pass, n, sample.x, sampleWeights, guard::description, 0);
                }
            }
            GaussianMixtureModel model = modelOf(r.params(), r.summary());
            return new Result(model, clusterSizes(blocks, r.params()));
        } finally {
            passes.forEach(DistributedPass::release);
            blocks.unpersist(false);
        }
    }

    /**
     * Two rows whose per-column range about their mean is the largest range of any block about its own mean:
     * all {@link Float32Guard} reads of the rows. A device centres each block it loads by the block's column
     * means before converting to float32, so that range bounds the float32 representation error of every row.
     */
    private static Matrix centredRangeStandIn(JavaRDD<RowBlock> blocks, int d) {
        double[] range = blocks.map(b -> Float32Guard.columnRange(RowSource.of(Matrix.wrap(b.x(), b.rows(), d))))
                .reduce((a, b) -> {
                    double[] m = new double[d];
                    for (int j = 0; j < d; j++) {
                        m[j] = Math.max(a[j], b[j]);
                    }
                    return m;
                });
        double[] rows = new double[2 * d];
        for (int j = 0; j < d; j++) {
            rows[j] = range[j];
            rows[d + j] = -range[j];
        }
        return Matrix.wrap(rows, 2, d);
    }

    /** The library's model of these parameters (the model's constructor is the library's own). */
    static GaussianMixtureModel modelOf(MixtureParams p, FitSummary summary) {
        return GaussianMixtureModel.of(CovarianceType.of(p.type()), p.weights(),
                Matrix.wrap(p.means(), p.components(), p.dimensions()).toRows(), p.covariances(), summary);
    }

    /** Good rows, their width, rows of positive weight and the largest weight, after the input checks passed. */
    record Shape(long rows, int cols, long positive, double maxWeight) {
        static Shape of(List<InputCheck> checks, String featuresCol, String weightCol) {
            long[] offsets = new long[checks.size()];
            long seen = 0;
            for (int i = 0; i < checks.size(); i++) {
                offsets[i] = seen;
                seen += checks.get(i).rows;
            }
            if (seen == 0) {
                throw new IllegalArgumentException("the dataset has no rows to fit");
            }
            String problems = InputCheck.problems(checks, offsets, featuresCol, weightCol);
            if (problems != null) {
                throw new IllegalArgumentException("cannot fit '" + featuresCol + "': " + problems);
            }
            int cols = checks.get(0).width;
            long positive = 0;
            double max = 0;
            for (InputCheck c : checks) {
                positive += weightCol == null ? c.rows : c.positiveWeight;
                max = Math.max(max, c.maxWeight);
            }
            if (cols == 0) {
                throw new IllegalArgumentException("cannot fit '" + featuresCol + "': its vectors have size 0");
            }
            return new Shape(seen, cols, positive, max);
        }
    }

    /** The library's mean-one rescaling: the sum of w / max added per block, the blocks in row order. */
    private static RowBlock.WeightScale weightScale(JavaRDD<RowBlock> blocks, Shape shape) {
        double max = shape.maxWeight;
        double sum = 0;
        for (double part : blocks.map(b -> {
            double t = 0;
            for (double w : b.w()) {
                t += w / max;
            }
            return t;
        }).collect()) {
            sum += part;
        }
        return new RowBlock.WeightScale(max, shape.positive / sum);
    }

    /** The initialiser's rows on the driver with their raw weights (null: none). */
    record Sample(Matrix x, double[] w) {
    }

    /**
     * All rows in their global order when there are at most {@code bound}; otherwise each row with
     * probability bound / rows, drawn from a generator seeded by the fit's seed and the block's place, so
     * the sample depends only on the data and the seed.
     */
    private static Sample sample(JavaRDD<RowBlock> blocks, Shape shape, int bound, long seed) {
        double fraction = shape.rows <= bound ? 1 : (double) bound / shape.rows;
        int d = shape.cols;
        List<RowBlock> picked = blocks.map(b -> fraction >= 1 ? b : thin(b, fraction, seed)).collect();
        int n = 0;
        for (RowBlock b : picked) {
            n += b.rows();
        }
        double[] x = new double[Math.multiplyExact(n, d)];
        boolean weighted = !picked.isEmpty() && picked.get(0).w() != null;
        double[] w = weighted ? new double[n] : null;
        int at = 0;
        for (RowBlock b : picked) {
            System.arraycopy(b.x(), 0, x, at * d, b.rows() * d);
            if (weighted) {
                System.arraycopy(b.w(), 0, w, at, b.rows());
            }
            at += b.rows();
        }
        return new Sample(Matrix.wrap(x, n, d), w);
    }

    private static RowBlock thin(RowBlock b, double fraction, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (b.partition() + 1)) ^ b.firstRow());
        int d = b.cols();
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < b.rows(); i++) {
            if (rnd.nextDouble() < fraction) {
                keep.add(i);
            }
        }
        double[] x = new double[keep.size() * d];
        double[] w = b.w() == null ? null : new double[keep.size()];
        for (int j = 0; j < keep.size(); j++) {
            System.arraycopy(b.x(), keep.get(j) * d, x, j * d, d);
            if (w != null) {
                w[j] = b.w()[keep.get(j)];
            }
        }
        return new RowBlock(b.partition(), b.firstRow(), keep.size(), d, x, w, b.check());
    }

    /** Rows per most probable component under the fitted parameters (hard counts, as Spark's summary gives). */
    private static long[] clusterSizes(JavaRDD<RowBlock> blocks, MixtureParams p) {
        int k = p.components();
        List<long[]> parts = blocks.map(b -> {
            long[] counts = new long[k];
            if (b.rows() > 0) {
                for (int c : modelOf(p, FitSummary.notFitted()).predict(b.matrix())) {
                    counts[c]++;
                }
            }
            return counts;
        }).collect();
        long[] total = new long[k];
        for (long[] c : parts) {
            for (int i = 0; i < k; i++) {
                total[i] += c[i];
            }
        }
        return total;
    }
}
