package io.gaussmix.inference;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.math.ComponentScores;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.ParameterLayout;
import io.gaussmix.math.RowInformation;
import io.gaussmix.math.SufficientStats;

/**
 * The observed information J = -d^2 l / dtheta^2 of a mixture's log-likelihood l = sum_n w_n log p(x_n) at
 * given parameters, in the {@link ParameterLayout} coordinates, by Louis' identity: with r_nk the
 * responsibilities and a_nk the gradient of log(pi_k f_k(x_n)),
 * <pre>
 *   J = C - sum_n w_n (sum_k r_nk a_nk a_nk^T - s_n s_n^T),   s_n = sum_k r_nk a_nk (row n's score),
 *   C = -sum_n w_n sum_k r_nk d^2 log(pi_k f_k(x_n))          (the complete-data information)
 * </pre>
 * The second term is the rows' variance of the complete-data score, O(P^2) per row: the backend's
 * {@link Backend#rowInformation} ({@link RowInformation}, a_nk as {@link ComponentScores} writes it; on the
 * device where the backend has one). C depends on the rows only through each component's N_k, S1_k = sum g y
 * and S2_k = sum g y y^T (g = w r, y = x - mu_k), the backend's {@link Backend#accumulate} statistics about
 * the means, so it is formed on the host from those. With Lambda = Sigma^-1, t = Lambda S1, M = Lambda S2
 * Lambda and a covariance coordinate's direction E_a = sum of its unit entries (p, q):
 * <pre>
 *   C weights     = sum_{k<K-1} N_k/pi_k^2 e_k e_k^T + N_{K-1}/pi_{K-1}^2 1 1^T
 *   C mean-mean   = N_k Lambda
 *   C mean m, a   = sum_(p,q) Lambda_mp t_q
 *   C a, b        = sum_(p,q) in a sum_(r,s) in b Lambda_qr (M_sp - N_k/2 Lambda_sp)
 * </pre>
 * Both passes reduce in a fixed order, so J is the same bits run to run on one backend.
 */
final class ObservedInformation {
    /** The information (P x P, symmetric, row-major) in the layout's coordinates, the diagonal of C, and the total score sum_n w_n s_n. */
    record Result(ParameterLayout layout, double[] information, double[] completeDiagonal, double[] score) {
    }

    private final MixtureParams p;
    private final ComponentScores scores;
    private final ParameterLayout layout;
    private final int k;
    private final int d;
    private final int size;

    private ObservedInformation(MixtureParams p) {
        this.p = p;
        this.k = p.components();
        this.d = p.dimensions();
        this.scores = new ComponentScores(p);
        this.layout = scores.layout();
        this.size = layout.size();
    }

    /**
     * J at p over the rows {@code data} holds (loaded by {@code backend} with their frequency weights, in
     * float64); the rows finite, every weight of p in (0, 1].
     */
    static Result of(Backend backend, LoadedData data, MixtureParams p) {
        ObservedInformation info = new ObservedInformation(p);
        SufficientStats stats = backend.accumulate(data, p);
        RowInformation rows = backend.rowInformation(data, p);
        return info.finish(stats, rows);
    }

    /** J = C - outer, mirrored into a full symmetric matrix. */
    private Result finish(SufficientStats stats, RowInformation total) {
        double[] c = new double[size * size];
        completeInformation(stats, c);
        double[] j = new double[size * size];
        double[] diagonal = new double[size];
        for (int a = 0; a < size; a++) {
            diagonal[a] = c[a * size + a];
            for (int b = a; b < size; b++) {
                double v = c[a * size + b] - total.outer()[a * size + b];
                j[a * size + b] = v;
                j[b * size + a] = v;
            }
        }
        return new Result(layout, j, diagonal, total.score());
    }

    /** C, upper triangle, from the components' statistics (see the class comment). */
    private void completeInformation(SufficientStats t, double[] out) {
        boolean square = p.structure().dense();
        double[] pi = p.weights();
        for (int c = 0; c < k - 1; c++) {
            out[c * size + c] += t.nk[c] / (pi[c] * pi[c]);
        }
        double last = k > 1 ? t.nk[k - 1] / (pi[k - 1] * pi[k - 1]) : 0;
        for (int a = 0; a < k - 1; a++) {
            for (int b = a; b < k - 1; b++) {
                out[a * size + b] += last;
            }
        }
        for (int c = 0; c < k; c++) {
            double[] lambda = scores.precision(c);
            double[] tv = new double[d];
            double[] s2 = new double[d * d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    tv[i] += lambda[i * d + j] * t.sumDiff[c * d + j];
                    // DIAG and SPHERICAL keep only S2's diagonal, all their (diagonal) Lambda reaches
                    s2[i * d + j] = square ? t.sumSq[(c * d + Math.min(i, j)) * d + Math.max(i, j)]
                            : i == j ? t.sumSq[c * d + i] : 0;
                }
            }
            // B = M - N/2 Lambda with M = Lambda S2 Lambda
            double[] m = multiply(multiply(lambda, s2), lambda);
            for (int i = 0; i < d * d; i++) {
                m[i] -= 0.5 * t.nk[c] * lambda[i];
            }
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    out[layout.mean(c, i) * size + layout.mean(c, j)] += t.nk[c] * lambda[i * d + j];
                }
            }
            int cov = layout.covarianceStart(c);
            for (int a = 0; a < layout.blockParameters(); a++) {
                int[] ea = layout.direction(a);
                for (int mi = 0; mi < d; mi++) {
                    double v = 0;
                    for (int e = 0; e < ea.length; e += 2) {
                        v += lambda[mi * d + ea[e]] * tv[ea[e + 1]];
                    }
                    out[layout.mean(c, mi) * size + cov + a] += v;
                }
                for (int b = a; b < layout.blockParameters(); b++) {
                    int[] eb = layout.direction(b);
                    double v = 0;
                    for (int e = 0; e < ea.length; e += 2) {
                        for (int f = 0; f < eb.length; f += 2) {
                            v += lambda[ea[e + 1] * d + eb[f]] * m[eb[f + 1] * d + ea[e]];
                        }
                    }
                    out[(cov + a) * size + cov + b] += v;
                }
            }
        }
    }

    private double[] multiply(double[] a, double[] b) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int l = 0; l < d; l++) {
                double ail = a[i * d + l];
                for (int j = 0; j < d; j++) {
                    out[i * d + j] += ail * b[l * d + j];
                }
            }
        }
        return out;
    }
}
