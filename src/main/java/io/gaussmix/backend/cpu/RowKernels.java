package io.gaussmix.backend.cpu;

import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

/**
 * The float64 per-row math of the CPU backend on blocks of rows that is shared by every covariance
 * type (the responsibilities by log-sum-exp) or specific to DIAG and SPHERICAL, whose cost is O(D) per row
 * and component; FULL and TIED go through {@link TriangularPass}.
 */
final class RowKernels {
    /** Below this, Math.exp returns +0.0 exactly (its underflow threshold is -745.1332...). */
    static final double EXP_UNDERFLOW = -746.0;

    private RowKernels() {
    }

    /**
     * DIAG and SPHERICAL: weighted log densities of rows [r0, r0 + b) of x (row-major, D columns)
     * for every component, into {@code logp[i * K + c]} for block row i.
     */
    static void logDensities(MixtureParams p, double[] x, int r0, int b, double[] logp) {
        int k = p.components();
        int d = p.dimensions();
        double[] means = p.means();
        double[] prec = p.precisionCholesky();
        for (int c = 0; c < k; c++) {
            double constant = p.logDensityConstant(c);
            int mu = c * d;
            for (int i = 0; i < b; i++) {
                int row = (r0 + i) * d;
                double maha;
                switch (p.structure()) {
                    case DIAG: {
                        double s = 0;
                        for (int j = 0; j < d; j++) {
                            double t = (x[row + j] - means[mu + j]) * prec[mu + j];
                            s += t * t;
                        }
                        maha = s;
                        break;
                    }
                    case SPHERICAL: {
                        double s = 0;
                        for (int j = 0; j < d; j++) {
                            double t = x[row + j] - means[mu + j];
                            s += t * t;
                        }
                        maha = s * prec[c] * prec[c];
                        break;
                    }
                    default:
                        throw new IllegalArgumentException(p.type() + " goes through TriangularPass");
                }
                logp[i * k + c] = constant - 0.5 * maha;
            }
        }
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
                double v = logp[o + c] - max;
                // exp underflows to exactly 0 below about -745.13, so skipping the call there changes no
                // bit; with separated components most of the N*K calls land there (87% at D = 64 in the timing).
                double e = v < EXP_UNDERFLOW ? 0.0 : Math.exp(v);
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
     * DIAG and SPHERICAL: adds the block's contribution to the statistics: for every component and
     * row with g != 0, N_k += g, sumDiff += g (x - mu_k) and the diagonal second moments about mu_k.
     * {@code diff} is scratch of length D.
     */
    static void accumulate(MixtureParams p, double[] x, int r0, int b, double[] g, SufficientStats s, double[] diff) {
        int k = p.components();
        int d = p.dimensions();
        double[] means = p.means();
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
                for (int j = 0; j < d; j++) {
                    s.sumSq[mu + j] += gi * diff[j] * diff[j];
                }
            }
            s.nk[c] += nk;
        }
    }
}
