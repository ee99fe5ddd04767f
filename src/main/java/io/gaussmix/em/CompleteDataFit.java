package io.gaussmix.em;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.Backends;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;

/**
 * The fit of complete rows on the chosen backend: opens it, loads the rows once, puts the
 * {@link Float32Guard} around a float32 device, and runs the {@link Restarts} over its passes.
 */
public final class CompleteDataFit {
    private CompleteDataFit() {
    }

    /**
     * @param x              finite rows (checked by the caller)
     * @param sampleWeights  finite, >= 0, positive sum (checked by the caller), or null = all 1
     * @param rowsAllMissing rows the caller excluded because every value was missing, for the summary
     */
    public static FitResult run(FitSettings s, Matrix x, double[] sampleWeights, int rowsAllMissing) {
        double[] w = SampleWeights.toMeanOne(sampleWeights);
        s.requireFits(x.rows(), x.cols(), w, "rows");
        EmFitter.WorstRowsSource worstRows = (p, m) -> WorstRows.under(x, p, m);
        try (Backend b = Backends.open(s.backend(), s.backendOptions(), s.listener()::onNote);
             LoadedData data = b.load(x, w)) {
            s.listener().onNote("backend: " + b.description());
            if (b.precision() == Precision.FLOAT64) {
                return Restarts.run(s, p -> b.accumulate(data, p), worstRows, Math.toIntExact(data.rows()), x, w, b::description,
                        rowsAllMissing);
            }
            try (Float32Guard guard = new Float32Guard(b, data, x, w, s.listener())) {
                return Restarts.run(s, guard, worstRows, Math.toIntExact(data.rows()), x, w, guard::description, rowsAllMissing);
            }
        }
    }
}
