package io.gaussmix.backend.cpu;

import io.gaussmix.math.Gaussian;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

/**
 * The CPU backend's per-row loops as they were before the triangular kernels (commit c3822aa),
 * kept verbatim for {@link CpuPassTiming}'s before/after comparison. Test code only.
 */
final class LegacyFullPass {
    private LegacyFullPass() {
    }

    /**
     * Weighted log densities of rows [r0, r0 + b) of x (row-major, D columns) for every component,
     * into {@code logp[i * K + c]} for block row i. {@code y} and {@code diff} are scratch of length D.
     */
    static void logDensities(MixtureParams p, double[] x, int r0, int b, double[] logp, double[] diff, double[] y) {
        int k = p.components();
        int d = p.dimensions();
        double[] means = p.means();
        double[] prec = p.precisionCholesky();
        double[] logW = p.logWeights();
        double[] logDet = p.logDetPrecChol();
        for (int c = 0; c < k; c++) {
            double constant = logW[c] + logDet[c] - 0.5 * d * Gaussian.LOG_2PI;
            int mu = c * d;
            for (int i = 0; i < b; i++) {
                int row = (r0 + i) * d;
                double maha;
                switch (p.type()) {
                    case FULL:
                        maha = mahalanobisTriangular(x, row, means, mu, prec, c * d * d, d, diff, y);
                        break;
                    case TIED:
                        maha = mahalanobisTriangular(x, row, means, mu, prec, 0, d, diff, y);
                        break;
                    case DIAG: {
                        double s = 0;
                        for (int j = 0; j < d; j++) {
                            double t = (x[row + j] - means[mu + j]) * prec[mu + j];
                            s += t * t;
                        }
                        maha = s;
                        break;
                    }
                    default: {
                        double s = 0;
                        for (int j = 0; j < d; j++) {
                            double t = x[row + j] - means[mu + j];
                            s += t * t;
                        }
                        maha = s * prec[c] * prec[c];
                    }
                }
                logp[i * k + c] = constant - 0.5 * maha;
            }
        }
    }

    /** ||(x - mu) U||^2 with U upper triangular (row-major D x D at prec[u..]). */
    private static double mahalanobisTriangular(double[] x, int row, double[] means, int mu, double[] prec, int u,
                                                int d, double[] diff, double[] y) {
        for (int j = 0; j < d; j++) {
            diff[j] = x[row + j] - means[mu + j];
            y[j] = 0;
        }
        for (int i = 0; i < d; i++) {
            double a = diff[i];
            int base = u + i * d;
            for (int j = i; j < d; j++) {
                y[j] += a * prec[base + j];
            }
        }
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += y[j] * y[j];
        }
        return s;
    }

    /**
     * Turns the block's log densities into responsibilities in place (times the row weight) and
     * returns the block's weighted log-likelihood; {@code rowLogLik} (may be null) receives each
     * row's log-sum-exp.
     */
    static double responsibilities(double[] logp, int b, int k, double[] weights, int r0, double[] rowLogLik) {
        double ll = 0;
        for (int i = 0; i < b; i++) {
            int o = i * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, logp[o + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                double e = Math.exp(logp[o + c] - max);
                logp[o + c] = e;
                sum += e;
            }
            double lse = max + Math.log(sum);
            double w = weights == null ? 1.0 : weights[r0 + i];
            double scale = w / sum;
            for (int c = 0; c < k; c++) {
                logp[o + c] *= scale;
            }
            if (w != 0) {
                ll += w * lse;
            }
            if (rowLogLik != null) {
                rowLogLik[i] = lse;
            }
        }
        return ll;
    }

    /**
     * Adds the block's contribution to the statistics: for every component and row with g != 0,
     * N_k += g, sumDiff += g (x - mu_k) and the second moments about mu_k (upper triangle only
     * for FULL and TIED; {@link #mirrorUpper} completes them after the reduction).
     */
    static void accumulate(MixtureParams p, double[] x, int r0, int b, double[] g, SufficientStats s, double[] diff) {
        int k = p.components();
        int d = p.dimensions();
        double[] means = p.means();
        boolean square = s.sumSq.length != k * d;
        for (int c = 0; c < k; c++) {
            int mu = c * d;
            double nk = 0;
            for (int i = 0; i < b; i++) {
                double gi = g[i * k + c];
                if (gi == 0) {
                    continue;
                }
                nk += gi;
                int row = (r0 + i) * d;
                for (int j = 0; j < d; j++) {
                    double t = x[row + j] - means[mu + j];
                    diff[j] = t;
                    s.sumDiff[mu + j] += gi * t;
                }
                if (square) {
                    int base = c * d * d;
                    for (int a = 0; a < d; a++) {
                        double ga = gi * diff[a];
                        int o = base + a * d;
                        for (int j = a; j < d; j++) {
                            s.sumSq[o + j] += ga * diff[j];
                        }
                    }
                } else {
                    for (int j = 0; j < d; j++) {
                        s.sumSq[mu + j] += gi * diff[j] * diff[j];
                    }
                }
            }
            s.nk[c] += nk;
        }
    }
}
