package io.gaussmix.bench;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.spark.SparkGaussianMixture;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.mllib.linalg.Matrices;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.stat.distribution.MultivariateGaussian;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The Spark benchmark ({@code benchmarks/spark/run.sh}): on one Spark master, the same rows
 * ({@link BenchData}, overlapping clusters) and the same start ({@link BenchData#peerStart}, full
 * covariance), seconds per EM iteration and the final mean log-likelihood (scored by gaussmix) of
 * gaussmix on Spark (with and without the executor cache), Spark MLlib's RDD {@code GaussianMixture}
 * (setInitialModel) and its DataFrame {@code GaussianMixture} (which takes no initial model), and
 * gaussmix's library fit in this JVM. Each fit runs {@code short} and then {@code short + iters}
 * iterations with tol 0 after one untimed warm-up fit; s/iter = (long - short) / iters, so loading,
 * caching and start-up do not count. Prints one tab-separated line per peer (peer, master, N, D, K,
 * partitions, s/iter, mean log-likelihood); the script makes the table.
 *
 * <pre>java -cp CLASSPATH io.gaussmix.bench.SparkBench N D K ITERS MASTER PEERS [SCALE]
 * java -cp CLASSPATH io.gaussmix.bench.SparkBench jvm-options</pre>
 * PEERS: comma-separated of gaussmix-spark, gaussmix-spark-nocache, spark-rdd, spark-ml, gaussmix-library.
 * SCALE (default 1) multiplies every row, and so the start's means and covariances: EM is the same up to
 * the scale, but MLlib's E-step adds a constant 2.2e-16 to each weighted density (linear space), so at
 * D = 64, where the densities are near e^-97, its responsibilities all become 1/K and its fit stops at
 * one Gaussian after a few iterations; rows times 0.1 raise every density by e^147 and let it iterate.
 * This class is Spark's only user outside {@code io.gaussmix.spark}, and it is loaded only when run.
 */
public final class SparkBench {
    private static final int SHORT = 2;

    private SparkBench() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("jvm-options")) {
            // What Spark's launcher gives its JVMs on Java 17, for the script's driver, daemons and executors.
            System.out.println(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions());
            return;
        }
        if (args.length != 6 && args.length != 7) {
            System.err.println("usage: SparkBench N D K ITERS MASTER PEERS [SCALE] | SparkBench jvm-options");
            System.exit(2);
        }
        int n = Integer.parseInt(args[0]);
        int d = Integer.parseInt(args[1]);
        int k = Integer.parseInt(args[2]);
        int iters = Integer.parseInt(args[3]);
        String master = args[4];
        double scale = args.length == 7 ? Double.parseDouble(args[6]) : 1.0;
        Matrix x = scaled(BenchData.sample(n, d, k, 1), scale);
        MixtureParams start = BenchData.peerStart(x, k, 7);
        SparkSession spark = SparkSession.builder().master(master).appName("gaussmix-spark-bench")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        Path dir;
        try {
            dir = Files.createTempDirectory("gaussmix-spark-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            int partitions = spark.sparkContext().defaultParallelism();
            Dataset<Row> df = frame(spark, x, partitions, dir);
            JavaRDD<org.apache.spark.mllib.linalg.Vector> rdd = df.toJavaRDD()
                    .map(r -> org.apache.spark.mllib.linalg.Vectors.fromML((org.apache.spark.ml.linalg.Vector) r.get(0)))
                    .persist(StorageLevel.MEMORY_ONLY());
            rdd.count();
            for (String peer : args[5].split(",")) {
                IntFunction<MixtureParams> fit = switch (peer) {
                    case "gaussmix-spark" -> it -> gaussmixOnSpark(df, start, it, true);
                    case "gaussmix-spark-nocache" -> it -> gaussmixOnSpark(df, start, it, false);
                    case "spark-rdd" -> it -> sparkRdd(rdd, start, it);
                    case "spark-ml" -> it -> sparkMl(df, k, it);
                    case "gaussmix-library" -> it -> FixedFit.fit(x, FixedFit.model(start), BackendType.CPU, null, it,
                            1e-6).params();
                    default -> throw new IllegalArgumentException("unknown peer " + peer);
                };
                fit.apply(SHORT);
                long t0 = System.nanoTime();
                fit.apply(SHORT);
                long t1 = System.nanoTime();
                MixtureParams last = fit.apply(SHORT + iters);
                long t2 = System.nanoTime();
                double perIter = ((t2 - t1) - (t1 - t0)) / 1e9 / iters;
                double score = FixedFit.model(last).score(x);
                System.out.printf(Locale.ROOT, "%s\t%s\t%d\t%d\t%d\t%d\t%.4f\t%.6f%n", peer, master, n, d, k,
                        partitions, perIter, score);
            }
        } finally {
            spark.stop();
            deleteTree(dir);
        }
    }

    /**
     * The rows as a DataFrame read back from Parquet, as a cluster's data arrive. A frame built from a
     * driver-side list keeps the list in its partitions, and Spark serialises a task's partition into every
     * task of every job: each EM iteration would ship all rows to the executors again (128-512 MB here),
     * which is what the peers would then be timed on.
     */
    private static Dataset<Row> frame(SparkSession spark, Matrix x, int partitions, Path dir) {
        List<Row> rows = new ArrayList<>(x.rows());
        for (int i = 0; i < x.rows(); i++) {
            rows.add(RowFactory.create(org.apache.spark.ml.linalg.Vectors.dense(x.row(i))));
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType());
        JavaRDD<Row> parts = new JavaSparkContext(spark.sparkContext()).parallelize(rows, partitions);
        String file = dir.resolve("rows.parquet").toString();
        spark.createDataFrame(parts, schema).write().parquet(file);
        Dataset<Row> df = spark.read().parquet(file).coalesce(partitions).persist(StorageLevel.MEMORY_ONLY());
        df.count();
        return df;
    }

    private static Matrix scaled(Matrix x, double scale) {
        double[] v = x.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return Matrix.wrap(v, x.rows(), x.cols());
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind; nothing else depends on it.
        }
    }

    private static MixtureParams gaussmixOnSpark(Dataset<Row> df, MixtureParams start, int iterations, boolean cache) {
        return new SparkGaussianMixture().setInitialModel(FixedFit.model(start)).setMaxIter(iterations).setTol(0)
                .setRegCovar(1e-6).setBackend("cpu").setExecutorCache(cache).fit(df).gaussmixModel().params();
    }

    private static MixtureParams sparkRdd(JavaRDD<org.apache.spark.mllib.linalg.Vector> rdd, MixtureParams start,
                                          int iterations) {
        int k = start.components();
        int d = start.dimensions();
        // A fresh initial model for every fit: run() writes into the arrays of the one it is given.
        MultivariateGaussian[] g = new MultivariateGaussian[k];
        for (int c = 0; c < k; c++) {
            double[] mu = new double[d];
            System.arraycopy(start.means(), c * d, mu, 0, d);
            double[] cov = new double[d * d];
            System.arraycopy(start.covariances(), c * d * d, cov, 0, d * d);
            g[c] = new MultivariateGaussian(Vectors.dense(mu), Matrices.dense(d, d, cov));
        }
        org.apache.spark.mllib.clustering.GaussianMixtureModel m = new org.apache.spark.mllib.clustering.GaussianMixture()
                .setK(k).setMaxIterations(iterations).setConvergenceTol(0.0).setSeed(1)
                .setInitialModel(new org.apache.spark.mllib.clustering.GaussianMixtureModel(start.weights().clone(), g))
                .run(rdd);
        double[][] mu = new double[k][];
        double[][] cov = new double[k][];
        for (int c = 0; c < k; c++) {
            mu[c] = m.gaussians()[c].mu().toArray();
            cov[c] = m.gaussians()[c].sigma().toArray();
        }
        return params(m.weights(), mu, cov, d);
    }

    /** The DataFrame API takes no initial model: its own initialisation (seed 1), so not the common start. */
    private static MixtureParams sparkMl(Dataset<Row> df, int k, int iterations) {
        org.apache.spark.ml.clustering.GaussianMixtureModel m = new org.apache.spark.ml.clustering.GaussianMixture()
                .setK(k).setMaxIter(iterations).setTol(0.0).setSeed(1).fit(df);
        int d = m.gaussians()[0].mean().size();
        double[][] mu = new double[k][];
        double[][] cov = new double[k][];
        for (int c = 0; c < k; c++) {
            mu[c] = m.gaussians()[c].mean().toArray();
            cov[c] = m.gaussians()[c].cov().toArray();
        }
        return params(m.weights(), mu, cov, d);
    }

    /** Spark's weights, means and (column-major, symmetric) covariances as gaussmix's parameters. */
    private static MixtureParams params(double[] w, double[][] mu, double[][] cov, int d) {
        int k = w.length;
        double[] means = new double[k * d];
        double[] covs = new double[k * d * d];
        for (int c = 0; c < k; c++) {
            System.arraycopy(mu[c], 0, means, c * d, d);
            System.arraycopy(cov[c], 0, covs, c * d * d, d * d);
        }
        return MixtureParams.of(CovarianceType.FULL, w.clone(), means, covs, d);
    }
}
