package io.gaussmix;

import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.em.CompleteDataFit;
import io.gaussmix.em.FitResult;
import io.gaussmix.em.FitSettings;
import io.gaussmix.em.Initializer;
import io.gaussmix.em.SampleWeights;
import io.gaussmix.em.VariationalFit;
import io.gaussmix.missing.MissingDataFit;
import io.gaussmix.missing.MissingPatterns;

/**
 * The estimator: a Gaussian mixture fitted by EM, configured by a {@link Builder}. Immutable and
 * reusable; {@link #fit} returns an immutable {@link GaussianMixtureModel}.
 *
 * <pre>{@code
 * GaussianMixtureModel m = GaussianMixture.builder().k(3).covarianceType(CovarianceType.FULL)
 *         .nInit(5).seed(42).build().fit(Matrix.wrap(rows, n, d));
 * }</pre>
 */
public final class GaussianMixture {
    /** Default convergence threshold on the change of the mean log-likelihood per sample (scikit-learn's). */
    public static final double DEFAULT_TOL = 1e-3;
    /** Default ridge added to every covariance diagonal in every M-step (scikit-learn's). */
    public static final double DEFAULT_REG_COVAR = 1e-6;
    /** Default maximum number of M-steps per initialisation (scikit-learn's). */
    public static final int DEFAULT_MAX_ITER = 100;
    /** Default number of initialisations (scikit-learn's). */
    public static final int DEFAULT_N_INIT = 1;
    /**
     * Default initialisation: k-means, as scikit-learn's. On the reference data sets (blobs2d, blobs5d,
     * lecture1d; four covariance types; 20 seeds each) it reached a higher mean final lower bound than
     * kmeans++ in 12 of 12 cases, in fewer EM iterations (benchmarks/RESULTS.md, "Initialisations").
     */
    public static final InitMethod DEFAULT_INIT = InitMethod.KMEANS;
    /** Default seed: fits are reproducible unless a seed is chosen. */
    public static final long DEFAULT_SEED = 0;
    /**
     * Default {@link Builder#initSample}: the initialiser sees every row of up to a million (so every fit
     * that fits comfortably in memory starts exactly as it always did) and a uniform sample of a million
     * above that. A million rows place k-means++ centres of K up to hundreds with many rows per cluster;
     * the sample costs 8 D bytes a row (128 MB at D = 16) and its k-means about as much as 1e6 / N of
     * an EM pass per Lloyd iteration, small next to EM on the full data.
     */
    public static final int DEFAULT_INIT_SAMPLE = 1_000_000;

    private final FitSettings settings;
    /** The starting model as given (its parameters and lower bound are in the settings), for {@link #toBuilder}. */
    private final GaussianMixtureModel initialModel;
    private final MissingPolicy missing;
    /** One label in 0..k-1 per row to start from, or null; see {@link Builder#initLabels}. */
    private final int[] initLabels;
    /** The most rows the initialiser sees; see {@link Builder#initSample}. */
    private final int initSample;

