package io.gaussmix.math;

import io.gaussmix.data.Matrix;
import io.gaussmix.parallel.UnitWorkers;

import java.util.Arrays;

/**
 * The part of a mixture's observed information whose cost grows with N (Louis' identity; see the
 * inference package): the rows' variance of the complete-data score
 * <pre>
 *   outer = sum_n w_n (sum_k r_nk a_nk a_nk^T - s_n s_n^T),   s_n = sum_k r_nk a_nk,
 * </pre>
 * and the total score sum_n w_n s_n, in the {@link ParameterLayout} coordinates ({@link ComponentScores}
 * gives a_nk). Each component's a_nk touches only its own support, so the first sum is made of the
 * components' support blocks; only the s_n s_n^T term is dense. Backends compute it through
 * {@code Backend.rowInformation}; {@link #onHost} is the float64 reference every backend falls back to.
 *
 * @param layout the coordinates
 * @param outer  P x P row-major, the upper triangle (j >= i) filled, the strict lower triangle zero
 * @param score  P, sum_n w_n s_n (zero at a maximum of the likelihood)
 */
public record RowInformation(ParameterLayout layout, double[] outer, double[] score) {
    /** Rows per host unit: the work per row is O(P^2), so even a small unit outweighs its P x P partial sum. */
    public static final int UNIT_ROWS = 256;

    /**
     * On the host: rows in fixed units of {@value #UNIT_ROWS} on the shared pool, the units' sums added in
     * unit order, so the result is the same bits on any number of threads.
     *
     * @param x finite rows of p's width
     * @param w frequency weights, null for 1 each
     */
    public static RowInformation onHost(MixtureParams p, Matrix x, double[] w) {
        ComponentScores scores = new ComponentScores(p);
        int size = scores.layout().size();
        Part total = UnitWorkers.shared().reduce(x.rows(), UNIT_ROWS,
                (from, to) -> rows(p, scores, x, w, from, to), Part::add);
        if (total == null) {
            total = new Part(size);
        }
        return new RowInformation(scores.layout(), total.outer, total.score);
    }

    /** One unit's sums. */
    private static final class Part {
        final double[] outer;
        final double[] score;

        Part(int size) {
            outer = new double[size * size];
            score = new double[size];
        }

        /** Adds o into this one (in unit order, by the caller) and returns this one. */
        Part add(Part o) {
            for (int i = 0; i < outer.length; i++) {
                outer[i] += o.outer[i];
            }
            for (int i = 0; i < score.length; i++) {
                score[i] += o.score[i];
            }
            return this;
        }
    }

    private static Part rows(MixtureParams p, ComponentScores scores, Matrix x, double[] w, int from, int to) {
        int k = p.components();
        int d = p.dimensions();
        int size = scores.layout().size();
        Part part = new Part(size);
        double[] data = x.data();
        double[] z = new double[k * d];
        double[] y = new double[d];
        double[] logp = new double[k];
        double[] s = new double[size];
        double[][] a = new double[k][];
        for (int c = 0; c < k; c++) {
            a[c] = new double[scores.support(c).length];
        }
        for (int row = from; row < to; row++) {
            double wn = w == null ? 1 : w[row];
            if (wn == 0) {
                continue;
            }
            for (int c = 0; c < k; c++) {
                double[] lambda = scores.precision(c);
                for (int i = 0; i < d; i++) {
                    y[i] = data[row * d + i] - p.means()[c * d + i];
                }
                double maha = 0;
                for (int i = 0; i < d; i++) {
                    double zi = 0;
                    for (int j = 0; j < d; j++) {
                        zi += lambda[i * d + j] * y[j];
                    }
                    z[c * d + i] = zi;
                    maha += y[i] * zi;
                }
                logp[c] = p.logDensityConstant(c) - 0.5 * maha;
            }
            double rowLl = LogSumExp.of(logp, 0, k);
            Arrays.fill(s, 0);
            for (int c = 0; c < k; c++) {
                double r = Math.exp(logp[c] - rowLl);
                double g = wn * r;
                scores.score(c, z, c * d, a[c]);
                int[] idx = scores.support(c);
                for (int i = 0; i < idx.length; i++) {
                    s[idx[i]] += r * a[c][i];
                    double gi = g * a[c][i];
                    int rowAt = idx[i] * size;
                    for (int j = i; j < idx.length; j++) {
                        part.outer[rowAt + idx[j]] += gi * a[c][j];
                    }
                }
            }
            for (int i = 0; i < size; i++) {
                double si = wn * s[i];
                if (si == 0) {
                    continue;
                }
                part.score[i] += si;
                int rowAt = i * size;
                for (int j = i; j < size; j++) {
                    part.outer[rowAt + j] -= si * s[j];
                }
            }
        }
        return part;
    }
}
