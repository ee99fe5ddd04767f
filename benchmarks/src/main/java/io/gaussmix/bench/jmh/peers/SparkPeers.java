package io.gaussmix.bench.jmh.peers;

import io.gaussmix.CovarianceType;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.mllib.linalg.Matrices;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;

/**
 * Apache Spark MLlib in local mode (one executor thread per core), through both APIs. Spark is not
 * in the shaded jar: run-peers.sh adds target/spark.classpath and the --add-opens list that Spark needs
 * on Java 17. The rows are cached and materialised in {@link #load}, so fits do not pay for that.
 */
final class SparkPeers {
    private SparkPeers() {
    }

    static SparkSession session() {
        int cores = Runtime.getRuntime().availableProcessors();
        SparkSession s = SparkSession.builder()
                .master("local[" + cores + "]")
                .appName("gaussmix-peers")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", String.valueOf(cores))
                .getOrCreate();
        s.sparkContext().setLogLevel("ERROR");
        return s;
    }

    static String version() {
        return org.apache.spark.package$.MODULE$.SPARK_VERSION();
    }

    static MixtureParams fromSpark(double[] w, double[][] mu, double[][] cov, int d) {
        int k = w.length;
        double[] means = new double[k * d];
        double[] covs = new double[k * d * d];
        for (int c = 0; c < k; c++) {
            System.arraycopy(mu[c], 0, means, c * d, d);
            System.arraycopy(cov[c], 0, covs, c * d * d, d * d);
        }
        return MixtureParams.of(CovarianceType.FULL, w, means, covs, d);
    }

    /** RDD API: {@code org.apache.spark.mllib.clustering.GaussianMixture} with setInitialModel. */
    static final class Rdd implements Peer {
        private SparkSession spark;
        private JavaRDD<Vector> rdd;

        @Override
        public String name() {
            return "Spark MLlib (RDD API)";
        }

        @Override
        public String version() {
            return SparkPeers.version();
        }

        @Override
        public void load(Matrix x) {
            spark = session();
            List<Vector> rows = new ArrayList<>(x.rows());
            for (int i = 0; i < x.rows(); i++) {
                rows.add(Vectors.dense(x.row(i)));
            }
            int cores = Runtime.getRuntime().availableProcessors();
            rdd = new JavaSparkContext(spark.sparkContext()).parallelize(rows, cores).persist(StorageLevel.MEMORY_ONLY());
            rdd.count();
        }

        @Override
        public MixtureParams fit(MixtureParams start, int iterations) {
            int k = start.components();
            int d = start.dimensions();
            // A fresh initial model every time: run() writes into the arrays of the one it is given.
            org.apache.spark.mllib.stat.distribution.MultivariateGaussian[] g =
                    new org.apache.spark.mllib.stat.distribution.MultivariateGaussian[k];
            for (int c = 0; c < k; c++) {
                double[] mu = new double[d];
                System.arraycopy(start.means(), c * d, mu, 0, d);
                double[] cov = new double[d * d];
                System.arraycopy(start.covariances(), c * d * d, cov, 0, d * d); // symmetric: order irrelevant
                g[c] = new org.apache.spark.mllib.stat.distribution.MultivariateGaussian(
                        Vectors.dense(mu), Matrices.dense(d, d, cov));
            }
            org.apache.spark.mllib.clustering.GaussianMixtureModel init =
                    new org.apache.spark.mllib.clustering.GaussianMixtureModel(start.weights().clone(), g);
            org.apache.spark.mllib.clustering.GaussianMixtureModel m = new org.apache.spark.mllib.clustering.GaussianMixture()
                    .setK(k).setMaxIterations(iterations).setConvergenceTol(0.0).setSeed(1).setInitialModel(init)
                    .run(rdd);
            double[][] mus = new double[k][];
            double[][] covs = new double[k][];
            for (int c = 0; c < k; c++) {
                mus[c] = m.gaussians()[c].mu().toArray();
                covs[c] = m.gaussians()[c].sigma().toArray();
            }
            return fromSpark(m.weights().clone(), mus, covs, d);
        }

        @Override
        public String note() {
            return "local[" + Runtime.getRuntime().availableProcessors() + "], setInitialModel, convergenceTol 0; "
                    + "linear-space E-step (EPSILON + w*pdf); its loop also ends when the log-likelihood stops changing "
                    + "(e.g. once collapsed), and the RDD API does not report how many iterations it ran";
        }

        @Override
        public boolean warmUpOnAllRows() {
            return true;
        }

        @Override
        public void close() {
            if (spark != null) {
                spark.stop();
            }
        }
    }

    /** DataFrame API: {@code org.apache.spark.ml.clustering.GaussianMixture}, which takes no initial model. */
    static final class DataFrame implements Peer {
        private SparkSession spark;
        private Dataset<Row> df;
        private int lastIterations = -1;

        @Override
        public int iterationsRun() {
            return lastIterations;
        }

        @Override
        public String name() {
            return "Spark ML (DataFrame API)";
        }

        @Override
        public String version() {
            return SparkPeers.version();
        }

        @Override
        public void load(Matrix x) {
            spark = session();
            List<Row> rows = new ArrayList<>(x.rows());
            for (int i = 0; i < x.rows(); i++) {
                rows.add(RowFactory.create(org.apache.spark.ml.linalg.Vectors.dense(x.row(i))));
            }
            StructType schema = new StructType().add("features", SQLDataTypes.VectorType());
            df = spark.createDataFrame(rows, schema).repartition(Runtime.getRuntime().availableProcessors()).cache();
            df.count();
        }

        @Override
        public MixtureParams fit(MixtureParams start, int iterations) {
            int k = start.components();
            int d = start.dimensions();
            org.apache.spark.ml.clustering.GaussianMixtureModel m = new org.apache.spark.ml.clustering.GaussianMixture()
                    .setK(k).setMaxIter(iterations).setTol(0.0).setSeed(1).fit(df);
            lastIterations = m.summary().numIter();
            double[][] mus = new double[k][];
            double[][] covs = new double[k][];
            for (int c = 0; c < k; c++) {
                mus[c] = m.gaussians()[c].mean().toArray();
                covs[c] = m.gaussians()[c].cov().toArray();
            }
            return fromSpark(m.weights().clone(), mus, covs, d);
        }

        @Override
        public String note() {
            return "takes no initial model (own random init, seed 1): not the common start; linear-space E-step";
        }

        @Override
        public boolean warmUpOnAllRows() {
            return true;
        }

        @Override
        public void close() {
            if (spark != null) {
                spark.stop();
            }
        }
    }
}
