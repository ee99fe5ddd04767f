package io.gaussmix.em;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.Backends;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;

/**
 * The fit of complete rows on the chosen backend: draws the initialiser's {@link InitSample} (the
 * validation pass of a streamed source), opens the backend, loads the rows once, puts the
 * {@link Float32Guard} around a float32 device, and runs the {@link Restarts} over its passes.
 */
public final class CompleteDataFit {
    private CompleteDataFit() {
    }

    /**
     * The rows of one matrix, all of them seen by the initialiser (the missing-data fit's complete rows).
     *
     * @param x              finite rows (checked by the caller)
     * @param sampleWeights  finite, >= 0, positive sum (checked by the caller), or null = all 1
     * @param rowsAllMissing rows the caller excluded because every value was missing, for the summary
     */
    public static FitResult run(FitSettings s, Matrix x, double[] sampleWeights, int rowsAllMissing) {
        return run(s, RowSource.of(x), sampleWeights, rowsAllMissing, Math.max(1, x.rows()));
    }

    /**
     * @param rows           the rows; one in-memory matrix is finite (checked by the caller), any other source
     *                       is checked by the sampling pass; kept open by the caller until this returns
     * @param sampleWeights  finite, >= 0, positive sum (checked by the caller), or null = all 1
     * @param rowsAllMissing rows the caller excluded because every value was missing, for the summary
     * @param initSample     the most rows the initialiser sees (a uniform sample above it, from the seed)
     */
    public static FitResult run(FitSettings s, RowSource rows, double[] sampleWeights, int rowsAllMissing,
                                int initSample) {
        return run(s, rows, RowSource.ofColumn(sampleWeights), rowsAllMissing, initSample);
    }

    /**
     * As {@link #run(FitSettings, RowSource, double[], int, int)} with the weights a one-column source of N
     * (null = all 1), read in step with the rows: in memory it is checked by the caller; streamed it is
     * checked by {@link SampleWeights#toMeanOne(RowSource)}'s passes here, before any other work, and never
     * held whole. Kept open by the caller until this returns, as the rows are.
     */
    public static FitResult run(FitSettings s, RowSource rows, RowSource sampleWeights, int rowsAllMissing,
                                int initSample) {
        RowSource.requireWeightsFor(sampleWeights, rows.rows());
        SampleWeights.MeanOne scaled = SampleWeights.toMeanOne(sampleWeights);
        RowSource w = scaled == null ? null : scaled.column();
        s.requireFits(rows.rows(), rows.cols(), scaled == null ? rows.rows() : scaled.positive(), "rows");
        InitSample sample = InitSample.of(rows, w, initSample, s.seed());
        Matrix x = sample.x();
        // Re-seeds come from the sample: all rows when N <= initSample, as before; otherwise the sample's
        // worst-explained rows, which a dead component needs no more than the single worst row of all N.
        EmFitter.WorstRowsSource worstRows = (p, m) -> WorstRows.under(x, p, m);
        try (Backend b = Backends.open(s.backend(), s.backendOptions(), s.listener()::onNote);
             LoadedData data = b.load(rows, w)) {
            s.listener().onNote("backend: " + b.description());
            if (b.precision() == Precision.FLOAT64) {
                return Restarts.run(s, p -> b.accumulate(data, p), worstRows, data.rows(), x, sample.w(),
                        b::description, rowsAllMissing);
            }
            try (Float32Guard guard = new Float32Guard(b, data, rows, w, s.listener())) {
                return Restarts.run(s, guard, worstRows, data.rows(), x, sample.w(), guard::description,
                        rowsAllMissing);
            }
        }
    }
}
