package io.gaussmix.missing;

import io.gaussmix.em.FitFailedException;
import io.gaussmix.math.CovarianceStructure;
import io.gaussmix.math.Gaussian;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.PrecisionCholesky;
import io.gaussmix.math.SufficientStats;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;

import java.util.Arrays;

/**
 * Everything one missingness pattern needs from the mixture, computed once per pattern and parameter set:
 * for each component (o observed, m missing coordinates)
 * <ul>
 *   <li>the normaliser {@code log pi_k - (o log 2 pi + log det S_oo) / 2} of the observed marginal;</li>
 *   <li>FULL and TIED: the lower Cholesky factor L of the observed block S_oo (EJML), the regression
 *       coefficients {@code B = S_mo S_oo^-1} (m x o, by two triangular solves per missing coordinate, no
 *       inverse), and the conditional covariance {@code S_mm - B S_om} (m x m). TIED factors once for all
 *       components;</li>
 *   <li>DIAG and SPHERICAL: the observed coordinates are independent of the missing ones, so the
 *       conditional mean of a missing coordinate is its mean and its conditional variance its variance.</li>
 * </ul>
 * Row methods take the caller's buffers and are safe to call from several threads at once.
 */
final class PatternFactors {

    final int d;
    final int k;
    final int o;
    final int m;
    final int[] obs;
    final int[] mis;
    private final boolean dense;
    private final boolean tied;
    private final double[] means;
    private final double[] logNorm;
    /** Dense: per factor (K, or 1 for TIED) L (o*o), 1/diag L (o), B (m*o), conditional covariance (m*m). */
    private final double[][] lower;
    private final double[][] invDiag;
    private final double[][] regression;
    private final double[][] condCov;
    /** Diagonal: 1/sd at the observed coordinates (K*o) and the variances of the missing ones (K*m). */
    private final double[] invSd;
    private final double[] missVar;

    PatternFactors(MixtureParams p, MissingPatterns.Pattern pattern) {
        this.d = p.dimensions();
        this.k = p.components();
        this.obs = pattern.observed();
        this.mis = pattern.missing();
        this.o = obs.length;
        this.m = mis.length;
        CovarianceStructure structure = p.structure();
        this.dense = structure.dense();
        this.tied = structure.shared();
        this.means = p.means();
        this.logNorm = new double[k];
        double[] lw = p.logWeights();
        double[] cov = p.covariances();
        if (dense) {
            int factors = tied ? 1 : k;
            lower = new double[factors][];
            invDiag = new double[factors][];
            regression = new double[factors][];
            condCov = new double[factors][];
            double[] logDet = new double[factors];
            for (int f = 0; f < factors; f++) {
                logDet[f] = factor(cov, structure.offset(f, d), f, tied ? -1 : f);
            }
            for (int c = 0; c < k; c++) {
                logNorm[c] = lw[c] - 0.5 * (o * Gaussian.LOG_2PI + logDet[tied ? 0 : c]);
            }
            invSd = null;
            missVar = null;
        } else {
            lower = null;
            invDiag = null;
            regression = null;
            condCov = null;
            invSd = new double[k * o];
            missVar = new double[k * m];
            double[] prec = p.precisionCholesky();
            for (int c = 0; c < k; c++) {
                double logDet = 0;
                for (int t = 0; t < o; t++) {
                    double var = structure.entry(cov, c, d, obs[t], obs[t]);
                    invSd[c * o + t] = structure.entry(prec, c, d, obs[t], obs[t]);
                    logDet += Math.log(var);
                }
                for (int a = 0; a < m; a++) {
                    missVar[c * m + a] = structure.entry(cov, c, d, mis[a], mis[a]);
                }
                logNorm[c] = lw[c] - 0.5 * (o * Gaussian.LOG_2PI + logDet);
            }
        }
    }

