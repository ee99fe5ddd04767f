package io.gaussmix.spark;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.io.ModelJson;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.sql.SparkSession;
import scala.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Saving and loading in Spark ML's layout, so that a {@code Pipeline} or {@code PipelineModel} holding
 * these stages saves and loads: Spark's own params metadata ({@code path/metadata}, written by its
 * default params writer), and for a model the library's model JSON ({@code path/gaussmix-model.json},
 * which {@code ModelJson.read} and the {@code gaussmix} CLI read too) and the cluster sizes.
 */
final class Persistence {
    static final String MODEL_FILE = "gaussmix-model.json";
    static final String SIZES_FILE = "cluster-sizes.txt";

    private Persistence() {
    }

    static void saveParams(Params stage, String path, SparkSession spark) {
        DefaultParamsWriter$.MODULE$.saveMetadata(stage, path, spark);
    }

    /** A stage of {@code cls} with the saved uid (made by {@code make}) and the saved params set on it. */
    static <T extends Params> T loadParams(String path, SparkSession spark, Class<T> cls, Function<String, T> make) {
        DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, spark, cls.getName());
        T stage = make.apply(metadata.uid());
        metadata.getAndSetParams(stage, Option.empty());
        return stage;
    }

    static void saveModel(SparkGaussianMixtureModel m, String path, SparkSession spark) {
        saveParams(m, path, spark);
        write(spark, new Path(path, MODEL_FILE), ModelJson.toJson(m.gaussmixModel()).toString());
        write(spark, new Path(path, SIZES_FILE), Arrays.toString(m.summary().clusterSizes()));
    }

    static SparkGaussianMixtureModel loadModel(String path, SparkSession spark) {
        GaussianMixtureModel model = readModel(spark, new Path(path, MODEL_FILE));
        String sizes = new String(read(spark, new Path(path, SIZES_FILE)), StandardCharsets.UTF_8).trim();
        long[] clusterSizes = sizes.equals("[]") ? new long[0] : Arrays.stream(sizes.substring(1, sizes.length() - 1)
                .split(",")).mapToLong(s -> Long.parseLong(s.trim())).toArray();
        return loadParams(path, spark, SparkGaussianMixtureModel.class,
                uid -> new SparkGaussianMixtureModel(uid, model, clusterSizes));
    }

    /** Through a local copy: ModelJson reads (and checks) files, and the saved path may be on HDFS or S3. */
    private static GaussianMixtureModel readModel(SparkSession spark, Path file) {
        try {
            java.nio.file.Path local = Files.createTempFile("gaussmix-model", ".json");
            try {
                Files.write(local, read(spark, file));
                return ModelJson.read(local);
            } finally {
                Files.deleteIfExists(local);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(SparkSession spark, Path file, String text) {
        try {
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (FSDataOutputStream out = fs.create(file, false)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(SparkSession spark, Path file) {
        try {
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (InputStream in = fs.open(file)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
