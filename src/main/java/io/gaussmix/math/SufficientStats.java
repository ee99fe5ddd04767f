package io.gaussmix.math;

import java.util.Arrays;

/**
 * The M-step's sufficient statistics from one pass over the rows, accumulated about a shift: the
 * means {@code c_k} of the parameters the pass used (so nothing cancels catastrophically).
 * With g_nk the responsibility times the row's sample weight w_n:
 * <ul>
 *   <li>{@code logLikelihood} = sum_n w_n log p(x_n), {@code totalWeight} = sum_n w_n;</li>
 *   <li>{@code nk[k]} = sum_n g_nk;</li>
 *   <li>{@code sumDiff[k*D + i]} = sum_n g_nk (x_ni - c_ki);</li>
 *   <li>{@code sumSq}: FULL and TIED: {@code [k*D*D + i*D + j]} = sum_n g_nk (x_ni - c_ki)(x_nj - c_kj), both
 *       triangles filled; DIAG and SPHERICAL: {@code [k*D + i]} = sum_n g_nk (x_ni - c_ki)^2.</li>
 * </ul>
 * A mutable accumulator: backends fill partial statistics and {@link #add} them in a fixed order.
 */
public final class SufficientStats {
    public final CovarianceKind type;
    public final int k;
    public final int d;
    public double logLikelihood;
    public double totalWeight;
    public final double[] nk;
    public final double[] sumDiff;
    public final double[] sumSq;

    public SufficientStats(CovarianceKind type, int k, int d) {
        this.type = type;
        this.k = k;
        this.d = d;
        this.nk = new double[k];
        this.sumDiff = new double[k * d];
        this.sumSq = new double[secondMomentLength(type, k, d)];
    }

    /** Length of {@link #sumSq} for a covariance type: K*D*D for FULL and TIED, K*D otherwise. */
    public static int secondMomentLength(CovarianceKind type, int k, int d) {
        return type.structure().dense() ? Math.multiplyExact(k, d * d) : k * d;
    }

    /** Adds another partial into this one (element-wise, so the caller controls the order). */
    public void add(SufficientStats o) {
        logLikelihood += o.logLikelihood;
        totalWeight += o.totalWeight;
        addInto(nk, o.nk);
        addInto(sumDiff, o.sumDiff);
        addInto(sumSq, o.sumSq);
    }

    /** Sets every sum back to 0, as a new instance: a backend may then fill it again for another partial. */
    public void clear() {
        logLikelihood = 0;
        totalWeight = 0;
        Arrays.fill(nk, 0.0);
        Arrays.fill(sumDiff, 0.0);
        Arrays.fill(sumSq, 0.0);
    }

    /**
     * Adds one row to component c: {@code g} is its responsibility times its sample weight and
     * {@code diff} its difference from the shift c_k. Second moments go to the upper triangle only
     * (FULL, TIED) or the diagonal; call {@link #mirrorUpper} once all rows are in.
     */
    public void addRow(int c, double g, double[] diff) {
        nk[c] += g;
        int md = c * d;
        for (int i = 0; i < d; i++) {
            sumDiff[md + i] += g * diff[i];
        }
        if (sumSq.length == k * d) {
            for (int i = 0; i < d; i++) {
                sumSq[md + i] += g * diff[i] * diff[i];
            }
            return;
        }
        int base = c * d * d;
        for (int i = 0; i < d; i++) {
            double gi = g * diff[i];
            int row = base + i * d;
            for (int j = i; j < d; j++) {
                sumSq[row + j] += gi * diff[j];
            }
        }
    }

    /** Copies the upper triangle of every D x D block of sumSq into its lower triangle (FULL, TIED). */
    public void mirrorUpper() {
        if (sumSq.length == k * d) {
            return;
        }
        for (int c = 0; c < k; c++) {
            int base = c * d * d;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    sumSq[base + i * d + j] = sumSq[base + j * d + i];
                }
            }
        }
    }

    private static void addInto(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }

    /** Mean log-likelihood per unit of sample weight: the EM lower bound scikit-learn reports. */
    public double meanLogLikelihood() {
        return logLikelihood / totalWeight;
    }
}
