package io.gaussmix.missing;

import io.gaussmix.CovarianceType;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.SyntheticMixtures;

import java.util.Random;

/**
 * Independent, deliberately naive float64 references for the missing-data EM: marginal densities and
 * conditional moments from the dense covariance by Gauss-Jordan inversion of the observed block (no
 * Cholesky, no code shared with the engine), and helpers to hide values at random.
 */
final class NaiveMissing {
    private NaiveMissing() {
    }

    /** A copy of x with each entry replaced by NaN with probability frac (MCAR); optionally keeps >= 1 value per row. */
    static Matrix hide(Matrix x, double frac, long seed, boolean keepOnePerRow) {
        Random rnd = new Random(seed);
        int d = x.cols();
        double[] out = x.data().clone();
        for (int r = 0; r < x.rows(); r++) {
            int hidden = 0;
            for (int j = 0; j < d; j++) {
                if (rnd.nextDouble() < frac) {
                    out[r * d + j] = Double.NaN;
                    hidden++;
                }
            }
            if (keepOnePerRow && hidden == d) {
                int j = rnd.nextInt(d);
                out[r * d + j] = x.get(r, j);
            }
        }
        return Matrix.wrap(out, x.rows(), d);
    }

    /** Inverse and log-determinant of a small SPD matrix by Gauss-Jordan with partial pivoting. */
    static double[] inverse(double[] a, int n, double[] logDetOut) {
        double[] m = a.clone();
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++) {
            inv[i * n + i] = 1;
        }
        double logDet = 0;
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r * n + col]) > Math.abs(m[piv * n + col])) {
                    piv = r;
                }
            }
            if (piv != col) {
                for (int j = 0; j < n; j++) {
                    double t = m[col * n + j];
                    m[col * n + j] = m[piv * n + j];
                    m[piv * n + j] = t;
                    t = inv[col * n + j];
                    inv[col * n + j] = inv[piv * n + j];
                    inv[piv * n + j] = t;
                }
            }
            double p = m[col * n + col];
            logDet += Math.log(Math.abs(p));
            for (int j = 0; j < n; j++) {
                m[col * n + j] /= p;
                inv[col * n + j] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = m[r * n + col];
                    for (int j = 0; j < n; j++) {
                        m[r * n + j] -= f * m[col * n + j];
                        inv[r * n + j] -= f * inv[col * n + j];
                    }
                }
            }
        }
        logDetOut[0] = logDet;
        return inv;
    }

    /** Per row and component: log pi_k + log N(x_o | mu_o, S_oo), the conditional mean (full row) and covariance (D x D, zero outside the missing block). */
    static final class RowComponent {
        double logp;
        double[] completed;
        double[] condCov;
    }

    static RowComponent rowComponent(MixtureParams p, int c, double[] row) {
        int d = p.dimensions();
        double[] s = SyntheticMixtures.denseCovariance(p, c);
        double[] mu = java.util.Arrays.copyOfRange(p.means(), c * d, (c + 1) * d);
        int[] obs = java.util.stream.IntStream.range(0, d).filter(j -> !Double.isNaN(row[j])).toArray();
        int[] mis = java.util.stream.IntStream.range(0, d).filter(j -> Double.isNaN(row[j])).toArray();
        int o = obs.length;
        double[] soo = new double[o * o];
        for (int i = 0; i < o; i++) {
            for (int j = 0; j < o; j++) {
                soo[i * o + j] = s[obs[i] * d + obs[j]];
            }
        }
        double[] logDet = new double[1];
        double[] inv = o == 0 ? new double[0] : inverse(soo, o, logDet);
        double[] diff = new double[o];
        for (int i = 0; i < o; i++) {
            diff[i] = row[obs[i]] - mu[obs[i]];
        }
        double[] alpha = new double[o];   // S_oo^-1 (x_o - mu_o)
        double maha = 0;
        for (int i = 0; i < o; i++) {
            for (int j = 0; j < o; j++) {
                alpha[i] += inv[i * o + j] * diff[j];
            }
            maha += diff[i] * alpha[i];
        }
        RowComponent rc = new RowComponent();
        rc.logp = Math.log(p.weights()[c]) - 0.5 * (o * Math.log(2 * Math.PI) + logDet[0] + maha);
        rc.completed = row.clone();
        rc.condCov = new double[d * d];
        for (int a : mis) {
            double v = mu[a];
            for (int i = 0; i < o; i++) {
                v += s[a * d + obs[i]] * alpha[i];
            }
            rc.completed[a] = v;
            for (int b : mis) {
                double cv = s[a * d + b];
                for (int i = 0; i < o; i++) {
                    for (int j = 0; j < o; j++) {
                        cv -= s[a * d + obs[i]] * inv[i * o + j] * s[obs[j] * d + b];
                    }
                }
                rc.condCov[a * d + b] = cv;
            }
        }
        return rc;
    }

    /** Observed-data log-likelihood of each row (rows with nothing observed give 0). */
    static double[] rowLogLikelihood(MixtureParams p, Matrix x) {
        double[] out = new double[x.rows()];
        for (int r = 0; r < x.rows(); r++) {
            double[] lp = new double[p.components()];
            for (int c = 0; c < lp.length; c++) {
                lp[c] = rowComponent(p, c, x.row(r)).logp;
            }
            out[r] = lse(lp);
        }
        return out;
    }

    static double lse(double[] a) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (double v : a) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }

    /** The expected sufficient statistics by their definition, about p's means (rows with nothing observed skipped). */
    static SufficientStats stats(MixtureParams p, Matrix x) {
        int k = p.components();
        int d = p.dimensions();
        SufficientStats s = new SufficientStats(p.type(), k, d);
        boolean square = p.type() == CovarianceType.FULL || p.type() == CovarianceType.TIED;
        for (int r = 0; r < x.rows(); r++) {
            double[] row = x.row(r);
            if (java.util.Arrays.stream(row).allMatch(Double::isNaN)) {
                continue;
            }
            RowComponent[] rc = new RowComponent[k];
            double[] lp = new double[k];
            for (int c = 0; c < k; c++) {
                rc[c] = rowComponent(p, c, row);
                lp[c] = rc[c].logp;
            }
            double l = lse(lp);
            s.logLikelihood += l;
            s.totalWeight += 1;
            for (int c = 0; c < k; c++) {
                double g = Math.exp(lp[c] - l);
                s.nk[c] += g;
                for (int i = 0; i < d; i++) {
                    double di = rc[c].completed[i] - p.means()[c * d + i];
                    s.sumDiff[c * d + i] += g * di;
                    for (int j = 0; j < d; j++) {
                        double dj = rc[c].completed[j] - p.means()[c * d + j];
                        double second = g * (di * dj + rc[c].condCov[i * d + j]);
                        if (square) {
                            s.sumSq[c * d * d + i * d + j] += second;
                        } else if (i == j) {
                            s.sumSq[c * d + i] += second;
                        }
                    }
                }
            }
        }
        return s;
    }
}
