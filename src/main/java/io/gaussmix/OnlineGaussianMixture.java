package io.gaussmix;

import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.em.FitSettings;
import io.gaussmix.em.OnlineEm;
import io.gaussmix.em.SampleWeights;

import java.util.List;
import java.util.Objects;

/**
 * Online EM: a Gaussian mixture updated batch by batch, for data that arrives as a stream or is read
 * once (stepwise EM of Cappé and Moulines, 2009, with mini-batches). Each {@link #partialFit} is one
 * E-step over the batch on the backend and a step of the running sufficient statistics,
 * {@code s <- (1 - gamma_t) s + gamma_t * s_batch} per unit of sample weight with
 * {@code gamma_t = (t + t0)^-alpha} (t = the batches seen before; the first batch's statistics are
 * taken whole), followed by the batch fit's M-step with its guards (re-seeds, ridges; every
 * intervention is recorded). The first batch initialises the model as a batch fit would on it.
 *
 * <pre>{@code
 * GaussianMixture settings = GaussianMixture.builder().k(8).seed(1).build();
 * try (OnlineGaussianMixture online = OnlineGaussianMixture.builder(settings).build()) {
 *     for (Matrix batch : batches) {
 *         online.partialFit(batch);
 *     }
 *     GaussianMixtureModel model = online.model();   // an immutable snapshot
 * }
 * }</pre>
 *
 * <p>From the estimator it takes k, the covariance type, regCovar, init, seed, the starting model,
 * the listener (notes, interventions, and one {@code onIteration} per batch) and the backend; tol and
 * maxIter do not apply (online EM has no convergence test) and one initialisation runs. Starting from
 * {@code initLabels} and {@link MissingPolicy#EM} are refused. It holds the backend open until
 * {@link #close}. The same batches in the same order give the same model, bit for bit. Not thread-safe.
 */
public final class OnlineGaussianMixture implements AutoCloseable {
    /**
     * Default rows per batch of {@link #partialFit(RowSource)}: large enough that a batch's statistics
     * are a fair sample for k up to a few dozen, small enough for many steps per pass
     * (benchmarks/RESULTS.md, "Online EM").
     */
    public static final int DEFAULT_BATCH_SIZE = 1000;
    /** Default step-size offset t0 (benchmarks/RESULTS.md, "Online EM": the best of the grid measured). */
    public static final double DEFAULT_T0 = 2;
    /** Default step-size exponent alpha (benchmarks/RESULTS.md, "Online EM": the best of the grid measured). */
    public static final double DEFAULT_ALPHA = 0.6;

    /**
     * What an online model has seen, recorded in its {@link FitSummary} and model JSON.
     *
     * @param batches the batches (and M-steps) so far
     * @param rows    the rows of those batches
     * @param t0      the step size's offset
     * @param alpha   the step size's exponent
     */
    public record Progress(long batches, long rows, double t0, double alpha) {
        public Progress {
            if (batches < 0 || rows < 0) {
                throw new IllegalArgumentException("online progress needs batches >= 0 and rows >= 0, got "
                        + batches + " and " + rows);
            }
        }
    }

    private final OnlineEm em;
    private final int k;
    private final int batchSize;
    private final double t0;
    private final double alpha;
    private int cols;
    private boolean closed;

    private OnlineGaussianMixture(Builder b) {
        this.k = b.settings.k();
        this.batchSize = b.batchSize;
        this.t0 = b.t0;
        this.alpha = b.alpha;
        this.em = new OnlineEm(b.settings, b.t0, b.alpha);
    }

    /** Online EM with the settings of {@code estimator} and the default batch size and step size. */
    public static Builder builder(GaussianMixture estimator) {
        return new Builder(estimator);
    }

    /** One step from a batch of finite rows with unit weights; see {@link #partialFit(Matrix, double[])}. */
    public void partialFit(Matrix batch) {
        partialFit(batch, null);
    }

    /**
     * One step from a batch of finite rows with per-row sample weights (finite, >= 0, positive sum;
     * null = all 1). The batch's statistics are normalised by its total weight, so a batch counts as much
     * as any other whatever its size or weight scale. The first batch must have at least k rows of
     * positive weight (it initialises the model); every later one the first one's number of columns.
     *
     * @throws IllegalArgumentException for bad input, naming the batch, the row and the column
     * @throws io.gaussmix.em.FitFailedException when a component cannot be repaired
     */
    public void partialFit(Matrix batch, double[] sampleWeights) {
        if (closed) {
            throw new IllegalStateException("this online mixture is closed");
        }
        String what = "batch " + (em.batches() + 1);
        Validation.requireData(batch, cols, what, false);
        Validation.requireSampleWeights(sampleWeights, batch.rows());
        if (cols == 0) {
            requireFirstBatch(batch, sampleWeights);
        }
        em.partialFit(batch, SampleWeights.toMeanOne(sampleWeights));
        cols = batch.cols();
    }

