package io.gaussmix.em;

import io.gaussmix.FitListener;
import io.gaussmix.Intervention;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.backend.Backends;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Stepwise EM over mini-batches (Cappé and Moulines, 2009), on one backend held open for all batches.
 * Each batch is one pass on the backend under the current parameters (the E-step and the statistics
 * about the current means), blended into the {@link OnlineStatistics} with step size
 * {@code gamma_t = (t + t0)^-alpha} (t = batches seen before, from 1; the first batch's statistics
 * replace the empty ones), then the shared {@link MStep} with its guards on the running statistics.
 *
 * <p>The first batch initialises: from the settings' starting parameters when given, otherwise by
 * {@link Initializer} on that batch with the random stream a batch fit's first initialisation uses.
 * Deterministic: the same batches give the same bits. A float32 device is watched as by
 * {@link Float32Guard}: when a component becomes too ill-conditioned for float32 the remaining batches
 * run in float64 on the same device. Not thread-safe.
 */
public final class OnlineEm implements AutoCloseable {
    private final FitSettings settings;
    private final double t0;
    private final double alpha;
    private final List<Intervention> interventions = new ArrayList<>();
    private Backend backend;
    private Backend float32;
    private boolean float32Warned;
    private MixtureParams params;
    private OnlineStatistics running;
    private long batches;
    private long rows;
    private double lastLogLikelihood = Double.NaN;
    private final long startNanos = System.nanoTime();

    /** Opens the settings' backend (failing fast, as a fit does); t0 >= 0 and alpha in (0.5, 1] checked by the caller. */
    public OnlineEm(FitSettings settings, double t0, double alpha) {
        this.settings = settings;
        this.t0 = t0;
        this.alpha = alpha;
        this.backend = Backends.open(settings.backend(), settings.backendOptions(), settings.listener()::onNote);
        settings.listener().onNote("backend: " + backend.description() + " (online EM)");
    }

    /** The step size of batch t (1-based count of the batches before it): (t + t0)^-alpha. */
    public static double stepSize(long t, double t0, double alpha) {
        return Math.pow(t + t0, -alpha);
    }

    /**
     * One stepwise EM update from a batch of finite rows (checked by the caller: the first batch has at
     * least k rows of positive weight, later ones the model's width).
     *
     * @param w the batch's sample weights scaled to mean 1 ({@link SampleWeights}), or null = all 1
     * @throws FitFailedException when the batch's log-likelihood is not finite or no repair helps
     */
    public void partialFit(Matrix batch, double[] w) {
        FitListener listener = settings.listener();
        long t = batches;
        int iteration = (int) Math.min(t + 1, Integer.MAX_VALUE);
        if (params == null) {
            params = start(batch, w);
        }
        SufficientStats stats = pass(batch, w, params);
        double ll = stats.meanLogLikelihood();
        if (!Double.isFinite(ll)) {
            throw new FitFailedException("the log-likelihood of batch " + iteration + " became " + ll
                    + "; scale the data or increase regCovar");
        }
        if (running == null) {
            running = OnlineStatistics.first(stats);
        } else {
            running.blend(stats, stepSize(t, t0, alpha));
        }
        MixtureParams current = params;
        params = MStep.apply(running.scaledTo(stats.totalWeight), current, settings.regCovar(), iteration,
                m -> WorstRows.under(batch, current, m), i -> {
                    interventions.add(i);
                    listener.onIntervention(i);
                });
        running.shift(current.means(), params.means());
        batches++;
        rows += batch.rows();
        double change = ll - lastLogLikelihood;
        lastLogLikelihood = ll;
        listener.onIteration(new FitListener.IterationEvent(0, iteration, ll, change,
                System.nanoTime() - startNanos, batch.rows()));
    }

    private MixtureParams start(Matrix batch, double[] w) {
        settings.requireFits(batch.rows(), batch.cols(), w, "rows in the first batch");
        if (settings.start() != null) {
            return settings.start();
        }
        Restarts.noteDominantRegCovar(settings, batch, w);
        if (settings.nInit() > 1) {
            settings.listener().onNote("online EM runs one initialisation: nInit " + settings.nInit() + " ignored");
        }
        // The stream a batch fit's first initialisation draws from (Restarts): the same seed, the same start.
        SplittableRandom rnd = new SplittableRandom(settings.seed()).split();
        return Initializer.initialize(settings.init(), batch, w, settings.k(), settings.covarianceType(),
                settings.regCovar(), rnd, i -> {
                    interventions.add(i);
                    settings.listener().onIntervention(i);
                });
    }

    /** One pass over the batch; a float32 device moves to float64 for good when the parameters need it. */
    private SufficientStats pass(Matrix batch, double[] w, MixtureParams p) {
        if (backend.precision() != Precision.FLOAT64 && !float32Warned) {
            double error = Float32Guard.predictedError(p, Float32Guard.columnRange(batch));
            if (error > Float32Guard.LIMIT) {
                promote(error);
            }
        }
        try (LoadedData data = backend.load(batch, w)) {
            return backend.accumulate(data, p);
        }
    }

    private void promote(double error) {
        String why = String.format(Locale.ROOT, "a component is too ill-conditioned for float32 (predicted "
                + "log-density error %.2g > %.0e)", error, Float32Guard.LIMIT);
        try {
            Backend float64 = backend.reopen(Precision.FLOAT64);
            float32 = backend;
            backend = float64;
            settings.listener().onNote(why + ": continuing in float64 on " + float64.description());
        } catch (BackendUnavailableException e) {
            float32Warned = true;
            settings.listener().onNote(why + ", and float64 is unavailable (" + e.getMessage()
                    + "): float32 results may be off by that much");
        }
    }

    /** The current parameters, or null before the first batch. */
    public MixtureParams params() {
        return params;
    }

    public long batches() {
        return batches;
    }

    public long rows() {
        return rows;
    }

    /** The mean log-likelihood of the last batch under the parameters it was assigned with (NaN before one). */
    public double lastLogLikelihood() {
        return lastLogLikelihood;
    }

    public List<Intervention> interventions() {
        return List.copyOf(interventions);
    }

    /** The backend running the passes now. */
    public String description() {
        return float32 == null ? backend.description() : backend.description() + " (promoted from float32)";
    }

    @Override
    public void close() {
        try {
            backend.close();
        } finally {
            if (float32 != null) {
                float32.close();
            }
        }
    }
}
