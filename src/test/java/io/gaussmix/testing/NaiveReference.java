package io.gaussmix.testing;

import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

/**
 * Straightforward, independent float64 reference computations for tests: log densities from the
 * dense covariance by a naive Cholesky solve, responsibilities by direct normalisation, and the
 * sufficient statistics by their definitions. Slow on purpose; no code shared with the engine.
 */
public final class NaiveReference {
    private NaiveReference() {
    }

    /** log pi_k + log N(x_n | mu_k, Sigma_k), N x K row-major. */
    public static double[] logDensities(MixtureParams p, Matrix x) {
        int k = p.components();
        int d = p.dimensions();
        double[] out = new double[x.rows() * k];
        for (int c = 0; c < k; c++) {
            double[] l = SyntheticMixtures.lowerCholesky(p, c);
            double logDet = 0;
            for (int i = 0; i < d; i++) {
                logDet += 2 * Math.log(l[i * d + i]);
            }
            for (int r = 0; r < x.rows(); r++) {
                double[] z = new double[d];
                for (int i = 0; i < d; i++) {   // forward solve L z = x - mu
                    double s = x.get(r, i) - p.means()[c * d + i];
                    for (int j = 0; j < i; j++) {
                        s -= l[i * d + j] * z[j];
                    }
                    z[i] = s / l[i * d + i];
                }
                double maha = 0;
                for (double v : z) {
                    maha += v * v;
                }
                out[r * k + c] = Math.log(p.weights()[c]) - 0.5 * (d * Math.log(2 * Math.PI) + logDet + maha);
            }
        }
        return out;
    }

    /** The statistics by definition (about the parameters' means), with full second moments for FULL/TIED. */
    public static SufficientStats stats(MixtureParams p, Matrix x, double[] weights) {
        int k = p.components();
        int d = p.dimensions();
        double[] logp = logDensities(p, x);
        SufficientStats s = new SufficientStats(p.type(), k, d);
        boolean square = s.sumSq.length != k * d;
        for (int r = 0; r < x.rows(); r++) {
            double w = weights == null ? 1 : weights[r];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, logp[r * k + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(logp[r * k + c] - max);
            }
            double lse = max + Math.log(sum);
            s.logLikelihood += w * lse;
            s.totalWeight += w;
            for (int c = 0; c < k; c++) {
                double g = w * Math.exp(logp[r * k + c] - lse);
                s.nk[c] += g;
                for (int i = 0; i < d; i++) {
                    double di = x.get(r, i) - p.means()[c * d + i];
                    s.sumDiff[c * d + i] += g * di;
                    if (square) {
                        for (int j = 0; j < d; j++) {
                            s.sumSq[c * d * d + i * d + j] += g * di * (x.get(r, j) - p.means()[c * d + j]);
                        }
                    } else {
                        s.sumSq[c * d + i] += g * di * di;
                    }
                }
            }
        }
        return s;
    }
}
