package io.gaussmix.spark;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitListener;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.InitMethod;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.Precision;
import io.gaussmix.em.FitSettings;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

import java.util.Locale;
import java.util.Objects;

/**
 * gaussmix's exact, log-space EM as a Spark ML estimator: the rows of a DataFrame's vector column are
 * cached once on the executors as dense float64 blocks, each EM iteration is one Spark job running a
 * gaussmix backend's fused pass on every partition, and the driver runs the library's own M-step,
 * restarts and convergence rule ({@link DistributedFit}). Defaults are the library's ({@link GaussianMixture}).
 *
 * <pre>{@code
 * SparkGaussianMixtureModel m = new SparkGaussianMixture().setK(8).setCovarianceType("diag").fit(df);
 * Dataset<Row> labelled = m.transform(df);     // + "prediction", "probability"
 * GaussianMixtureModel library = m.gaussmixModel();
 * }</pre>
 */
public final class SparkGaussianMixture extends Estimator<SparkGaussianMixtureModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    /** Rows the initialiser sees at most (a seeded sample above it; all rows, in order, at or below it). */
    public static final int DEFAULT_INIT_SAMPLE_ROWS = 100_000;

    private final String uid;
    private final IntParam k;
    private final Param<String> covarianceType;
    private final IntParam maxIter;
    private final DoubleParam tol;
    private final DoubleParam regCovar;
    private final IntParam nInit;
    private final Param<String> init;
    private final LongParam seed;
    private final Param<String> backend;
    private final Param<String> precision;
    private final IntParam initSampleRows;
    private final BooleanParam executorCache;
    private final Param<String> featuresCol;
    private final Param<String> weightCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> logLikelihoodCol;
    private transient GaussianMixtureModel initialModel;
    private transient FitListener listener = FitListener.NONE;

    public SparkGaussianMixture() {
        this(Identifiable$.MODULE$.randomUID("gaussmix"));
    }

    public SparkGaussianMixture(String uid) {
        this.uid = uid;
        k = new IntParam(uid, "k", "number of components (>= 1)", ParamValidators.gtEq(1));
        covarianceType = new Param<>(uid, "covarianceType", "full, tied, diag or spherical",
                ParamValidators.inArray(new String[]{"full", "tied", "diag", "spherical"}));
        maxIter = new IntParam(uid, "maxIter", "maximum M-steps per initialisation (>= 0)", ParamValidators.gtEq(0));
        tol = new DoubleParam(uid, "tol", "stop when the mean log-likelihood changes by less (>= 0)",
                ParamValidators.gtEq(0));
        regCovar = new DoubleParam(uid, "regCovar", "added to every covariance diagonal (>= 0)", ParamValidators.gtEq(0));
        nInit = new IntParam(uid, "nInit", "initialisations; the best final lower bound is kept (>= 1)",
                ParamValidators.gtEq(1));
        init = new Param<>(uid, "init", "kmeans, kmeans++, random or random-from-data",
                ParamValidators.inArray(new String[]{"kmeans", "kmeans++", "random", "random-from-data"}));
        seed = new LongParam(uid, "seed", "seed of every random choice");
        backend = new Param<>(uid, "backend", "where the executors run the pass: auto, cpu, opencl or cuda",
                ParamValidators.inArray(new String[]{"auto", "cpu", "opencl", "cuda"}));
        precision = new Param<>(uid, "precision",
                "the executors' pass arithmetic: float64, or float32 (a device's, or the CPU's float32 products) under the library's float32 guard",
                ParamValidators.inArray(new String[]{"float64", "float32"}));
        initSampleRows = new IntParam(uid, "initSampleRows",
                "rows the initialiser sees at most: a seeded sample above, all rows at or below (>= 1)",
                ParamValidators.gtEq(1));
        executorCache = new BooleanParam(uid, "executorCache",
                "whether each executor keeps its partitions loaded on its backend (a device: resident) across passes");
        featuresCol = new Param<>(uid, "featuresCol", "the feature vector column (dense or sparse)");
        weightCol = new Param<>(uid, "weightCol", "the sample weight column (unset: all 1)");
        predictionCol = new Param<>(uid, "predictionCol", "the output column of the most probable component");
        probabilityCol = new Param<>(uid, "probabilityCol", "the output column of the responsibilities");
        logLikelihoodCol = new Param<>(uid, "logLikelihoodCol",
                "the output column of each row's log-likelihood (unset: not added)");
        setDefault(k, 1);
        setDefault(covarianceType, CovarianceType.FULL.id());
        setDefault(maxIter, GaussianMixture.DEFAULT_MAX_ITER);
        setDefault(tol, GaussianMixture.DEFAULT_TOL);
        setDefault(regCovar, GaussianMixture.DEFAULT_REG_COVAR);
        setDefault(nInit, GaussianMixture.DEFAULT_N_INIT);
        setDefault(init, GaussianMixture.DEFAULT_INIT.id());
        setDefault(seed, GaussianMixture.DEFAULT_SEED);
        setDefault(backend, BackendType.AUTO.id());
        setDefault(precision, Precision.FLOAT64.id());
        setDefault(initSampleRows, DEFAULT_INIT_SAMPLE_ROWS);
        setDefault(executorCache, true);
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
    }

    @Override
    public String uid() {
        return uid;
    }

    // Spark finds an estimator's params through its public no-argument methods returning a Param.
    public IntParam k() { return k; }
    public Param<String> covarianceType() { return covarianceType; }
    public IntParam maxIter() { return maxIter; }
    public DoubleParam tol() { return tol; }
    public DoubleParam regCovar() { return regCovar; }
    public IntParam nInit() { return nInit; }
    public Param<String> init() { return init; }
    public LongParam seed() { return seed; }
    public Param<String> backend() { return backend; }
    public Param<String> precision() { return precision; }
    public IntParam initSampleRows() { return initSampleRows; }
    public BooleanParam executorCache() { return executorCache; }
    public Param<String> featuresCol() { return featuresCol; }
    public Param<String> weightCol() { return weightCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> probabilityCol() { return probabilityCol; }
    public Param<String> logLikelihoodCol() { return logLikelihoodCol; }

    public SparkGaussianMixture setK(int v) { return setParam(k, v); }
    public SparkGaussianMixture setCovarianceType(String v) { return setParam(covarianceType, lower(v)); }
    public SparkGaussianMixture setMaxIter(int v) { return setParam(maxIter, v); }
    public SparkGaussianMixture setTol(double v) { return setParam(tol, v); }
    public SparkGaussianMixture setRegCovar(double v) { return setParam(regCovar, v); }
    public SparkGaussianMixture setNInit(int v) { return setParam(nInit, v); }
    public SparkGaussianMixture setInit(String v) { return setParam(init, lower(v)); }
    public SparkGaussianMixture setSeed(long v) { return setParam(seed, v); }
    public SparkGaussianMixture setBackend(String v) { return setParam(backend, lower(v)); }
    public SparkGaussianMixture setPrecision(String v) { return setParam(precision, lower(v)); }
    public SparkGaussianMixture setInitSampleRows(int v) { return setParam(initSampleRows, v); }
    public SparkGaussianMixture setExecutorCache(boolean v) { return setParam(executorCache, v); }
    public SparkGaussianMixture setFeaturesCol(String v) { return setParam(featuresCol, v); }
    public SparkGaussianMixture setWeightCol(String v) { return setParam(weightCol, v); }
    public SparkGaussianMixture setPredictionCol(String v) { return setParam(predictionCol, v); }
    public SparkGaussianMixture setProbabilityCol(String v) { return setParam(probabilityCol, v); }
    public SparkGaussianMixture setLogLikelihoodCol(String v) { return setParam(logLikelihoodCol, v); }

    public int getK() { return (Integer) $(k); }
    public String getCovarianceType() { return $(covarianceType); }
    public int getMaxIter() { return (Integer) $(maxIter); }
    public double getTol() { return (Double) $(tol); }
    public double getRegCovar() { return (Double) $(regCovar); }
    public int getNInit() { return (Integer) $(nInit); }
    public String getInit() { return $(init); }
    public long getSeed() { return (Long) $(seed); }
    public String getBackend() { return $(backend); }
    public String getPrecision() { return $(precision); }
    public int getInitSampleRows() { return (Integer) $(initSampleRows); }
    public boolean getExecutorCache() { return (Boolean) $(executorCache); }
    public String getFeaturesCol() { return $(featuresCol); }
    /** The weight column, or null when unset (unit weights). */
    public String getWeightCol() { return isDefined(weightCol) ? $(weightCol) : null; }
    public String getPredictionCol() { return $(predictionCol); }
    public String getProbabilityCol() { return $(probabilityCol); }
    /** The log-likelihood output column, or null when unset (the model's transform does not add it). */
    public String getLogLikelihoodCol() { return isDefined(logLikelihoodCol) ? $(logLikelihoodCol) : null; }

    /**
     * Starts from this model's parameters (one run, nInit ignored), setting k and the covariance type to
     * its own, as the library's {@code initialModel} does; a fitted model's lower bound starts the
     * convergence test. Null removes it.
     */
    public SparkGaussianMixture setInitialModel(GaussianMixtureModel model) {
        this.initialModel = model;
        if (model != null) {
            setK(model.components());
            setCovarianceType(model.covarianceType().id());
        }
        return this;
    }

    public GaussianMixtureModel getInitialModel() {
        return initialModel;
    }

    /** Receives the driver's progress: iterations, interventions, notes (not a param: it is not saved). */
    public SparkGaussianMixture setListener(FitListener listener) {
        this.listener = listener == null ? FitListener.NONE : listener;
        return this;
    }

    /**
     * Fits on every row of the features column.
     *
     * @throws IllegalArgumentException before any EM iteration when the column is missing or not a vector,
     *                                  or when rows are null, non-finite, of unequal size, negatively weighted,
     *                                  fewer than k, or none
     */
    @Override
    public SparkGaussianMixtureModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        DistributedFit.Result r = DistributedFit.run(dataset, getFeaturesCol(), getWeightCol(), settings(),
                new ExecutorBackend(BackendType.parse(getBackend()), 0, Precision.parse(getPrecision())),
                getInitSampleRows(), getExecutorCache());
        SparkGaussianMixtureModel model = new SparkGaussianMixtureModel(uid, r.model(), r.clusterSizes());
        copyValues(model, extractParamMap());
        return (SparkGaussianMixtureModel) model.setParent(this);
    }

    /**
     * The library's settings from these params, as {@code GaussianMixture.Builder} would make them (the
     * backend options are informational here: each task opens its backend through {@link ExecutorBackend}).
     */
    FitSettings settings() {
        GaussianMixtureModel start = initialModel;
        return new FitSettings(getK(), CovarianceType.parse(getCovarianceType()), getTol(), getRegCovar(), getMaxIter(),
                getNInit(), InitMethod.parse(getInit()), start == null ? null : start.params(),
                start == null ? Double.NaN : start.summary().lowerBound(), getSeed(), listener,
                BackendType.parse(getBackend()), new BackendOptions(0, Precision.parse(getPrecision()), 0));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Columns.requireVector(schema, getFeaturesCol());
        if (getWeightCol() != null) {
            Columns.requireNumeric(schema, getWeightCol());
        }
        return Columns.withOutputs(schema, getPredictionCol(), getProbabilityCol(), getLogLikelihoodCol());
    }

    @Override
    public SparkGaussianMixture copy(ParamMap extra) {
        SparkGaussianMixture c = new SparkGaussianMixture(uid);
        copyValues(c, extra);
        c.initialModel = initialModel;
        c.listener = listener;
        return c;
    }

    private <T> SparkGaussianMixture setParam(Param<T> p, T value) {
        set(p, value);
        return this;
    }

    private static String lower(String v) {
        return Objects.requireNonNull(v).trim().toLowerCase(Locale.ROOT);
    }

    /** Saves the params (not an initial model or a listener: they are not params) for a saved {@code Pipeline}. */
    @Override
    public MLWriter write() {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                Persistence.saveParams(SparkGaussianMixture.this, path, sparkSession());
            }
        };
    }

    /** What {@code Pipeline.load} calls for this stage. */
    public static MLReader<SparkGaussianMixture> read() {
        return new MLReader<>() {
            @Override
            public SparkGaussianMixture load(String path) {
                return Persistence.loadParams(path, sparkSession(), SparkGaussianMixture.class, SparkGaussianMixture::new);
            }
        };
    }

    public static SparkGaussianMixture load(String path) {
        return read().load(path);
    }
}
