package io.gaussmix.em;

import io.gaussmix.math.SufficientStats;

/**
 * The running sufficient statistics of stepwise EM (Cappé and Moulines, 2009), per unit of sample
 * weight: {@code s <- (1 - gamma) s + gamma * s_batch / W_batch}.
 *
 * <p>They are held as {@link SufficientStats} about a shift, the means of the current parameters, like
 * every pass's statistics, so that a batch's statistics (accumulated about those means) blend in entry
 * by entry. When the M-step moves the means, {@link #shift} re-centres the first and second moments
 * exactly (for a shift by delta: S1' = S1 - N delta, S2' = S2 - S1 delta^T - delta S1^T + N delta delta^T).
 * Keeping raw moments instead would make the M-step subtract N mu mu^T from them, losing about
 * log10(|mu|^2 / var) digits for data far from the origin; about the current means the shift moves by
 * one step's change only, and the subtraction is the one the batch M-step makes anyway.
 */
final class OnlineStatistics {
    private final SufficientStats s;

    private OnlineStatistics(SufficientStats s) {
        this.s = s;
    }

    /** The running statistics of a first batch: its own, per unit weight. */
    static OnlineStatistics first(SufficientStats batch) {
        OnlineStatistics r = new OnlineStatistics(new SufficientStats(batch.type, batch.k, batch.d));
        r.blend(batch, 1);
        return r;
    }

    /** s <- (1 - gamma) s + gamma * batch / batch.totalWeight; both about the same means. */
    void blend(SufficientStats batch, double gamma) {
        double keep = 1 - gamma;
        double take = gamma / batch.totalWeight;
        blend(s.nk, batch.nk, keep, take);
        blend(s.sumDiff, batch.sumDiff, keep, take);
        blend(s.sumSq, batch.sumSq, keep, take);
        s.totalWeight = 1;
    }

    private static void blend(double[] running, double[] batch, double keep, double take) {
        for (int i = 0; i < running.length; i++) {
            running[i] = keep * running[i] + take * batch[i];
        }
    }

    /**
     * The statistics as an M-step takes them: multiplied by {@code weight} (the batch's total weight in
     * mean-one units, i.e. its rows), so that the M-step's thresholds (dead components, the guard on N_k)
     * are relative to a batch as they are to the data in a batch fit.
     */
    SufficientStats scaledTo(double weight) {
        SufficientStats out = new SufficientStats(s.type, s.k, s.d);
        scale(s.nk, out.nk, weight);
        scale(s.sumDiff, out.sumDiff, weight);
        scale(s.sumSq, out.sumSq, weight);
        out.totalWeight = weight;
        return out;
    }

    private static void scale(double[] from, double[] to, double factor) {
        for (int i = 0; i < from.length; i++) {
            to[i] = factor * from[i];
        }
    }

    /** Re-centres the statistics from the means {@code from} to the means {@code to} (K x D each). */
    void shift(double[] from, double[] to) {
        int k = s.k;
        int d = s.d;
        boolean dense = s.type.structure().dense();
        double[] delta = new double[d];
        for (int c = 0; c < k; c++) {
            double n = s.nk[c];
            int md = c * d;
            for (int i = 0; i < d; i++) {
                delta[i] = to[md + i] - from[md + i];
            }
            if (dense) {
                int base = c * d * d;
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        s.sumSq[base + i * d + j] += -s.sumDiff[md + i] * delta[j] - delta[i] * s.sumDiff[md + j]
                                + n * delta[i] * delta[j];
                    }
                }
            } else {
                for (int i = 0; i < d; i++) {
                    s.sumSq[md + i] += -2 * s.sumDiff[md + i] * delta[i] + n * delta[i] * delta[i];
                }
            }
            for (int i = 0; i < d; i++) {
                s.sumDiff[md + i] -= n * delta[i];
            }
        }
    }
}
