package io.gaussmix.em;

import io.gaussmix.FitListener;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

import java.util.Locale;

/**
 * Keeps a float32 pass (a device's, or the CPU's {@code --precision float32}) from being silently wrong.
 * Float32 holds each (column-centred) value
 * x_i with an error of about eps32 * X_i (X_i = the largest |x_i - mean_i|), and the precision
 * factor U_k amplifies it: a row's log density under component k is off by about
 * <pre>  e_k = eps32 * sqrt(D) * || diag(X) U_k ||_F  </pre>
 * (error of (x - mu) U_k, times the Mahalanobis scale sqrt(D) of the rows that matter). The CPU rounds
 * x - mu_k, formed in float64, instead of the centred x: within the data's range |x_i - mu_ki| <= 2 X_i,
 * so its error is at most twice this estimate, well inside the limit's margin. Before each
 * pass the guard evaluates max_k e_k; above {@link #LIMIT} (where the fit would miss the float64
 * result by more than the documented float32 tolerance) it moves the fit to float64 on the same
 * device for good, with a note, or warns once when the device has no float64.
 */
public final class Float32Guard implements StatisticsPass, AutoCloseable {
    /** Largest predicted float32 log-density error allowed before promotion (keeps scores within ~1e-5). */
    public static final double LIMIT = 1e-4;

    private static final double EPS32 = Math.ulp(1.0f);

    private final Backend float32;
    private final LoadedData data32;
    private final RowSource x;
    private final RowSource weights;
    private final FitListener listener;
    private final double[] columnRange;
    private Backend float64;
    private LoadedData data64;
    private boolean warned;

    /**
     * Guards {@code backend} (float32) running on {@code data}, the upload of rows x with these weights (a
     * one-column source, kept open by the caller as x is; null: unit weights).
     */
    public Float32Guard(Backend backend, LoadedData data, RowSource x, RowSource weights, FitListener listener) {
        this.float32 = backend;
        this.data32 = data;
        this.x = x;
        this.weights = weights;
        this.listener = listener;
        this.columnRange = columnRange(x);
    }

    @Override
    public SufficientStats accumulate(MixtureParams params) {
        if (float64 == null) {
            double error = predictedError(params, columnRange);
            if (error > LIMIT) {
                promote(error);
            }
        }
        return float64 != null ? float64.accumulate(data64, params) : float32.accumulate(data32, params);
    }

    /** The backend now running the passes. */
    public String description() {
        return float64 != null ? float64.description() + " (promoted from float32)" : float32.description();
    }

    private void promote(double error) {
        if (warned) {
            return;
        }
        String why = String.format(Locale.ROOT, "a component is too ill-conditioned for float32 (predicted "
                + "log-density error %.2g > %.0e)", error, LIMIT);
        try {
            float64 = float32.reopen(Precision.FLOAT64);
            data64 = float64.load(x, weights);
            listener.onNote(why + ": continuing in float64 on " + float64.description());
        } catch (BackendUnavailableException e) {
            warned = true;
            listener.onNote(why + ", and float64 is unavailable (" + e.getMessage()
                    + "): float32 results may be off by that much");
        }
    }

    /** max_k eps32 sqrt(D) ||diag(X) U_k||_F for the parameters' precision factors. */
    static double predictedError(MixtureParams p, double[] range) {
        int d = p.dimensions();
        double[] rangeSquared = new double[d];
        for (int i = 0; i < d; i++) {
            rangeSquared[i] = range[i] * range[i];
        }
        double worst = 0;
        for (int c = 0; c < p.components(); c++) {
            worst = Math.max(worst, Math.sqrt(p.structure().rowScaledNormSquared(p.precisionCholesky(), c, d, rangeSquared)));
        }
        return EPS32 * Math.sqrt(d) * worst;
    }

    /**
     * The largest |x_i - mean_i| per column: the float32 devices centre the columns before converting.
     * Two passes over the rows in row order (the same sums for a matrix or a stream of its rows).
     * Public for a caller that bounds the rows another way (Spark: the largest range of any block).
     */
    public static double[] columnRange(RowSource x) {
        int d = x.cols();
        double n = x.rows();
        double[] mean = new double[d];
        // Row by row, each column's terms in row order (no o % d per value: it cost 0.1-0.2 s per fit at N = 2e5, D = 64).
        x.forEachBlock(BLOCK_ROWS, (first, rows, v) -> {
            for (int r = 0, o = 0; r < rows; r++, o += d) {
                for (int j = 0; j < d; j++) {
                    mean[j] += v[o + j] / n;
                }
            }
        });
        double[] range = new double[d];
        x.forEachBlock(BLOCK_ROWS, (first, rows, v) -> {
            for (int r = 0, o = 0; r < rows; r++, o += d) {
                for (int j = 0; j < d; j++) {
                    range[j] = Math.max(range[j], Math.abs(v[o + j] - mean[j]));
                }
            }
        });
        return range;
    }

    /** {@link #columnRange(RowSource)} of one matrix's rows. */
    static double[] columnRange(Matrix x) {
        return columnRange(RowSource.of(x));
    }

    /** Rows per block of the column-range passes (a block's values stay in cache). */
    private static final int BLOCK_ROWS = 4096;

    @Override
    public void close() {
        if (data64 != null) {
            data64.close();
        }
        if (float64 != null) {
            float64.close();
        }
    }
}
