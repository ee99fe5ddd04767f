package io.gaussmix;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.backend.Backends;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.backend.cpu.HostScorer;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.inference.ParameterErrors;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.PrecisionCholesky;
import io.gaussmix.missing.MissingDataPass;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A fitted (or given) Gaussian mixture: immutable; every accessor returns a copy. Its scoring methods
 * run on the CPU in float64, on one pool of all cores shared by the JVM ({@link HostScorer}), give the
 * same bits whatever the number of cores, and never hold more than a block of the N x K densities
 * except {@link #predictProba}, whose result is N x K.
 *
 * <p>Data of any size: {@link #scoreBlocks}, {@link #score(RowSource)}, {@link #informationCriteria(RowSource)}
 * and {@link #imputeBlocks} take a {@link RowSource} (N a {@code long}, e.g. a {@code .npy} file) and
 * hold only a block of rows and its results at a time; every number is the bits of the matrix form on
 * the same rows. (The class is over 400 lines because it is the one public face of a model: parameters,
 * in-memory and streamed scoring, imputation and sampling.)
 */
public final class GaussianMixtureModel {
    private final MixtureParams params;
    private final FitSummary summary;

    GaussianMixtureModel(MixtureParams params, FitSummary summary) {
        this.params = params;
        this.summary = summary;
    }

    /**
     * A model from given parameters (e.g. read from JSON or a starting model).
     *
     * @param weights     K finite, non-negative weights with a positive sum (divided by their sum here)
     * @param means       K x D, finite
     * @param covariances scikit-learn's shape flattened row-major: FULL K*D*D, TIED D*D, DIAG K*D, SPHERICAL K;
     *                    full and tied matrices symmetric: |a_ij - a_ji| <= 1e-10 sqrt(|a_ii a_jj|)
     * @throws IllegalArgumentException for inconsistent shapes, bad weights, a covariance that is not
     *                                  symmetric (naming the component and the entry) or not positive definite
     */
    public static GaussianMixtureModel of(CovarianceType type, double[] weights, double[][] means, double[] covariances,
                                          FitSummary summary) {
        if (weights.length == 0 || means.length != weights.length) {
            throw new IllegalArgumentException("a model needs K >= 1 weights and as many means, got "
                    + weights.length + " weights and " + means.length + " means");
        }
        int d = means[0].length;
        if (d == 0) {
            throw new IllegalArgumentException("means must have at least one dimension");
        }
        if (covariances.length == type.covarianceLength(weights.length, d)) {
            Validation.requireSymmetric(type, covariances, weights.length, d);
        }
        return new GaussianMixtureModel(MixtureParams.of(type, weights, Matrix.of(means).data(), covariances, d), summary);
    }

    /** The parameters in the engine's internal form (for backends and I/O; treat as read-only). */
    public MixtureParams params() {
        return params;
    }

    public FitSummary summary() {
        return summary;
    }

    public CovarianceType covarianceType() {
        return CovarianceType.of(params.type());
    }

    /** Number of components K. */
    public int components() {
        return params.components();
    }

    /** Number of features D. */
    public int dimensions() {
        return params.dimensions();
    }

    /** Mixing weights, K, summing to 1. */
    public double[] weights() {
        return params.weights().clone();
    }

    /** Means, K x D. */
    public double[][] means() {
        return Matrix.wrap(params.means(), components(), dimensions()).toRows();
    }

    /** Covariances in scikit-learn's shape, flattened row-major: FULL K*D*D, TIED D*D, DIAG K*D, SPHERICAL K. */
    public double[] covariances() {
        return params.covariances().clone();
    }

    /**
     * A component's covariance as a dense D x D matrix, whatever the covariance type.
     *
     * @param component 0 .. K-1
     * @throws IllegalArgumentException for a component index out of range
     */
    public double[][] covariance(int component) {
        return dense(params.covariances(), component);
    }

    /**
     * A component's precision Cholesky factor U (upper triangular, precision = U U^T) as a dense D x D matrix.
     *
     * @param component 0 .. K-1
     * @throws IllegalArgumentException for a component index out of range
     */
    public double[][] precisionCholesky(int component) {
        return dense(params.precisionCholesky(), component);
    }

    private double[][] dense(double[] values, int component) {
        if (component < 0 || component >= components()) {
            throw new IllegalArgumentException("component " + component + " does not exist: the model has "
                    + components() + " components (0.." + (components() - 1) + ")");
        }
        int d = dimensions();
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m[i][j] = params.structure().entry(values, component, d, i, j);
            }
        }
        return m;
    }

    /** Free parameters: K*D means + covariance parameters + K-1 weights. */
    public long parameterCount() {
        return params.parameterCount();
    }

    /** log p(x_n) per row. */
    public double[] scoreSamples(Matrix x) {
        return HostScorer.scoreSamples(checked(x), params);
    }

    /** Mean log-likelihood per row. */
    public double score(Matrix x) {
        double[] s = scoreSamples(x);
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        return sum / s.length;
    }

    /** The most probable component per row. */
    public int[] predict(Matrix x) {
        int[] out = new int[checked(x).rows()];
        int k = components();
        HostScorer.forEachBlock(x, params, (r0, b, logp) -> {
            for (int i = 0; i < b; i++) {
                out[r0 + i] = mostProbable(logp, i * k, k);
            }
        });
        return out;
    }

    /** The component of the largest of logp[from, from + k) (the first one on ties). */
    private static int mostProbable(double[] logp, int from, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (logp[from + c] > logp[from + best]) {
                best = c;
            }
        }
        return best;
    }

    /** out[at, at + k) = exp(logp[from + c] - lse), the responsibilities of a row whose log-likelihood is lse. */
    private static void responsibilities(double[] logp, int from, int k, double lse, double[] out, int at) {
        for (int c = 0; c < k; c++) {
            out[at + c] = Math.exp(logp[from + c] - lse);
        }
    }

    /** Responsibilities, N x K; rows sum to 1. */
    public Matrix predictProba(Matrix x) {
        int k = components();
        double[] out = new double[Math.multiplyExact(checked(x).rows(), k)];
        HostScorer.forEachBlock(x, params, (r0, b, logp) -> {
            for (int i = 0; i < b; i++) {
                responsibilities(logp, i * k, k, HostScorer.logSumExp(logp, i * k, k), out, (r0 + i) * k);
            }
        });
        return Matrix.wrap(out, x.rows(), k);
    }

    /** Bayesian information criterion on x: -2 N score + p ln N (lower is better). */
    public double bic(Matrix x) {
        return informationCriteria(x).bic();
    }

    /** Akaike information criterion on x: -2 N score + 2 p (lower is better). */
    public double aic(Matrix x) {
        return informationCriteria(x).aic();
    }

    /**
     * The mean log-likelihood per row ({@link #score}) and the BIC and AIC derived from it, from one
     * pass over x: for whoever wants more than one of them (calling {@link #bic} and {@link #aic}
     * scores x twice).
     */
    public InformationCriteria informationCriteria(Matrix x) {
        return InformationCriteria.of(score(x), x.rows(), parameterCount());
    }

    /** A model's score on n rows, and its BIC and AIC (lower is better for both). */
    public record InformationCriteria(double score, double bic, double aic) {
        /** From the mean log-likelihood per row on n rows and the number of free parameters p. */
        public static InformationCriteria of(double score, long n, long p) {
            return new InformationCriteria(score, -2 * score * n + p * Math.log(n), -2 * score * n + 2.0 * p);
        }
    }

    /**
     * An imputation: the rows with every missing value filled, and each row's responsibilities (N x K)
     * computed from its observed values only.
     */
    public record Imputation(Matrix completed, Matrix responsibilities) {
    }

    /**
     * Fills every missing entry (NaN) of x with its conditional expectation under this model: with o the
     * row's observed and m its missing columns, {@code sum_k r_k (mu_k,m + S_k,mo S_k,oo^-1 (x_o - mu_k,o))},
     * where r_k are the responsibilities from the marginal densities of x_o (for DIAG and SPHERICAL the
     * per-component conditional mean is mu_k,m). A row with every value missing gets the mixture mean.
     * Observed values are copied unchanged; x is not modified.
     *
     * @throws IllegalArgumentException when x is empty, has the wrong width or holds ±Infinity or a value whose
     *                                  square overflows (named by row and column)
     */
    public Matrix impute(Matrix x) {
        Validation.requireScorableData(x, dimensions(), "data", true);
        return MissingDataPass.impute(params, x, false, 0).completed();
    }

    /** {@link #impute} together with the responsibilities of every row given its observed values (N x K, rows sum to 1). */
    public Imputation imputeWithResponsibilities(Matrix x) {
        Validation.requireScorableData(x, dimensions(), "data", true);
        MissingDataPass.Imputation imp = MissingDataPass.impute(params, x, true, 0);
        return new Imputation(imp.completed(), imp.responsibilities());
    }

    // Streamed forms: a RowSource of any size (N a long) in blocks, never N x K or N x D in memory.
    // Each block goes through the in-memory path above, so every per-row number is the same bits.

    /** Rows per block of the streamed forms: enough 2048-row units to keep every worker of the pool busy. */
    static final int STREAM_BLOCK_ROWS = 1 << 16;

    /** The most values one block array of a streamed form holds (16 MB): fewer rows per block when D or K is large. */
    private static final int STREAM_BLOCK_VALUES = 1 << 21;

    /**
     * One block of a streamed pass's per-row results: rows [firstRow, firstRow + rows()) of the source.
     * The arrays are the block's own (a consumer may keep them).
     *
     * @param logLikelihood    log p(x_n) per row, as {@link #scoreSamples}
     * @param labels           the most probable component per row, as {@link #predict}
     * @param responsibilities rows() x K, as {@link #predictProba}; null unless asked for
     */
    public record ScoredRows(long firstRow, double[] logLikelihood, int[] labels, Matrix responsibilities) {
        /** The number of rows in this block. */
        public int rows() {
            return labels.length;
        }
    }

    /**
     * One block of a streamed imputation: rows [firstRow, firstRow + completed().rows()) of the source,
     * as {@link #imputeWithResponsibilities} gives them (responsibilities null unless asked for).
     */
    public record ImputedRows(long firstRow, Matrix completed, Matrix responsibilities) {
    }

    /**
     * Scores a source of any size block by block and hands each block's log-likelihoods, labels and
     * (when asked) responsibilities to {@code consumer}, in row order, on the calling thread; only a
     * block is held at a time. The numbers are those of {@link #scoreSamples}, {@link #predict} and
     * {@link #predictProba} on one matrix of the same rows, bit for bit.
     *
     * @throws IllegalArgumentException when x has no rows or the wrong width, or before the block that holds a
     *                                  non-finite value or one whose square overflows (named by its row in x)
     */
    public void scoreBlocks(RowSource x, boolean withResponsibilities, Consumer<ScoredRows> consumer) {
        scoreBlocks(x, streamBlockRows(), withResponsibilities, consumer);
    }

    /** {@link #scoreBlocks(RowSource, boolean, Consumer)} in blocks of {@code blockRows} (tests cut awkward blocks). */
    void scoreBlocks(RowSource x, int blockRows, boolean withResponsibilities, Consumer<ScoredRows> consumer) {
        requireShape(x);
        int k = components();
        long n = x.rows();
        x.forEachBlock(blockRows, (first, b, values) -> {
            Matrix block = block(values, b, x.cols());
            Validation.requireFiniteScorable(block, first, "data", false);
            double[] ll = new double[b];
            int[] labels = new int[b];
            double[] resp = withResponsibilities ? new double[b * k] : null;
            HostScorer.forEachBlock(block, n, params, (r0, rows, logp) -> {
                for (int i = 0; i < rows; i++) {
                    double lse = HostScorer.logSumExp(logp, i * k, k);
                    ll[r0 + i] = lse;
                    labels[r0 + i] = mostProbable(logp, i * k, k);
                    if (resp != null) {
                        responsibilities(logp, i * k, k, lse, resp, (r0 + i) * k);
                    }
                }
            });
            consumer.accept(new ScoredRows(first, ll, labels, resp == null ? null : Matrix.wrap(resp, b, k)));
        });
    }

    /** Mean log-likelihood per row of a source of any size, in one pass; the bits of {@link #score(Matrix)}. */
    public double score(RowSource x) {
        double[] sum = {0};
        scoreBlocks(x, false, block -> {
            for (double v : block.logLikelihood()) {
                sum[0] += v;
            }
        });
        return sum[0] / x.rows();
    }

    /** {@link #informationCriteria(Matrix)} of a source of any size, from one pass. */
    public InformationCriteria informationCriteria(RowSource x) {
        return InformationCriteria.of(score(x), x.rows(), parameterCount());
    }

    /**
     * {@link #imputeWithResponsibilities} over a source of any size, block by block: each block's
     * completed rows (and, when asked, responsibilities) go to {@code consumer} in row order, on the
     * calling thread, bit for bit as the in-memory form gives them. The source must hand NaN through
     * (e.g. {@code NpyRowSource.open(file, MissingValues.ALLOW_NAN)}).
     *
     * @throws IllegalArgumentException as {@link #impute}, naming rows by their index in x
     */
    public void imputeBlocks(RowSource x, boolean withResponsibilities, Consumer<ImputedRows> consumer) {
        imputeBlocks(x, streamBlockRows(), withResponsibilities, consumer);
    }

    /** {@link #imputeBlocks(RowSource, boolean, Consumer)} in blocks of {@code blockRows}. */
    void imputeBlocks(RowSource x, int blockRows, boolean withResponsibilities, Consumer<ImputedRows> consumer) {
        requireShape(x);
        x.forEachBlock(blockRows, (first, b, values) -> {
            Matrix block = block(values, b, x.cols());
            Validation.requireFiniteScorable(block, first, "data", true);
            MissingDataPass.Imputation imp = MissingDataPass.impute(params, block, withResponsibilities, 0);
            consumer.accept(new ImputedRows(first, imp.completed(), imp.responsibilities()));
        });
    }

    /** Rows per streamed block: {@link #STREAM_BLOCK_ROWS}, fewer when a block of D or K values per row would be large. */
    private int streamBlockRows() {
        return Math.max(1, Math.min(STREAM_BLOCK_ROWS, STREAM_BLOCK_VALUES / Math.max(dimensions(), components())));
    }

    private void requireShape(RowSource x) {
        if (x == null) {
            throw new IllegalArgumentException("data is null");
        }
        if (x.rows() == 0) {
            throw new IllegalArgumentException("data has no rows");
        }
        if (x.cols() != dimensions()) {
            throw new IllegalArgumentException("data has " + x.cols() + " columns but the model has "
                    + dimensions() + " dimensions");
        }
    }

    /** A source's block as a matrix: its array when of the exact length, else a copy of its rows. */
    private static Matrix block(double[] values, int rows, int cols) {
        int length = rows * cols;
        return Matrix.wrap(values.length == length ? values : Arrays.copyOf(values, length), rows, cols);
    }

    /** Rows drawn from the mixture, with the component each came from. */
    public record Sample(Matrix x, int[] labels) {
    }

    /** Draws n rows (deterministic for a seed): component by weight, then mean + L z with Sigma = L L^T. */
    public Sample sample(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("sample size must be >= 1, got " + n);
        }
        int k = components();
        int d = dimensions();
        double[][] chol = new double[k][];
        for (int c = 0; c < k; c++) {
            chol[c] = lowerCholesky(c);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = params.weights();
        double[] x = new double[Math.multiplyExact(n, d)];
        int[] labels = new int[n];
        double[] z = new double[d];
        for (int r = 0; r < n; r++) {
            double u = rnd.nextDouble();
            int c = 0;
            double acc = w[0];
            while (u >= acc && c < k - 1) {
                acc += w[++c];
            }
            labels[r] = c;
            for (int i = 0; i < d; i++) {
                z[i] = gaussian(rnd);
            }
            for (int i = 0; i < d; i++) {
                double s = params.means()[c * d + i];
                for (int j = 0; j <= i; j++) {
                    s += chol[c][i * d + j] * z[j];
                }
                x[r * d + i] = s;
            }
        }
        return new Sample(Matrix.wrap(x, n, d), labels);
    }

    private double[] lowerCholesky(int c) {
        int d = dimensions();
        double[] cov = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                cov[i * d + j] = params.structure().entry(params.covariances(), c, d, i, j);
            }
        }
        double[] lower = PrecisionCholesky.lower(cov, 0, d);
        if (lower == null) {
            throw new IllegalStateException("covariance of component " + c + " is not positive definite");
        }
        return lower;
    }

    /** Standard normal by Box-Muller (SplittableRandom has no nextGaussian on Java 17). */
    private static double gaussian(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private Matrix checked(Matrix x) {
        Validation.requireScorableData(x, dimensions(), "data", false);
        return x;
    }

    // ---- Standard errors (issue 16) ----

    /**
     * Standard errors of this model's parameters from the observed information on x, each row counted once, on
     * the CPU; see {@link #standardErrors(Matrix, double[], BackendType, int)}.
     */
    public StandardErrors standardErrors(Matrix x) {
        return standardErrors(x, null);
    }

    /**
     * Standard errors of this model's weights, means and covariances from the observed information matrix
     * (minus the Hessian of sum_n w_n log p(x_n), analytic, at this model's parameters), inverted by a
     * Cholesky factorisation; {@link StandardErrors} states the method and its conditions: x should be the
     * data the model was fitted to and the fit converged; {@code regCovar} is not counted (the information is
     * that of the plain likelihood at the fitted parameters); sample weights are frequency weights. Runs on
     * the CPU's shared pool, the same bits on any number of threads; {@link #standardErrors(Matrix, double[],
     * BackendType, int)} runs it on a device.
     *
     * @param sampleWeights N finite weights >= 0, a row of weight 2 counting twice; null: 1 each
     * @throws io.gaussmix.inference.SingularInformationException when the information is not positive
     *         definite (a component duplicated, a covariance resting on too few points, a fit far from a
     *         maximum), naming the parameters along which it fails
     * @throws IllegalArgumentException for rows that are not finite or of the wrong width, bad weights, a
     *         component of weight 0, or P x P matrices too large for the heap (the message gives the sizes)
     */
    public StandardErrors standardErrors(Matrix x, double[] sampleWeights) {
        return standardErrors(x, sampleWeights, BackendType.CPU, 0);
    }

    /**
     * {@link #standardErrors(Matrix, double[])} with the passes over the rows on a chosen backend, opened in
     * float64 for this call and closed after it (pass the fit's backend and device to keep a fit's work on its
     * device; a model does not remember where it was fitted). The work that grows with N, O(N P^2) for the rows'
     * score variance (P = {@link #parameterCount()}), runs there (OpenCL and CUDA: per block of rows, the
     * components' score blocks and the dense cross term as tiled outer products); the complete-data information
     * and the inversion, O(P^3) and a few P x P matrices, stay on the host. Every backend reduces in a fixed
     * order, so the result is the same bits run to run on one backend; backends agree to about 1e-12 relative.
     *
     * @param backend where the passes run ({@link BackendType#AUTO}: as a fit would choose)
     * @param device  the device index within that backend (0 = the first)
     * @throws io.gaussmix.backend.BackendUnavailableException when that backend cannot run float64 here
     */
    public StandardErrors standardErrors(Matrix x, double[] sampleWeights, BackendType backend, int device) {
        checked(x);
        Validation.requireSampleWeights(sampleWeights, x.rows());
        for (int c = 0; c < components(); c++) {
            if (!(params.weights()[c] > 0)) {
                throw new IllegalArgumentException("component " + c + " has weight 0: standard errors need every "
                        + "weight in (0, 1), the likelihood has no curvature in a component that is not there");
            }
        }
        double total = x.rows();
        if (sampleWeights != null) {
            total = 0;
            for (double v : sampleWeights) {
                total += v;
            }
        }
        ParameterErrors e;
        try (Backend b = float64Backend(backend, device);
             LoadedData data = b.load(x, sampleWeights)) {
            e = ParameterErrors.of(params, b, data);
        }
        int d = dimensions();
        return StandardErrors.of(covarianceType(), e.weights(), Matrix.wrap(e.means(), components(), d).toRows(),
                e.covariances(), e.parameters(), x.rows(), total, summary.converged(), e.maxNewtonStep());
    }

    /** The backend opened in float64; AUTO takes the CPU where the device it would pick has no float64. */
    private static Backend float64Backend(BackendType type, int device) {
        BackendOptions options = new BackendOptions(device, Precision.FLOAT64, 0);
        if (type != BackendType.AUTO) {
            return Backends.open(type, options, note -> { });
        }
        try {
            return Backends.open(type, options, note -> { });
        } catch (BackendUnavailableException e) {
            return Backends.open(BackendType.CPU, options, note -> { });
        }
    }

    @Override
    public String toString() {
        return "GaussianMixtureModel(" + covarianceType().id() + ", K=" + components() + ", D=" + dimensions()
                + ", lowerBound=" + summary.lowerBound() + ")";
    }
}
