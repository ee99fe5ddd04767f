package io.gaussmix.missing;

import io.gaussmix.BackendType;
import io.gaussmix.data.Matrix;
import io.gaussmix.em.CompleteDataFit;
import io.gaussmix.em.FitResult;
import io.gaussmix.em.FitSettings;
import io.gaussmix.em.Restarts;
import io.gaussmix.em.SampleWeights;

import java.util.Arrays;

/**
 * The fit of data with missing values (CPU, float64). Rows with every value missing are excluded and
 * counted; the initialisers run on the remaining rows with each missing value replaced by its column's
 * (weighted) observed mean, then EM runs on the incomplete rows themselves ({@link MissingDataPass}).
 */
public final class MissingDataFit {
    private MissingDataFit() {
    }

    /**
     * @param x             rows with NaN marking a missing value (otherwise finite; checked by the caller)
     * @param sampleWeights finite, >= 0, positive sum (checked by the caller), or null = all 1
     * @param patterns      the grouping of x's rows, without the all-missing rows
     */
    public static FitResult run(FitSettings s, Matrix x, double[] sampleWeights, MissingPatterns patterns) {
        int allMissing = patterns.allMissingRows().length;
        if (patterns.groupedRows() == 0) {
            throw new IllegalArgumentException("data has every value missing in all " + x.rows() + " rows");
        }
        double[] kept = withoutRows(sampleWeights, patterns.allMissingRows());
        if (kept != null && Arrays.stream(kept).noneMatch(v -> v > 0)) {
            throw new IllegalArgumentException("the sample weights of the rows with an observed value sum to 0");
        }
        double[] w = SampleWeights.toMeanOne(kept);
        if (allMissing > 0) {
            s.listener().onNote(allMissing + " row(s) have every value missing and are excluded from the fit"
                    + " (first: row " + patterns.allMissingRows()[0] + ", 0-based)");
        }
        UsableRows usable = new UsableRows(x.rows(), patterns.allMissingRows(), w);
        if (patterns.count() == 1 && patterns.pattern(0).complete()) {
            // Only all-missing rows had NaNs: the ordinary fit on the remaining rows is the exact answer.
            return CompleteDataFit.run(s, usable.select(x), usable.weights, allMissing);
        }
        s.requireFits(usable.rows.length, x.cols(), usable.weights, "rows with an observed value");
        Matrix meanImputed = usable.meanImputed(x);
        if (s.backend() != BackendType.CPU) {
            s.listener().onNote("missing values present: the missing-data EM runs on the CPU in float64 (backend "
                    + s.backend().id() + " requested)");
        }
        try (MissingDataPass pass = new MissingDataPass(x, w, patterns, s.backendOptions().threads())) {
            s.listener().onNote("backend: " + pass.description() + "; " + patterns.missingValues()
                    + " missing values");
            return Restarts.run(s, pass, pass::worstRows, patterns.groupedRows(), meanImputed, usable.weights,
                    pass::description, allMissing);
        }
    }

    /** The weights with those of the excluded rows set to 0, so that they do not count in the weight unit. */
    private static double[] withoutRows(double[] w, int[] excluded) {
        if (w == null || excluded.length == 0) {
            return w;
        }
        double[] out = w.clone();
        for (int r : excluded) {
            out[r] = 0;
        }
        return out;
    }
}
