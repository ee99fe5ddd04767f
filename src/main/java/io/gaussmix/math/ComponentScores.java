package io.gaussmix.math;

/**
 * What the gradient a_nk of log(pi_k f_k(x_n)) needs, per component, in the {@link ParameterLayout}
 * coordinates: each component's dense precision Lambda_k = U_k U_k^T, and its support, the coordinates
 * a_nk can be non-zero in (ascending: the weights its log weight depends on, its means, its covariance
 * block). With z = Lambda_k (x - mu_k):
 * <pre>
 *   a (weight j)  = [j == k] / pi_k  (k < K-1),   -1 / pi_{K-1}  (k = K-1)
 *   a (mean)      = z
 *   a (cov a)     = 1/2 sum_(p,q) (z_p z_q - Lambda_qp)   over the unit entries (p, q) of E_a
 * </pre>
 * Written once here for the host path ({@link RowInformation#onHost}) and for what the devices upload.
 */
public final class ComponentScores {
    private final MixtureParams p;
    private final ParameterLayout layout;
    private final int k;
    private final int d;
    private final double[][] precision;
    private final int[][] support;

    public ComponentScores(MixtureParams p) {
        this.p = p;
        this.k = p.components();
        this.d = p.dimensions();
        this.layout = new ParameterLayout(p.structure(), k, d);
        this.precision = new double[k][];
        this.support = new int[k][];
        for (int c = 0; c < k; c++) {
            precision[c] = precision(p, c);
            support[c] = supportOf(c);
        }
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** Lambda_c, dense D x D row-major (this object's own array: read only). */
    public double[] precision(int c) {
        return precision[c];
    }

    /** Component c's coordinates, ascending (this object's own array: read only). */
    public int[] support(int c) {
        return support[c];
    }

    /** The longest support (the last component's when K > 2: its log weight depends on all K-1 free weights). */
    public int maxSupport() {
        int m = 0;
        for (int[] s : support) {
            m = Math.max(m, s.length);
        }
        return m;
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

    private int[] supportOf(int c) {
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

    /** a_nk over component c's support into out, from z[zAt, zAt + D) = Lambda_c (x - mu_c). */
    public void score(int c, double[] z, int zAt, double[] out) {
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
            out[n++] = z[zAt + i];
        }
        double[] lambda = precision[c];
        for (int a = 0; a < layout.blockParameters(); a++) {
            int[] e = layout.direction(a);
            double v = 0;
            for (int t = 0; t < e.length; t += 2) {
                v += z[zAt + e[t]] * z[zAt + e[t + 1]] - lambda[e[t + 1] * d + e[t]];
            }
            out[n++] = 0.5 * v;
        }
    }
}
