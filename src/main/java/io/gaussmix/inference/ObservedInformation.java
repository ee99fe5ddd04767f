package io.gaussmix.inference;

import io.gaussmix.backend.cpu.HostScorer;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.parallel.UnitWorkers;

import java.util.Arrays;

/**
 * The observed information J = -d^2 l / dtheta^2 of a mixture's log-likelihood l = sum_n w_n log p(x_n) at
 * given parameters, in the {@link ParameterLayout} coordinates, by Louis' identity: with r_nk the
 * responsibilities and a_nk the gradient of log(pi_k f_k(x_n)),
 * <pre>
 *   J = C - sum_n w_n (sum_k r_nk a_nk a_nk^T - s_n s_n^T),   s_n = sum_k r_nk a_nk (row n's score),
 *   C = -sum_n w_n sum_k r_nk d^2 log(pi_k f_k(x_n))          (the complete-data information)
 * </pre>
 * The second term is the rows' variance of the complete-data score, O(P^2) per row; C depends on the
 * rows only through each component's N_k, S1_k = sum g y and S2_k = sum g y y^T (g = w r, y = x - mu_k),
 * so it is formed once from those. With Lambda = Sigma^-1, z = Lambda y, t = Lambda S1, M = Lambda S2
 * Lambda and a covariance coordinate's direction E_a = sum of its unit entries (p, q):
 * <pre>
 *   a (weight j)  = [j == k] / pi_k  (k < K-1),   -1 / pi_{K-1}  (k = K-1)
 *   a (mean)      = z
 *   a (cov a)     = 1/2 sum_(p,q) (z_p z_q - Lambda_qp)
 *   C weights     = sum_{k<K-1} N_k/pi_k^2 e_k e_k^T + N_{K-1}/pi_{K-1}^2 1 1^T
 *   C mean-mean   = N_k Lambda
 *   C mean m, a   = sum_(p,q) Lambda_mp t_q
 *   C a, b        = sum_(p,q) in a sum_(r,s) in b Lambda_qr (M_sp - N_k/2 Lambda_sp)
 * </pre>
 * Rows are taken in fixed units of {@value #UNIT_ROWS} on the shared host pool and the units' sums
 * added in unit order, so J is the same bits on any number of threads.
 */
final class ObservedInformation {
    /** Rows per unit: the work per row is O(P^2), so even a small unit outweighs its P x P partial sum. */
    static final int UNIT_ROWS = 256;

    /** The information (P x P, symmetric, row-major) in the layout's coordinates, the diagonal of C, and the total score sum_n w_n s_n. */
    record Result(ParameterLayout layout, double[] information, double[] completeDiagonal, double[] score) {
    }

    private final MixtureParams p;
    private final ParameterLayout layout;
    private final int k;
    private final int d;
    private final int size;
    /** Each component's precision Lambda_k = U_k U_k^T, dense D x D. */
    private final double[][] precision;
    /** Each component's coordinates (ascending): the weights its log weight depends on, its means, its covariance block. */
    private final int[][] support;

    private ObservedInformation(MixtureParams p) {
        this.p = p;
        this.k = p.components();
        this.d = p.dimensions();
        this.layout = new ParameterLayout(p.structure(), k, d);
        this.size = layout.size();
        this.precision = new double[k][];
        this.support = new int[k][];
        for (int c = 0; c < k; c++) {
            precision[c] = precision(p, c);
            support[c] = support(c);
        }
    }

    /** J at p over the rows of x with frequency weights w (null: 1 each); x finite, every weight of p in (0, 1]. */
    static Result of(MixtureParams p, Matrix x, double[] w) {
        ObservedInformation info = new ObservedInformation(p);
        Part total = UnitWorkers.shared().reduce(x.rows(), UNIT_ROWS, (from, to) -> info.rows(x, w, from, to),
                Part::add);
        return info.finish(total);
    }