    /**
     * One pass over the rows of {@code source}, in order, in batches of {@link #batchSize()} rows (the
     * last may be shorter), each a {@link #partialFit(Matrix)}: reads a batch at a time, so a file of any
     * size takes constant memory.
     */
    public void partialFit(RowSource source) {
        partialFit(source, null);
    }

    /**
     * {@link #partialFit(RowSource)} with per-row sample weights from a one-column source of the same length
     * (null = all 1), read batch by batch in step with the rows: each batch is the
     * {@link #partialFit(Matrix, double[])} of its rows and their weights, so a weights file of any size
     * takes constant memory too. The weights source stays the caller's.
     *
     * @throws IllegalArgumentException when the weights are not one column of the source's length, before any batch
     */
    public void partialFit(RowSource source, RowSource sampleWeights) {
        Objects.requireNonNull(source, "source");
        RowSource.requireWeightsFor(sampleWeights, source.rows());
        int d = source.cols();
        source.forEachBlock(batchSize, (first, n, values) -> {
            double[] w = null;
            if (sampleWeights != null) {
                w = new double[n];
                sampleWeights.read(first, first + n, w);
                // Checked here too, so that a bad weight is named by its row in the source, not in the batch.
                Validation.requireSampleWeights(w, n, first);
            }
            partialFit(Matrix.wrap(java.util.Arrays.copyOf(values, n * d), n, d), w);
        });
    }

    private void requireFirstBatch(Matrix batch, double[] w) {
        int positive = batch.rows();
        if (w != null) {
            positive = 0;
            for (double v : w) {
                positive += v > 0 ? 1 : 0;
            }
        }
        if (positive < k) {
            throw new IllegalArgumentException("the first batch has " + positive + " rows"
                    + (w != null ? " of positive sample weight" : "") + ", fewer than k = " + k
                    + " components: the first batch initialises the model, so it needs at least k rows");
        }
    }

    /**
     * The model now: an immutable snapshot (later batches do not change it); its summary's
     * {@link FitSummary#online()} says how many batches and rows it has seen.
     *
     * @throws IllegalStateException before the first batch
     */
    public GaussianMixtureModel model() {
        if (em.params() == null) {
            throw new IllegalStateException("no batch has been fitted yet: call partialFit first");
        }
        FitSummary summary = new FitSummary(false, (int) Math.min(em.batches(), Integer.MAX_VALUE),
                em.lastLogLikelihood(), List.of(), em.interventions(), em.description() + ", online EM", 0,
                new Progress(em.batches(), em.rows(), t0, alpha));
        return new GaussianMixtureModel(em.params(), summary);
    }

    /** Rows per batch of {@link #partialFit(RowSource)}. */
    public int batchSize() {
        return batchSize;
    }

    public long batchesSeen() {
        return em.batches();
    }

    public long rowsSeen() {
        return em.rows();
    }

    /** Releases the backend; the models taken stay valid. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            em.close();
        }
    }

    /** The online settings on top of an estimator's; each setter validates its value. */
    public static final class Builder {
        private final FitSettings settings;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private double t0 = DEFAULT_T0;
        private double alpha = DEFAULT_ALPHA;

        private Builder(GaussianMixture estimator) {
            Objects.requireNonNull(estimator, "estimator");
            if (estimator.missing() == MissingPolicy.EM) {
                throw new InvalidSettingException("missing", "must be REJECT for online EM (it needs complete rows)",
                        estimator.missing());
            }
            if (estimator.startsFromLabels()) {
                throw new InvalidSettingException("initLabels", "cannot start online EM (they label a fit's rows;"
                        + " give a starting model instead)", "labels");
            }
            this.settings = estimator.settings();
        }

        /** Rows per batch when fitting a {@link RowSource}, >= 1 (default {@value #DEFAULT_BATCH_SIZE}). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new InvalidSettingException("batchSize", "must be >= 1", batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** The step size's offset: gamma_t = (t + t0)^-alpha; finite, >= 0 (default {@value #DEFAULT_T0}). */
        public Builder t0(double t0) {
            if (!(t0 >= 0) || Double.isInfinite(t0)) {
                throw new InvalidSettingException("t0", "must be finite and >= 0", t0);
            }
            this.t0 = t0;
            return this;
        }

        /**
         * The step size's exponent, in (0.5, 1] (default {@value #DEFAULT_ALPHA}): the range where the steps
         * sum to infinity but their squares do not, which stepwise EM needs to converge.
         */
        public Builder alpha(double alpha) {
            if (!(alpha > 0.5 && alpha <= 1)) {
                throw new InvalidSettingException("alpha", "must be in (0.5, 1]", alpha);
            }
            this.alpha = alpha;
            return this;
        }

        /** Opens the backend (an explicitly requested one that cannot run fails here). */
        public OnlineGaussianMixture build() {
            return new OnlineGaussianMixture(this);
        }
    }
}