    private GaussianMixture(Builder b) {
        if (b.initLabels != null && b.initialModel != null) {
            throw new InvalidSettingException("initLabels", "cannot be combined with a starting model (initialModel)",
                    b.initLabels.length + " labels");
        }
        this.initialModel = b.initialModel;
        this.missing = b.missing;
        this.initLabels = b.initLabels;
        this.initSample = b.initSample;
        this.settings = new FitSettings(b.k, b.covarianceType, b.tol, b.regCovar, b.maxIter, b.nInit, b.init,
                b.initialModel == null ? null : b.initialModel.params(),
                b.initialModel == null ? Double.NaN : b.initialModel.summary().lowerBound(), b.seed, b.listener,
                b.backend, new BackendOptions(b.device, b.precision, b.threads));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this estimator's settings, to derive variants (e.g. another k). */
    public Builder toBuilder() {
        FitSettings s = settings;
        BackendOptions o = s.backendOptions();
        Builder b = new Builder().k(s.k()).covarianceType(s.covarianceType()).tol(s.tol()).regCovar(s.regCovar())
                .maxIter(s.maxIter()).nInit(s.nInit()).init(s.init()).seed(s.seed()).listener(s.listener())
                .backend(s.backend()).device(o.device()).precision(o.precision()).threads(o.threads()).missing(missing)
                .initSample(initSample);
        b.initialModel = initialModel;
        b.initLabels = initLabels;
        return b;
    }

    public int k() {
        return settings.k();
    }

    public CovarianceType covarianceType() {
        return settings.covarianceType();
    }

    public MissingPolicy missing() {
        return missing;
    }

    /** The most rows the initialiser sees; see {@link Builder#initSample}. */
    public int initSample() {
        return initSample;
    }

    /** The validated settings, for {@link OnlineGaussianMixture}. */
    FitSettings settings() {
        return settings;
    }

    /** Whether the fit starts from {@link Builder#initLabels} (labels of a fit's rows), for {@link OnlineGaussianMixture}. */
    boolean startsFromLabels() {
        return initLabels != null;
    }

    /**
     * Fits on rows x (N x D, float64, finite; with {@link MissingPolicy#EM} NaN marks a missing value)
     * with unit sample weights.
     */
    public GaussianMixtureModel fit(Matrix x) {
        return fit(x, null);
    }

    /**
     * Fits on rows x with per-row sample weights (N finite values >= 0, positive sum; null = all 1).
     * A weight w counts the row as w repeated rows: fitting with integer weights equals fitting on repeated
     * rows, and multiplying every weight by the same positive constant gives the same model. At least k
     * rows must have a positive weight.
     *
     * @throws IllegalArgumentException for bad input, naming what and where
     * @throws io.gaussmix.em.FitFailedException when a component cannot be repaired
     * @throws io.gaussmix.backend.BackendUnavailableException when an explicitly requested backend cannot run
     */
    public GaussianMixtureModel fit(Matrix x, double[] sampleWeights) {
        boolean em = missing == MissingPolicy.EM;
        Validation.requireData(x, 0, "data", em);
        Validation.requireSampleWeights(sampleWeights, x.rows());
        MissingPatterns patterns = em ? MissingPatterns.of(x, false) : null;
        boolean incomplete = patterns != null && patterns.hasMissing();
        FitSettings s = initLabels == null ? settings : startFromLabels(x, sampleWeights, incomplete);
        FitResult r = incomplete
                ? MissingDataFit.run(s, x, sampleWeights, patterns)
                : CompleteDataFit.run(s, RowSource.of(x), sampleWeights, 0, initSample);
        return new GaussianMixtureModel(r.params(), r.summary());
    }

    /** Fits on the rows of a source (N a long) with unit sample weights; see {@link #fit(RowSource, RowSource)}. */
    public GaussianMixtureModel fit(RowSource rows) {
        return fit(rows, (RowSource) null);
    }

    /**
     * {@link #fit(RowSource, RowSource)} with the weights in memory, one per row (null = all 1).
     */
    public GaussianMixtureModel fit(RowSource rows, double[] sampleWeights) {
        return fit(rows, RowSource.ofColumn(sampleWeights));
    }

    /**
     * Fits on the rows of a source, which may hold more rows than memory: a source that is one in-memory
     * matrix ({@link RowSource#asMatrix()}) is fitted exactly as {@link #fit(Matrix, double[])} fits it;
     * any other is streamed, one pass per EM iteration, after one sequential pass that draws the
     * initialiser's sample ({@link Builder#initSample}) and checks every value: a non-finite value fails
     * the fit there, naming its row and column, before any EM iteration. On the CPU the statistics are
     * bit-identical to those of one matrix holding the same rows. The source stays open (and is the
     * caller's to close) while this runs.
     *
     * <p>Missing-data EM and a start from {@link Builder#initLabels} need the rows in memory: a streamed
     * source is then read into one matrix, or refused in one line giving the memory it needs.
     *
     * @param sampleWeights null (all 1), or a one-column source of one weight per row (e.g. an
     *                      {@code io.NpyRowSource} of a weights file), finite and >= 0, not all 0; with
     *                      streamed rows it is streamed too, read in windows in step with them (two passes
     *                      check and scale it before the fit), so a weighted fit never holds N weights;
     *                      the same bits as the same weights in memory. Kept open by the caller, as the rows.
     */
    public GaussianMixtureModel fit(RowSource rows, RowSource sampleWeights) {
        java.util.Objects.requireNonNull(rows, "rows");
        RowSource.requireWeightsFor(sampleWeights, rows.rows());
        Matrix whole = rows.asMatrix();
        if (whole != null) {
            return fit(whole, sampleWeights == null ? null : Matrix.copyOf(sampleWeights).data());
        }
        if (rows.rows() == 0) {
            throw new IllegalArgumentException("data has no rows");
        }
        if (sampleWeights != null && sampleWeights.asMatrix() != null) {
            Validation.requireSampleWeights(sampleWeights.asMatrix().data(), rows.rows());
        }
        if (missing == MissingPolicy.EM || initLabels != null) {
            String what = missing == MissingPolicy.EM ? "missing(MissingPolicy.EM)" : "initLabels";
            return fit(inMemory(rows, what), sampleWeights == null ? null : Matrix.copyOf(sampleWeights).data());
        }
        FitResult r = CompleteDataFit.run(settings, rows, sampleWeights, 0, initSample);
        return new GaussianMixtureModel(r.params(), r.summary());
    }

    /** The source's rows as one matrix for a path that needs them in memory, or one line saying how much that is. */
    private static Matrix inMemory(RowSource rows, String what) {
        long bytes = rows.rows() * rows.cols() * (long) Double.BYTES;
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (rows.rows() * rows.cols() > Integer.MAX_VALUE - 8 || bytes > free * 0.9) {
            throw new IllegalArgumentException(what + " needs the data in memory: " + rows.rows() + " rows x "
                    + rows.cols() + " columns of float64 are " + bytes + " bytes, but the heap has about " + free
                    + " free; give the JVM more heap (-Xmx) or fit without " + what);
        }
        return Matrix.copyOf(rows);
    }

    /**
     * The variational Bayesian mixture of scikit-learn's {@code BayesianGaussianMixture}, with these
     * settings (k is an upper bound on the components; tol applies to the total lower bound, as
     * scikit-learn's does; regCovar is added to each component's sample covariance) and the given priors,
     * on the chosen backend through the same pass as EM. Starts from {@link Builder#initLabels} when given,
     * otherwise from {@code init} ({@code nInit} runs, the best final lower bound kept). Dead components
     * are not repaired: switching them off is what the prior is for. Complete rows only.
     *
     * @param sampleWeights null = all 1; scaled to mean 1 (the priors weigh against the number of rows)
     * @throws IllegalArgumentException for bad input or priors of the wrong shape
     */
    public BayesianFit fitBayesian(Matrix x, double[] sampleWeights, BayesianPriors priors) {
        java.util.Objects.requireNonNull(priors, "priors");
        if (initialModel != null) {
            throw new IllegalArgumentException("initialModel: a variational fit cannot start from a model's parameters;"
                    + " use initLabels (e.g. the model's predict) instead");
        }
        Validation.requireData(x, 0, "data", false);
        Validation.requireSampleWeights(sampleWeights, x.rows());
        return VariationalFit.run(settings, priors, x, sampleWeights, initLabels);
    }

    /**
     * The settings with the start replaced by the M-step of the given labels (computed here, on the host,
     * so that every backend starts from the same parameters; a start from labels is not a fitted model,
     * so the convergence test starts from scratch).
     */
    private FitSettings startFromLabels(Matrix x, double[] sampleWeights, boolean incomplete) {
        if (incomplete) {
            throw new IllegalArgumentException("initLabels: a start from labels needs complete rows, but the data"
                    + " has missing values");
        }
        FitSettings s = settings;
        var start = Initializer.fromGivenLabels(x, SampleWeights.toMeanOne(sampleWeights), initLabels, s.k(),
                s.covarianceType(), s.regCovar(), s.listener()::onIntervention);
        return new FitSettings(s.k(), s.covarianceType(), s.tol(), s.regCovar(), s.maxIter(), s.nInit(), s.init(),
                start, Double.NaN, s.seed(), s.listener(), s.backend(), s.backendOptions());
    }

    /**
     * Settings with scikit-learn's defaults (k 1, FULL, tol 1e-3, regCovar 1e-6, maxIter 100, nInit 1, the
     * k-means start {@link InitMethod#KMEANS}), plus seed 0 (scikit-learn's is random) and the AUTO backend. Each setter validates its value and
     * throws an {@link InvalidSettingException} naming the setting.
     */
    public static final class Builder {
        private int k = 1;
        private CovarianceType covarianceType = CovarianceType.FULL;
        private double tol = DEFAULT_TOL;
        private double regCovar = DEFAULT_REG_COVAR;
        private int maxIter = DEFAULT_MAX_ITER;
        private int nInit = DEFAULT_N_INIT;
        private InitMethod init = DEFAULT_INIT;
        private GaussianMixtureModel initialModel;
        private long seed = DEFAULT_SEED;
        private FitListener listener = FitListener.NONE;
        private BackendType backend = BackendType.AUTO;
        private int device = 0;
        private Precision precision;
        private int threads = 0;
        private MissingPolicy missing = MissingPolicy.REJECT;
        private int[] initLabels;
        private int initSample = DEFAULT_INIT_SAMPLE;

        private Builder() {
        }

        /**
         * Starts from a hard assignment: one label in 0..k-1 per row of the data the estimator will fit
         * (null = no labels). The starting parameters are the M-step of the one-hot responsibilities, as
         * scikit-learn's {@code _initialize(X, resp)} computes them (weights, means and covariances of each
         * label's rows, with regCovar and the 10 eps guard on the counts); {@link #init} and {@link #nInit}
         * are then unused (one deterministic start). Every label must have at least one row of positive
         * sample weight, and the data must be complete; the fit checks both, naming the row or label.
         * Cannot be combined with {@link #initialModel}.
         */
        public Builder initLabels(int[] labels) {
            if (labels != null && labels.length == 0) {
                throw new InvalidSettingException("initLabels", "must hold one label per row", "no labels");
            }
            this.initLabels = labels == null ? null : labels.clone();
            return this;
        }

        /**
         * What to do with missing values (NaN): {@link MissingPolicy#REJECT} (default) fails naming the
         * row and column; {@link MissingPolicy#EM} fits by the exact EM for values missing at random.
         */
        public Builder missing(MissingPolicy policy) {
            this.missing = java.util.Objects.requireNonNull(policy, "missing");
            return this;
        }

        /** Number of components, >= 1. */
        public Builder k(int k) {
            if (k < 1) {
                throw new InvalidSettingException("k", "must be >= 1", k);
            }
            this.k = k;
            return this;
        }

        public Builder covarianceType(CovarianceType t) {
            this.covarianceType = java.util.Objects.requireNonNull(t, "covarianceType");
            return this;
        }

        /** Stop when the mean log-likelihood per sample changes by less than this (>= 0; 0 = run maxIter). */
        public Builder tol(double tol) {
            if (!(tol >= 0) || Double.isInfinite(tol)) {
                throw new InvalidSettingException("tol", "must be finite and >= 0", tol);
            }
            this.tol = tol;
            return this;
        }

        /** Added to every covariance diagonal in every M-step (>= 0). */
        public Builder regCovar(double regCovar) {
            if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
                throw new InvalidSettingException("regCovar", "must be finite and >= 0", regCovar);
            }
            this.regCovar = regCovar;
            return this;
        }

        /**
         * Maximum number of M-steps per initialisation, >= 0. With 0 no EM step runs: the model is the
         * initialisation (or the starting model) itself, not converged, with no lower bound (NaN) unless a
         * fitted starting model brought one; useful to inspect or save a start.
         */
        public Builder maxIter(int maxIter) {
            if (maxIter < 0) {
                throw new InvalidSettingException("maxIter", "must be >= 0", maxIter);
            }
            this.maxIter = maxIter;
            return this;
        }

        /** Number of initialisations; the one with the best final lower bound is kept. */
        public Builder nInit(int nInit) {
            if (nInit < 1) {
                throw new InvalidSettingException("nInit", "must be >= 1", nInit);
            }
            this.nInit = nInit;
            return this;
        }

        /** How starting parameters are chosen (default {@link #DEFAULT_INIT}); ignored with a starting model. */
        public Builder init(InitMethod init) {
            this.init = java.util.Objects.requireNonNull(init, "init");
            return this;
        }

        /**
         * Starts from the parameters of this model (its k, D and covariance type must match the fit). When
         * the model was fitted (a finite {@link FitSummary#lowerBound()}), the first convergence test
         * compares against that lower bound, as scikit-learn's warm start does: so repeating a fit of
         * {@code maxIter(1)} from each result reports {@code converged} once EM has settled. A model built
         * from parameters (NaN lower bound) starts the test from scratch.
         */
        public Builder initialModel(GaussianMixtureModel model) {
            this.initialModel = java.util.Objects.requireNonNull(model, "initialModel");
            return this.k(model.components()).covarianceType(model.covarianceType());
        }

        /** Continues from a fitted model, convergence test included: the same as {@link #initialModel}. */
        public Builder warmStart(GaussianMixtureModel fitted) {
            return initialModel(fitted);
        }

        /** Seed of every random choice (initialisations); the same seed and data give the same model. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder listener(FitListener listener) {
            this.listener = listener == null ? FitListener.NONE : listener;
            return this;
        }

        public Builder backend(BackendType backend) {
            this.backend = java.util.Objects.requireNonNull(backend, "backend");
            return this;
        }

        /** Device index for the OpenCL and CUDA backends (0 = first). */
        public Builder device(int device) {
            if (device < 0) {
                throw new InvalidSettingException("device", "must be >= 0", device);
            }
            this.device = device;
            return this;
        }

        /** Arithmetic precision of the per-row pass (null = the backend's default: float32 on devices, float64 on the CPU, whose float32 runs the full/tied products in float32 with the Vector API). */
        public Builder precision(Precision precision) {
            this.precision = precision;
            return this;
        }

        /** CPU worker threads (0 = one per available processor). */
        public Builder threads(int threads) {
            if (threads < 0) {
                throw new InvalidSettingException("threads", "must be >= 0", threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * The most rows the initialiser (k-means, k-means++, random starts) sees, default
         * {@link #DEFAULT_INIT_SAMPLE}. With at most that many rows it sees all of them, as it always did;
         * with more, a uniform sample of exactly this many, drawn in one ordered pass and reproducible from
         * the seed (the restarts' random choices are unchanged by it). The regCovar note and the rows
         * dead components are re-seeded at are taken from the same rows. EM itself always runs on all rows.
         */
        public Builder initSample(int rows) {
            if (rows < 1) {
                throw new InvalidSettingException("initSample", "must be >= 1", rows);
            }
            this.initSample = rows;
            return this;
        }

        public GaussianMixture build() {
            return new GaussianMixture(this);
        }
    }
}
