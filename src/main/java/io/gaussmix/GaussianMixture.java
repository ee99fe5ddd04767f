package io.gaussmix;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.Backends;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.em.EmFitter;
import io.gaussmix.em.Float32Guard;
import io.gaussmix.em.Initializer;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.missing.MissingDataPass;
import io.gaussmix.missing.MissingPatterns;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

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
    /** Default seed: fits are reproducible unless a seed is chosen. */
    public static final long DEFAULT_SEED = 0;
    /** Default number of initialisations (scikit-learn's). */
    public static final int DEFAULT_N_INIT = 1;
    /** Default initialisation. */
    public static final InitMethod DEFAULT_INIT = InitMethod.KMEANS_PLUS_PLUS;

    private final int k;
    private final CovarianceType covarianceType;
    private final double tol;
    private final double regCovar;
    private final int maxIter;
    private final int nInit;
    private final InitMethod init;
    private final GaussianMixtureModel initialModel;
    private final long seed;
    private final FitListener listener;
    private final BackendType backend;
    private final BackendOptions backendOptions;
    private final MissingPolicy missing;

    private GaussianMixture(Builder b) {
        this.k = b.k;
        this.covarianceType = b.covarianceType;
        this.tol = b.tol;
        this.regCovar = b.regCovar;
        this.maxIter = b.maxIter;
        this.nInit = b.nInit;
        this.init = b.init;
        this.initialModel = b.initialModel;
        this.seed = b.seed;
        this.listener = b.listener;
        this.backend = b.backend;
        this.backendOptions = new BackendOptions(b.device, b.precision, b.threads);
        this.missing = b.missing;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this estimator's settings, to derive variants (e.g. another k). */
    public Builder toBuilder() {
        Builder b = new Builder().k(k).covarianceType(covarianceType).tol(tol).regCovar(regCovar).maxIter(maxIter)
                .nInit(nInit).init(init).seed(seed).listener(listener).backend(backend)
                .device(backendOptions.device()).precision(backendOptions.precision()).threads(backendOptions.threads()).missing(missing);
        b.initialModel = initialModel;
        return b;
    }

    public int k() {
        return k;
    }

    public CovarianceType covarianceType() {
        return covarianceType;
    }

    public MissingPolicy missing() {
        return missing;
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
     * A weight w counts the row as w repeated rows: fitting with integer weights equals fitting on repeated rows.
     *
     * @throws IllegalArgumentException for bad input, naming what and where
     * @throws io.gaussmix.em.FitFailedException when a component cannot be repaired
     * @throws io.gaussmix.backend.BackendUnavailableException when an explicitly requested backend cannot run
     */
    public GaussianMixtureModel fit(Matrix x, double[] sampleWeights) {
        boolean em = missing == MissingPolicy.EM;
        Validation.requireData(x, 0, "data", em);
        Validation.requireSampleWeights(sampleWeights, x.rows());
        if (em) {
            MissingPatterns patterns = MissingPatterns.of(x, false);
            if (patterns.hasMissing()) {
                return fitMissing(x, sampleWeights, patterns);
            }
        }
        return fitComplete(x, sampleWeights, 0);
    }

    /** The ordinary fit on complete rows, on the chosen backend. */
    private GaussianMixtureModel fitComplete(Matrix x, double[] sampleWeights, int rowsAllMissing) {
        if (x.rows() < k) {
            throw new IllegalArgumentException("data has " + x.rows() + " rows, fewer than k = " + k + " components");
        }
        if (initialModel != null) {
            checkStartModel(x);
        }
        try (Backend b = Backends.open(backend, backendOptions, listener::onNote);
             LoadedData data = b.load(x, sampleWeights)) {
            listener.onNote("backend: " + b.description());
            if (b.precision() == Precision.FLOAT64) {
                return runInitialisations(p -> b.accumulate(data, p), (p, m) -> EmFitter.worstRows(x, p, m),
                        data.rows(), x, sampleWeights, b::description, rowsAllMissing);
            }
            try (Float32Guard guard = new Float32Guard(b, data, x, sampleWeights, listener)) {
                return runInitialisations(guard, (p, m) -> EmFitter.worstRows(x, p, m), data.rows(), x,
                        sampleWeights, guard::description, rowsAllMissing);
            }
        }
    }

    /**
     * The missing-data EM (CPU, float64). Rows with every value missing are excluded and counted; the
     * initialisers run on the remaining rows with each missing value replaced by its column's (weighted)
     * observed mean, then EM runs on the incomplete rows themselves.
     */
    private GaussianMixtureModel fitMissing(Matrix x, double[] sampleWeights, MissingPatterns patterns) {
        int allMissing = patterns.allMissingRows().length;
        int usable = patterns.groupedRows();
        if (usable == 0) {
            throw new IllegalArgumentException("data has every value missing in all " + x.rows() + " rows");
        }
        if (allMissing > 0) {
            listener.onNote(allMissing + " row(s) have every value missing and are excluded from the fit"
                    + " (first: row " + patterns.allMissingRows()[0] + ", 0-based)");
        }
        int[] rows = usableRowsInOrder(x.rows(), patterns.allMissingRows());
        double[] keptWeights = null;
        if (sampleWeights != null) {
            keptWeights = new double[usable];
            double sum = 0;
            for (int i = 0; i < usable; i++) {
                keptWeights[i] = sampleWeights[rows[i]];
                sum += keptWeights[i];
            }
            if (!(sum > 0)) {
                throw new IllegalArgumentException("the sample weights of the rows with an observed value sum to 0");
            }
        }
        if (patterns.count() == 1 && patterns.pattern(0).complete()) {
            // Only all-missing rows had NaNs: the ordinary fit on the remaining rows is the exact answer.
            return fitComplete(select(x, rows), keptWeights, allMissing);
        }
        if (usable < k) {
            throw new IllegalArgumentException("data has " + usable + " rows with an observed value, fewer than k = "
                    + k + " components");
        }
        if (initialModel != null) {
            checkStartModel(x);
        }
        Matrix meanImputed = meanImputed(x, rows, keptWeights);
        if (backend != BackendType.CPU) {
            listener.onNote("missing values present: the missing-data EM runs on the CPU in float64 (backend "
                    + backend.id() + " requested)");
        }
        try (MissingDataPass pass = new MissingDataPass(x, sampleWeights, patterns, backendOptions.threads())) {
            listener.onNote("backend: " + pass.description() + "; " + patterns.missingValues()
                    + " missing values");
            return runInitialisations(pass::accumulate, pass::worstRows, usable, meanImputed, keptWeights,
                    pass::description, allMissing);
        }
    }

    /**
     * The restarts, each from an initialiser on (xInit, wInit) or from the starting model, and the one with
     * the best final lower bound.
     */
    private GaussianMixtureModel runInitialisations(EmFitter.Pass pass, EmFitter.WorstRowsSource worstRows, int rows,
                                                    Matrix xInit, double[] wInit, Supplier<String> description,
                                                    int rowsAllMissing) {
        SplittableRandom master = new SplittableRandom(seed);
        int runs = initialModel != null ? 1 : nInit;
        if (initialModel != null && nInit > 1) {
            listener.onNote("a starting model was given: n-init " + nInit + " ignored, one run from it");
        }
        EmFitter.Result best = null;
        for (int run = 0; run < runs; run++) {
            SplittableRandom rnd = master.split();
            List<Intervention> startInterventions = new ArrayList<>();
            MixtureParams start = initialModel != null ? initialModel.params()
                    : Initializer.initialize(init, xInit, wInit, k, covarianceType, regCovar, rnd, i -> {
                        startInterventions.add(i);
                        listener.onIntervention(i);
                    });
            EmFitter.Result r = EmFitter.run(pass, worstRows, rows, start, tol, regCovar, maxIter, run,
                    startInterventions, listener);
            if (best == null || r.lowerBound() > best.lowerBound()) {
                best = r;
            }
        }
        if (!best.converged() && tol > 0) {
            listener.onNote("the best initialisation did not converge within " + maxIter
                    + " iterations (tol " + tol + "): try a larger max-iter, a larger tol, or check the data");
        }
        FitSummary summary = new FitSummary(best.converged(), best.iterations(), best.lowerBound(),
                best.history(), best.interventions(), description.get(), rowsAllMissing);
        return new GaussianMixtureModel(best.params(), summary);
    }

    private static int[] usableRowsInOrder(int n, int[] excluded) {
        int[] rows = new int[n - excluded.length];
        int e = 0;
        int i = 0;
        for (int r = 0; r < n; r++) {
            if (e < excluded.length && excluded[e] == r) {
                e++;
            } else {
                rows[i++] = r;
            }
        }
        return rows;
    }

    private static Matrix select(Matrix x, int[] rows) {
        int d = x.cols();
        double[] out = new double[Math.multiplyExact(rows.length, d)];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x.data(), rows[i] * d, out, i * d, d);
        }
        return Matrix.wrap(out, rows.length, d);
    }

    /** The given rows with each NaN replaced by its column's weighted mean over the observed values. */
    private static Matrix meanImputed(Matrix x, int[] rows, double[] keptWeights) {
        int d = x.cols();
        double[] sum = new double[d];
        double[] weight = new double[d];
        double[] v = x.data();
        for (int i = 0; i < rows.length; i++) {
            double w = keptWeights == null ? 1 : keptWeights[i];
            for (int j = 0; j < d; j++) {
                double e = v[rows[i] * d + j];
                if (!Double.isNaN(e)) {
                    sum[j] += w * e;
                    weight[j] += w;
                }
            }
        }
        for (int j = 0; j < d; j++) {
            if (!(weight[j] > 0)) {
                throw new IllegalArgumentException("column " + j + " (0-based) has no observed value"
                        + (keptWeights == null ? "" : " with a positive sample weight")
                        + ": its distribution cannot be estimated");
            }
            sum[j] /= weight[j];
        }
        Matrix out = select(x, rows);
        double[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            if (Double.isNaN(o[i])) {
                o[i] = sum[i % d];
            }
        }
        return out;
    }

    private void checkStartModel(Matrix x) {
        if (initialModel.dimensions() != x.cols()) {
            throw new IllegalArgumentException("the starting model has " + initialModel.dimensions()
                    + " dimensions but the data has " + x.cols() + " columns");
        }
        if (initialModel.components() != k) {
            throw new IllegalArgumentException("the starting model has " + initialModel.components()
                    + " components but k = " + k);
        }
        if (initialModel.covarianceType() != covarianceType) {
            throw new IllegalArgumentException("the starting model's covariance type is "
                    + initialModel.covarianceType().id() + " but the fit asks for " + covarianceType.id());
        }
    }

    /**
     * Settings with scikit-learn's defaults: k 1, FULL, tol 1e-3, regCovar 1e-6, maxIter 100, nInit 1,
     * k-means++ start, seed 0, AUTO backend. Each setter validates its value and names it on error.
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

        private Builder() {
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
                throw new IllegalArgumentException("k must be >= 1, got " + k);
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
                throw new IllegalArgumentException("tol must be finite and >= 0, got " + tol);
            }
            this.tol = tol;
            return this;
        }

        /** Added to every covariance diagonal in every M-step (>= 0). */
        public Builder regCovar(double regCovar) {
            if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
                throw new IllegalArgumentException("regCovar must be finite and >= 0, got " + regCovar);
            }
            this.regCovar = regCovar;
            return this;
        }

        /** Maximum number of M-steps per initialisation, >= 1. */
        public Builder maxIter(int maxIter) {
            if (maxIter < 1) {
                throw new IllegalArgumentException("maxIter must be >= 1, got " + maxIter);
            }
            this.maxIter = maxIter;
            return this;
        }

        /** Number of initialisations; the one with the best final lower bound is kept. */
        public Builder nInit(int nInit) {
            if (nInit < 1) {
                throw new IllegalArgumentException("nInit must be >= 1, got " + nInit);
            }
            this.nInit = nInit;
            return this;
        }

        public Builder init(InitMethod init) {
            this.init = java.util.Objects.requireNonNull(init, "init");
            return this;
        }

        /** Starts from the parameters of this model (its k, D and covariance type must match the fit). */
        public Builder initialModel(GaussianMixtureModel model) {
            this.initialModel = java.util.Objects.requireNonNull(model, "initialModel");
            return this.k(model.components()).covarianceType(model.covarianceType());
        }

        /** Continues from a fitted model: the same as {@link #initialModel}. */
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
                throw new IllegalArgumentException("device must be >= 0, got " + device);
            }
            this.device = device;
            return this;
        }

        /** Device arithmetic precision (null = backend default: float32 on devices; the CPU is float64). */
        public Builder precision(Precision precision) {
            this.precision = precision;
            return this;
        }

        /** CPU worker threads (0 = one per available processor). */
        public Builder threads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        public GaussianMixture build() {
            return new GaussianMixture(this);
        }
    }
}
