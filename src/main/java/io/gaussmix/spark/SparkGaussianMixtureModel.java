package io.gaussmix.spark;

import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * A fitted {@link SparkGaussianMixture}: the library's immutable {@link GaussianMixtureModel}
 * ({@link #gaussmixModel()}) and the fit's {@link #summary()}. {@link #transform} adds the most probable
 * component ({@code predictionCol}, int), the responsibilities ({@code probabilityCol}, a dense vector) and,
 * when {@code logLikelihoodCol} is set, each row's log-likelihood (double; unset by default, as Spark ML leaves
 * optional output columns), computed on the executors by the library model's own {@code predict},
 * {@code predictProba} and {@code scoreSamples}.
 */
public final class SparkGaussianMixtureModel extends Model<SparkGaussianMixtureModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    /** Rows handed to the library model at a time inside a task. */
    private static final int TRANSFORM_BLOCK_ROWS = 4096;

    private final String uid;
    private final transient GaussianMixtureModel model;
    private final long[] clusterSizes;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> logLikelihoodCol;

    SparkGaussianMixtureModel(String uid, GaussianMixtureModel model, long[] clusterSizes) {
        this.uid = uid;
        this.model = model;
        this.clusterSizes = clusterSizes.clone();
        featuresCol = new Param<>(uid, "featuresCol", "the feature vector column (dense or sparse)");
        predictionCol = new Param<>(uid, "predictionCol", "the output column of the most probable component");
        probabilityCol = new Param<>(uid, "probabilityCol", "the output column of the responsibilities");
        logLikelihoodCol = new Param<>(uid, "logLikelihoodCol",
                "the output column of each row's log-likelihood (unset: not added)");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() { return featuresCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> probabilityCol() { return probabilityCol; }
    public Param<String> logLikelihoodCol() { return logLikelihoodCol; }

    public SparkGaussianMixtureModel setFeaturesCol(String v) { set(featuresCol, v); return this; }
    public SparkGaussianMixtureModel setPredictionCol(String v) { set(predictionCol, v); return this; }
    public SparkGaussianMixtureModel setProbabilityCol(String v) { set(probabilityCol, v); return this; }
    public SparkGaussianMixtureModel setLogLikelihoodCol(String v) { set(logLikelihoodCol, v); return this; }

    public String getFeaturesCol() { return $(featuresCol); }
    public String getPredictionCol() { return $(predictionCol); }
    public String getProbabilityCol() { return $(probabilityCol); }
    /** The log-likelihood output column, or null when unset (then transform does not add it). */
    public String getLogLikelihoodCol() { return isDefined(logLikelihoodCol) ? $(logLikelihoodCol) : null; }

    /** The library's model: {@code ModelJson.write} saves it and every library method works on it. */
    public GaussianMixtureModel gaussmixModel() {
        return model;
    }

    public SparkGaussianMixtureSummary summary() {
        return new SparkGaussianMixtureSummary(model.summary(), clusterSizes);
    }

    /**
     * Appends the prediction and probability columns (and the log-likelihood column when set). A row whose features are null, not finite or of
     * another size than the model's fails the job with a message naming the row (its place in its partition).
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        int featureIndex = dataset.schema().fieldIndex(getFeaturesCol());
        MixtureParams p = model.params();
        boolean withLogLikelihood = getLogLikelihoodCol() != null;
        MapPartitionsFunction<Row, Row> label = rows -> labelled(rows, featureIndex, p, withLogLikelihood);
        return dataset.toDF().mapPartitions(label, Encoders.row(out));
    }

    private static Iterator<Row> labelled(Iterator<Row> rows, int featureIndex, MixtureParams p,
                                          boolean withLogLikelihood) {
        GaussianMixtureModel m = DistributedFit.modelOf(p, FitSummary.notFitted());
        int d = p.dimensions();
        int k = p.components();
        return new Iterator<>() {
            private final List<Row> pending = new ArrayList<>();
            private long seen;
            private Iterator<Row> ready = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                if (!ready.hasNext() && rows.hasNext()) {
                    ready = nextBlock();
                }
                return ready.hasNext();
            }

            @Override
            public Row next() {
                hasNext();
                return ready.next();
            }

            private Iterator<Row> nextBlock() {
                pending.clear();
                double[] x = new double[TRANSFORM_BLOCK_ROWS * d];
                while (rows.hasNext() && pending.size() < TRANSFORM_BLOCK_ROWS) {
                    Row r = rows.next();
                    copyFeatures(r, featureIndex, d, seen++, x, pending.size() * d);
                    pending.add(r);
                }
                Matrix block = Matrix.wrap(Arrays.copyOf(x, pending.size() * d), pending.size(), d);
                int[] labels = m.predict(block);
                Matrix proba = m.predictProba(block);
                double[] logLikelihood = withLogLikelihood ? m.scoreSamples(block) : null;
                List<Row> out = new ArrayList<>(pending.size());
                for (int i = 0; i < pending.size(); i++) {
                    Row r = pending.get(i);
                    Object[] values = new Object[r.length() + (withLogLikelihood ? 3 : 2)];
                    for (int j = 0; j < r.length(); j++) {
                        values[j] = r.get(j);
                    }
                    values[r.length()] = labels[i];
                    values[r.length() + 1] = Vectors.dense(Arrays.copyOfRange(proba.data(), i * k, (i + 1) * k));
                    if (withLogLikelihood) {
                        values[r.length() + 2] = logLikelihood[i];
                    }
                    out.add(RowFactory.create(values));
                }
                return out.iterator();
            }
        };
    }

    private static void copyFeatures(Row r, int featureIndex, int d, long row, double[] x, int at) {
        if (r.isNullAt(featureIndex)) {
            throw new IllegalArgumentException("row " + row + " of its partition has null features");
        }
        Vector v = (Vector) r.get(featureIndex);
        if (v.size() != d) {
            throw new IllegalArgumentException("row " + row + " of its partition has " + v.size()
                    + " features but the model has " + d + " dimensions");
        }
        double[] values = v.toArray();
        for (int j = 0; j < d; j++) {
            if (!Double.isFinite(values[j])) {
                throw new IllegalArgumentException("row " + row + " of its partition has a non-finite feature: column "
                        + j + " is " + values[j]);
            }
        }
        System.arraycopy(values, 0, x, at, d);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Columns.requireVector(schema, getFeaturesCol());
        return Columns.withOutputs(schema, getPredictionCol(), getProbabilityCol(), getLogLikelihoodCol());
    }

    @Override
    public SparkGaussianMixtureModel copy(ParamMap extra) {
        SparkGaussianMixtureModel c = copyValues(new SparkGaussianMixtureModel(uid, model, clusterSizes), extra);
        return (SparkGaussianMixtureModel) c.setParent(parent());
    }

    /** Saves the params, the library model's JSON and the cluster sizes under a directory (see README, "Spark"). */
    @Override
    public MLWriter write() {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                Persistence.saveModel(SparkGaussianMixtureModel.this, path, sparkSession());
            }
        };
    }

    /** What {@code PipelineModel.load} calls for this stage. */
    public static MLReader<SparkGaussianMixtureModel> read() {
        return new MLReader<>() {
            @Override
            public SparkGaussianMixtureModel load(String path) {
                return Persistence.loadModel(path, sparkSession());
            }
        };
    }

    public static SparkGaussianMixtureModel load(String path) {
        return read().load(path);
    }
}
