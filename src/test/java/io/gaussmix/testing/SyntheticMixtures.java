package io.gaussmix.testing;

import io.gaussmix.CovarianceType;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;

import java.util.Random;

/** Seeded random mixtures and samples from them, for tests (never zeros, never a fixed output). */
public final class SyntheticMixtures {
    private SyntheticMixtures() {
    }

    /**
     * A random mixture of the given type: means spread with scale {@code spread} around {@code offset},
     * covariances A A^T / D + 0.1 I (FULL, TIED) or positive variances (DIAG, SPHERICAL).
     */
    public static MixtureParams randomParams(CovarianceType type, int k, int d, long seed, double spread, double offset) {
        Random rnd = new Random(seed);
        double[] w = new double[k];
        for (int c = 0; c < k; c++) {
            w[c] = 0.5 + rnd.nextDouble();
        }
        double[] means = new double[k * d];
        for (int i = 0; i < means.length; i++) {
            means[i] = offset + spread * rnd.nextGaussian();
        }
        double[] cov = new double[type.covarianceLength(k, d)];
        switch (type) {
            case FULL:
                for (int c = 0; c < k; c++) {
                    randomSpd(rnd, d, cov, c * d * d);
                }
                break;
            case TIED:
                randomSpd(rnd, d, cov, 0);
                break;
            default:
                for (int i = 0; i < cov.length; i++) {
                    cov[i] = 0.2 + rnd.nextDouble();
                }
        }
        return MixtureParams.of(type, w, means, cov, d);
    }

    private static void randomSpd(Random rnd, int d, double[] out, int off) {
        double[] a = new double[d * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int t = 0; t < d; t++) {
                    s += a[i * d + t] * a[j * d + t];
                }
                out[off + i * d + j] = s / d + (i == j ? 0.1 : 0);
            }
        }
    }

    /** n rows drawn from the mixture (component chosen by weight, then mean + L z). */
    public static Matrix sample(MixtureParams p, int n, long seed) {
        Random rnd = new Random(seed);
        int d = p.dimensions();
        int k = p.components();
        double[] cov = p.covariances();
        double[][] chol = new double[k][];
        for (int c = 0; c < k; c++) {
            chol[c] = lowerCholesky(p, c);
        }
        double[] x = new double[n * d];
        double[] z = new double[d];
        for (int r = 0; r < n; r++) {
            double u = rnd.nextDouble();
            int c = 0;
            double acc = p.weights()[0];
            while (u > acc && c < k - 1) {
                acc += p.weights()[++c];
            }
            for (int i = 0; i < d; i++) {
                z[i] = rnd.nextGaussian();
            }
            for (int i = 0; i < d; i++) {
                double s = p.means()[c * d + i];
                for (int j = 0; j <= i; j++) {
                    s += chol[c][i * d + j] * z[j];
                }
                x[r * d + i] = s;
            }
        }
        return Matrix.wrap(x, n, d);
    }

    /** The lower Cholesky factor of component c's covariance as a dense D x D array (test-only, naive). */
    public static double[] lowerCholesky(MixtureParams p, int c) {
        int d = p.dimensions();
        double[] full = denseCovariance(p, c);
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = full[i * d + j];
                for (int t = 0; t < j; t++) {
                    s -= l[i * d + t] * l[j * d + t];
                }
                l[i * d + j] = i == j ? Math.sqrt(s) : s / l[j * d + j];
            }
        }
        return l;
    }

    /** Component c's covariance as a dense D x D array, whatever the type. */
    public static double[] denseCovariance(MixtureParams p, int c) {
        int d = p.dimensions();
        double[] cov = p.covariances();
        double[] full = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                switch (p.structure()) {
                    case FULL: full[i * d + j] = cov[c * d * d + i * d + j]; break;
                    case TIED: full[i * d + j] = cov[i * d + j]; break;
                    case DIAG: full[i * d + j] = i == j ? cov[c * d + i] : 0; break;
                    default: full[i * d + j] = i == j ? cov[c] : 0;
                }
            }
        }
        return full;
    }

    /**
     * 400 rows of two clusters in 3 features, the third constant (16) in cluster 0: that component's variance
     * there is regCovar, which float32 cannot represent against a range of 16, so a float32 fit must be
     * promoted to float64 (the float32 guard's tests on every backend).
     */
    public static Matrix illConditionedForFloat32() {
        Random r = new Random(3);
        int n = 400;
        double[] v = new double[n * 3];
        for (int i = 0; i < n; i++) {
            boolean first = i % 2 == 0;
            v[i * 3] = (first ? 0 : 8) + r.nextGaussian();
            v[i * 3 + 1] = (first ? 0 : 5) + r.nextGaussian();
            v[i * 3 + 2] = first ? 16.0 : 16.0 * r.nextDouble();   // constant in cluster 0
        }
        return Matrix.wrap(v, n, 3);
    }
}
