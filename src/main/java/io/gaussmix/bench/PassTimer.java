package io.gaussmix.bench;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.Backends;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Times the fused E+M pass ({@link Backend#accumulate}) of one backend. The JMH {@code PassBenchmark}
 * drives a {@link Session} directly (JMH does the timing); {@code gaussmix bench} and the peer
 * comparison call {@link #time}, which warms up and takes the median of R {@code System.nanoTime}
 * measurements. Both go through the same {@link Session#pass}.
 */
public final class PassTimer {
    private PassTimer() {
    }

    /**
     * An opened backend with the rows loaded: the state of one benchmark trial.
     * {@link io.gaussmix.backend.BackendUnavailableException} from the constructor says why a backend
     * cannot run here.
     */
    public static final class Session implements AutoCloseable {
        private final Backend backend;
        private final LoadedData data;

        public Session(BackendType type, BackendOptions options, Matrix x) {
            List<String> notes = new ArrayList<>();
            Backend b = Backends.open(type, options, notes::add);
            try {
                this.data = b.load(x, null);
            } catch (RuntimeException e) {
                b.close();
                throw e;
            }
            this.backend = b;
        }

        /** One fused E+M pass; the statistics are returned so the caller can consume them. */
        public SufficientStats pass(MixtureParams params) {
            return backend.accumulate(data, params);
        }

        /** The weighted log densities of all rows (N x K), as predict and score use them. */
        public void logDensities(MixtureParams params, double[] out) {
            backend.logDensities(data, params, out);
        }

        public String description() {
            return backend.description();
        }

        @Override
        public void close() {
            try {
                data.close();
            } finally {
                backend.close();
            }
        }
    }

    /**
     * The result of {@link #time}.
     *
     * @param backend     the backend's own description
     * @param seconds     every timed pass, in order
     * @param median      median seconds per pass
     * @param flops       nominal flops per pass ({@link FlopModel})
     * @param meanLogLik  mean log-likelihood of the last pass (consumed so no pass can be elided)
     */
    public record Result(String backend, double[] seconds, double median, double flops, double meanLogLik) {
        public double gflops() {
            return FlopModel.gflops(flops, median);
        }

        public double min() {
            return Arrays.stream(seconds).min().orElse(Double.NaN);
        }
    }

    /**
     * Opens the backend, loads the rows, runs {@code warmup} untimed passes and then {@code repeats}
     * timed ones.
     *
     * @param progress called after every pass (warm-up and timed) with the number done so far; may be null
     * @throws io.gaussmix.backend.BackendUnavailableException when the backend cannot run here
     */
    public static Result time(BackendType type, BackendOptions options, Matrix x, MixtureParams params,
                              int warmup, int repeats, Consumer<Integer> progress) {
        if (repeats < 1 || warmup < 0) {
            throw new IllegalArgumentException("need repeats >= 1 and warmup >= 0, got " + repeats + ", " + warmup);
        }
        try (Session s = new Session(type, options, x)) {
            return time(s, x.rows(), params, warmup, repeats, progress);
        }
    }

    /** {@link #time} on an already opened session. */
    public static Result time(Session s, long rows, MixtureParams params, int warmup, int repeats,
                              Consumer<Integer> progress) {
        double sink = 0;
        int done = 0;
        for (int i = 0; i < warmup; i++) {
            sink += s.pass(params).logLikelihood;
            if (progress != null) {
                progress.accept(++done);
            }
        }
        double[] t = new double[repeats];
        double last = Double.NaN;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            SufficientStats st = s.pass(params);
            t[i] = (System.nanoTime() - t0) * 1e-9;
            last = st.meanLogLikelihood();
            sink += st.logLikelihood;
            if (progress != null) {
                progress.accept(++done);
            }
        }
        if (Double.isNaN(sink) && !Double.isNaN(last)) {
            // Unreachable in practice; keeps every pass's result live.
            last = sink;
        }
        double flops = FlopModel.passFlops(CovarianceType.of(params.type()), rows, params.dimensions(), params.components());
        return new Result(s.description(), t, median(t), flops, last);
    }

    /** Median of the values (the mean of the middle two for an even count). */
    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }
}