    private static double[] precision(MixtureParams p, int c) {
        int d = p.dimensions();
        double[] u = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                u[i * d + j] = p.structure().entry(p.precisionCholesky(), c, d, i, j);
            }
        }
        double[] lambda = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int l = 0; l < d; l++) {
                    s += u[i * d + l] * u[j * d + l];
                }
                lambda[i * d + j] = s;
            }
        }
        return lambda;
    }

    private int[] support(int c) {
        int weights = k == 1 ? 0 : c < k - 1 ? 1 : k - 1;
        int cov = layout.blockParameters();
        int[] idx = new int[weights + d + cov];
        int n = 0;
        if (k > 1 && c < k - 1) {
            idx[n++] = c;
        } else {
            for (int j = 0; j < weights; j++) {
                idx[n++] = j;
            }
        }
        for (int i = 0; i < d; i++) {
            idx[n++] = layout.mean(c, i);
        }
        for (int a = 0; a < cov; a++) {
            idx[n++] = layout.covarianceStart(c) + a;
        }
        return idx;
    }

    /** One unit's sums: the score variance term (upper triangle), the total score and the components' statistics. */
    private static final class Part {
        final double[] outer;
        final double[] score;
        final double[] n;
        final double[] s1;
        final double[] s2;

        Part(int size, int k, int d) {
            outer = new double[size * size];
            score = new double[size];
            n = new double[k];
            s1 = new double[k * d];
            s2 = new double[k * d * d];
        }

        /** Adds o into this one (in unit order, by the caller) and returns this one. */
        Part add(Part o) {
            addInto(outer, o.outer);
            addInto(score, o.score);
            addInto(n, o.n);
            addInto(s1, o.s1);
            addInto(s2, o.s2);
            return this;
        }

        private static void addInto(double[] to, double[] from) {
            for (int i = 0; i < to.length; i++) {
                to[i] += from[i];
            }
        }
    }

    private Part rows(Matrix x, double[] w, int from, int to) {
        Part part = new Part(size, k, d);
        double[] data = x.data();
        double[] y = new double[k * d];
        double[] z = new double[k * d];
        double[] logp = new double[k];
        double[] s = new double[size];
        double[][] a = new double[k][];
        for (int c = 0; c < k; c++) {
            a[c] = new double[support[c].length];
        }
        for (int row = from; row < to; row++) {
            double wn = w == null ? 1 : w[row];
            if (wn == 0) {
                continue;
            }
            for (int c = 0; c < k; c++) {
                double maha = 0;
                for (int i = 0; i < d; i++) {
                    y[c * d + i] = data[row * d + i] - p.means()[c * d + i];
                }
                for (int i = 0; i < d; i++) {
                    double zi = 0;
                    for (int j = 0; j < d; j++) {
                        zi += precision[c][i * d + j] * y[c * d + j];
                    }
                    z[c * d + i] = zi;
                    maha += y[c * d + i] * zi;
                }
                logp[c] = p.logDensityConstant(c) - 0.5 * maha;
            }
            double rowLl = HostScorer.logSumExp(logp, 0, k);
            Arrays.fill(s, 0);
            for (int c = 0; c < k; c++) {
                double r = Math.exp(logp[c] - rowLl);
                double g = wn * r;
                componentScore(c, z, a[c]);
                int[] idx = support[c];
                for (int i = 0; i < idx.length; i++) {
                    s[idx[i]] += r * a[c][i];
                    double gi = g * a[c][i];
                    int rowAt = idx[i] * size;
                    for (int j = i; j < idx.length; j++) {
                        part.outer[rowAt + idx[j]] += gi * a[c][j];
                    }
                }
                statistics(part, c, g, y);
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

    /** a_nk over component c's support, from z = Lambda_c (x - mu_c). */
    private void componentScore(int c, double[] z, double[] out) {
        int n = 0;
        if (k > 1) {
            double[] pi = p.weights();
            if (c < k - 1) {
                out[n++] = 1 / pi[c];
            } else {
                for (int j = 0; j < k - 1; j++) {
                    out[n++] = -1 / pi[k - 1];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            out[n++] = z[c * d + i];
        }
        double[] lambda = precision[c];
        for (int a = 0; a < layout.blockParameters(); a++) {
            int[] e = layout.direction(a);
            double v = 0;
            for (int t = 0; t < e.length; t += 2) {
                v += z[c * d + e[t]] * z[c * d + e[t + 1]] - lambda[e[t + 1] * d + e[t]];
            }
            out[n++] = 0.5 * v;
        }
    }

    private void statistics(Part part, int c, double g, double[] y) {
        part.n[c] += g;
        for (int i = 0; i < d; i++) {
            double gy = g * y[c * d + i];
            part.s1[c * d + i] += gy;
            for (int j = i; j < d; j++) {
                part.s2[(c * d + i) * d + j] += gy * y[c * d + j];
            }
        }
    }

    /** J = C - outer, mirrored into a full symmetric matrix. */
    private Result finish(Part total) {
        double[] c = new double[size * size];
        completeInformation(total, c);
        double[] j = new double[size * size];
        double[] diagonal = new double[size];
        for (int a = 0; a < size; a++) {
            diagonal[a] = c[a * size + a];
            for (int b = a; b < size; b++) {
                double v = c[a * size + b] - total.outer[a * size + b];
                j[a * size + b] = v;
                j[b * size + a] = v;
            }
        }
        return new Result(layout, j, diagonal, total.score);
    }

    /** C, upper triangle, from the components' statistics (see the class comment). */
    private void completeInformation(Part t, double[] out) {
        double[] pi = p.weights();
        for (int c = 0; c < k - 1; c++) {
            out[c * size + c] += t.n[c] / (pi[c] * pi[c]);
        }
        double last = k > 1 ? t.n[k - 1] / (pi[k - 1] * pi[k - 1]) : 0;
        for (int a = 0; a < k - 1; a++) {
            for (int b = a; b < k - 1; b++) {
                out[a * size + b] += last;
            }
        }
        for (int c = 0; c < k; c++) {
            double[] lambda = precision[c];
            double[] tv = new double[d];
            double[] s2 = new double[d * d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    tv[i] += lambda[i * d + j] * t.s1[c * d + j];
                    s2[i * d + j] = t.s2[(c * d + Math.min(i, j)) * d + Math.max(i, j)];
                }
            }
            // B = M - N/2 Lambda with M = Lambda S2 Lambda
            double[] m = multiply(multiply(lambda, s2), lambda);
            for (int i = 0; i < d * d; i++) {
                m[i] -= 0.5 * t.n[c] * lambda[i];
            }
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    out[layout.mean(c, i) * size + layout.mean(c, j)] += t.n[c] * lambda[i * d + j];
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