    /** Factors the observed block of the covariance at cov[off..]; returns log det S_oo. */
    private double factor(double[] cov, int off, int f, int component) {
        double[] l = new double[o * o];
        double logDet = 0;
        if (o > 0) {
            double[] soo = new double[o * o];
            for (int i = 0; i < o; i++) {
                for (int j = 0; j < o; j++) {
                    soo[i * o + j] = cov[off + obs[i] * d + obs[j]];
                }
            }
            double[] lt = PrecisionCholesky.lower(soo, 0, o);
            if (lt == null) {
                throw notPositiveDefinite(component);
            }
            for (int i = 0; i < o; i++) {
                for (int j = 0; j <= i; j++) {
                    l[i * o + j] = lt[i * o + j];
                }
                double lii = l[i * o + i];
                if (!(lii > 0) || !Double.isFinite(lii)) {
                    throw notPositiveDefinite(component);
                }
                logDet += 2 * Math.log(lii);
            }
        }
        double[] inv = new double[o];
        for (int i = 0; i < o; i++) {
            inv[i] = 1 / l[i * o + i];
        }
        // B row a = (S_oo^-1 S_o,mis[a])^T: solve L y = S_o,a, then L^T b = y.
        double[] b = new double[m * o];
        double[] col = new double[o];
        for (int a = 0; a < m; a++) {
            for (int t = 0; t < o; t++) {
                col[t] = cov[off + obs[t] * d + mis[a]];
            }
            if (o > 0) {
                TriangularSolver_DDRM.solveL(l, col, o);
                TriangularSolver_DDRM.solveTranL(l, col, o);
            }
            System.arraycopy(col, 0, b, a * o, o);
        }
        // Conditional covariance S_mm - B S_om (only the upper triangle is read, so fill that).
        double[] cc = new double[m * m];
        for (int a = 0; a < m; a++) {
            for (int c = a; c < m; c++) {
                double s = cov[off + mis[a] * d + mis[c]];
                for (int t = 0; t < o; t++) {
                    s -= b[a * o + t] * cov[off + obs[t] * d + mis[c]];
                }
                cc[a * m + c] = s;
                cc[c * m + a] = s;
            }
        }
        lower[f] = l;
        invDiag[f] = inv;
        regression[f] = b;
        condCov[f] = cc;
        return logDet;
    }

    private FitFailedException notPositiveDefinite(int component) {
        return new FitFailedException((component < 0 ? "the tied covariance" : "the covariance of component " + component)
                + " restricted to the observed columns " + Arrays.toString(obs)
                + " is not numerically positive definite; increase regCovar or scale the data");
    }

    /**
     * The weighted log marginal density {@code log pi_c + log N(x_o | mu_o, S_oo)} of the row at
     * {@code x[base..base+D)}; writes x_o - mu_o to {@code diffO[off..off+o)}; z is scratch of length o.
     */
    double logDensity(int c, double[] x, int base, double[] diffO, int off, double[] z) {
        int mu = c * d;
        for (int t = 0; t < o; t++) {
            diffO[off + t] = x[base + obs[t]] - means[mu + obs[t]];
        }
        double maha = 0;
        if (dense) {
            int f = tied ? 0 : c;
            double[] l = lower[f];
            double[] inv = invDiag[f];
            for (int i = 0; i < o; i++) {   // forward solve L z = diff
                double s = diffO[off + i];
                int row = i * o;
                for (int j = 0; j < i; j++) {
                    s -= l[row + j] * z[j];
                }
                double zi = s * inv[i];
                z[i] = zi;
                maha += zi * zi;
            }
        } else {
            int so = c * o;
            for (int t = 0; t < o; t++) {
                double v = diffO[off + t] * invSd[so + t];
                maha += v * v;
            }
        }
        return logNorm[c] - 0.5 * maha;
    }

    /**
     * Writes the completed row minus mu_c into {@code out} (length D): x_o - mu_o at the observed
     * coordinates and the conditional mean minus mu, {@code B (x_o - mu_o)}, at the missing ones (0 for
     * DIAG and SPHERICAL).
     */
    void centredCompletion(int c, double[] diffO, int off, double[] out) {
        for (int t = 0; t < o; t++) {
            out[obs[t]] = diffO[off + t];
        }
        if (dense) {
            double[] b = regression[tied ? 0 : c];
            for (int a = 0; a < m; a++) {
                double s = 0;
                int row = a * o;
                for (int t = 0; t < o; t++) {
                    s += b[row + t] * diffO[off + t];
                }
                out[mis[a]] = s;
            }
        } else {
            for (int a = 0; a < m; a++) {
                out[mis[a]] = 0;
            }
        }
    }

    /** The conditional expectation of missing coordinate a under component c, given x_o - mu_o in diffO. */
    double conditionalMean(int c, int a, double[] diffO, int off) {
        double s = means[c * d + mis[a]];
        if (dense) {
            double[] b = regression[tied ? 0 : c];
            int row = a * o;
            for (int t = 0; t < o; t++) {
                s += b[row + t] * diffO[off + t];
            }
        }
        return s;
    }

    /**
     * Adds {@code g[c]} times component c's conditional covariance of the missing block to the second
     * moments (the upper triangle for FULL and TIED, the diagonal for DIAG and SPHERICAL), for every c.
     */
    void addConditionalCovariance(double[] g, SufficientStats s) {
        if (m == 0) {
            return;
        }
        for (int c = 0; c < k; c++) {
            double gc = g[c];
            if (gc == 0) {
                continue;
            }
            if (dense) {
                double[] cc = condCov[tied ? 0 : c];
                int base = c * d * d;
                for (int a = 0; a < m; a++) {
                    for (int b = a; b < m; b++) {
                        s.sumSq[base + mis[a] * d + mis[b]] += gc * cc[a * m + b];
                    }
                }
            } else {
                for (int a = 0; a < m; a++) {
                    s.sumSq[c * d + mis[a]] += gc * missVar[c * m + a];
                }
            }
        }
    }
}
