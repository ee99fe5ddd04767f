package io.gaussmix.bench;

import io.gaussmix.CovarianceType;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;

import java.util.SplittableRandom;

/**
 * Seeded benchmark inputs shared by the JMH benchmarks, the {@code gaussmix bench} command and the
 * peer comparison: rows drawn from a random Gaussian mixture (never zeros, never a constant), and
 * starting parameters derived from those rows. The same arguments always give the same numbers.
 *
 * <p>The generator is cheap enough for N = 1e6, D = 128: each component has random covariances
 * (per-feature scales in [0.5, 1.5] and a rank-{@value #RANK} mixing term, so the components are
 * correlated and a full covariance matters, without an O(D^2) cost per row) and means placed as
 * {@link Clusters} says: {@link Clusters#OVERLAPPING}, the default and the headline of every
 * benchmark, or {@link Clusters#SEPARATED}, the case where EM skips most of its work.
 */
public final class BenchData {
    /** Rank of the correlated part of each generating component. */
    public static final int RANK = 4;

    /**
     * Expected variance of one feature within a component: E[(0.5 + U)^2] = 13/12 from the scale,
     * plus RANK * (1 / RANK) from the mixing term.
     */
    static final double FEATURE_VARIANCE = 13.0 / 12 + 1;

    /** Where the generating components' means lie. */
    public enum Clusters {
        /**
         * Means drawn per feature from N(0, s^2) with s = 3 sigma / sqrt(2 D), sigma^2 the expected
         * variance of a feature within a component: two means are then about 3 sigma apart whatever
         * D, so most rows have several responsibilities above 0 and EM does all of its work, as on
         * real data.
         */
        OVERLAPPING,
        /**
         * Means drawn per feature from N(0, 16): at D = 64 two means are about 45 feature standard
         * deviations apart, almost every (row, component) responsibility underflows to exactly 0 and
         * the statistics update of those pairs is skipped; a flattering, second case.
         */
        SEPARATED;

        /** The standard deviation of a mean's features. */
        double meanScale(int d) {
            return this == SEPARATED ? 4 : 3 * Math.sqrt(FEATURE_VARIANCE / (2.0 * d));
        }
    }

    private BenchData() {
    }

    /** N rows of D features from a seeded mixture of {@code components} overlapping Gaussians. */
    public static Matrix sample(int n, int d, int components, long seed) {
        return sample(n, d, components, seed, Clusters.OVERLAPPING);
    }

    /**
     * N rows of D features from a seeded mixture of {@code components} Gaussians.
     *
     * @param components number of generating components (independent of the K being benchmarked)
     */
    public static Matrix sample(int n, int d, int components, long seed, Clusters clusters) {
        if (n < 1 || d < 1 || components < 1) {
            throw new IllegalArgumentException("need n, d, components >= 1, got " + n + ", " + d + ", " + components);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int r = Math.min(RANK, d);
        double[] mu = new double[components * d];
        double[] scale = new double[components * d];
        double[] mix = new double[components * d * r];
        double[] w = new double[components];
        double meanScale = clusters.meanScale(d);
        double wsum = 0;
        for (int c = 0; c < components; c++) {
            w[c] = 0.5 + rnd.nextDouble();
            wsum += w[c];
            for (int i = 0; i < d; i++) {
                mu[c * d + i] = meanScale * gaussian(rnd);
                scale[c * d + i] = 0.5 + rnd.nextDouble();
                for (int j = 0; j < r; j++) {
                    mix[(c * d + i) * r + j] = gaussian(rnd) / Math.sqrt(r);
                }
            }
        }
        double[] cdf = new double[components];
        double acc = 0;
        for (int c = 0; c < components; c++) {
            acc += w[c] / wsum;
            cdf[c] = acc;
        }
        double[] data = new double[Math.multiplyExact(n, d)];
        double[] z = new double[r];
        for (int row = 0; row < n; row++) {
            double u = rnd.nextDouble();
            int c = 0;
            while (c < components - 1 && u > cdf[c]) {
                c++;
            }
            for (int j = 0; j < r; j++) {
                z[j] = gaussian(rnd);
            }
            int off = row * d;
            for (int i = 0; i < d; i++) {
                double v = mu[c * d + i] + scale[c * d + i] * gaussian(rnd);
                int m = (c * d + i) * r;
                for (int j = 0; j < r; j++) {
                    v += mix[m + j] * z[j];
                }
                data[off + i] = v;
            }
        }
        return Matrix.wrap(data, n, d);
    }

    /** The default: overlapping clusters, as many generating components as the K being fitted, at most 16. */
    public static Matrix sample(int n, int d, int k) {
        return sample(n, d, k, Clusters.OVERLAPPING);
    }

    /** As {@link #sample(int, int, int)}, with the clusters placed as asked. */
    public static Matrix sample(int n, int d, int k, Clusters clusters) {
        return sample(n, d, Math.min(Math.max(k, 1), 16), 42L + 1_000_003L * n + 1009L * d + k, clusters);
    }

    /** Mean of every column (D). */
    public static double[] columnMeans(Matrix x) {
        int n = x.rows();
        int d = x.cols();
        double[] a = x.data();
        double[] mean = new double[d];
        for (int row = 0; row < n; row++) {
            for (int i = 0; i < d; i++) {
                mean[i] += a[row * d + i];
            }
        }
        for (int i = 0; i < d; i++) {
            mean[i] /= n;
        }
        return mean;
    }

    /** The data covariance (D x D row-major, divisor N) plus {@code ridge} on the diagonal. */
    public static double[] covariance(Matrix x, double ridge) {
        int n = x.rows();
        int d = x.cols();
        double[] a = x.data();
        double[] mean = columnMeans(x);
        double[] cov = new double[d * d];
        double[] diff = new double[d];
        for (int row = 0; row < n; row++) {
            for (int i = 0; i < d; i++) {
                diff[i] = a[row * d + i] - mean[i];
            }
            for (int i = 0; i < d; i++) {
                double di = diff[i];
                int o = i * d;
                for (int j = i; j < d; j++) {
                    cov[o + j] += di * diff[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v = cov[i * d + j] / n;
                cov[i * d + j] = v;
                cov[j * d + i] = v;
            }
            cov[i * d + i] += ridge;
        }
        return cov;
    }

    /**
     * k-means++ seeding (D^2 sampling, one candidate per step) from a fixed seed: K x D row-major
     * centres, each a row of {@code x}.
     */
    public static double[] kMeansPlusPlus(Matrix x, int k, long seed) {
        int n = x.rows();
        int d = x.cols();
        if (k > n) {
            throw new IllegalArgumentException("k = " + k + " exceeds the " + n + " rows");
        }
        double[] a = x.data();
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] centres = new double[k * d];
        double[] d2 = new double[n];
        int first = rnd.nextInt(n);
        System.arraycopy(a, first * d, centres, 0, d);
        double total = 0;
        for (int row = 0; row < n; row++) {
            d2[row] = dist2(a, row * d, centres, 0, d);
            total += d2[row];
        }
        for (int c = 1; c < k; c++) {
            int pick;
            if (total > 0) {
                double u = rnd.nextDouble() * total;
                pick = n - 1;
                double acc = 0;
                for (int row = 0; row < n; row++) {
                    acc += d2[row];
                    if (acc >= u) {
                        pick = row;
                        break;
                    }
                }
            } else {
                pick = rnd.nextInt(n);
            }
            System.arraycopy(a, pick * d, centres, c * d, d);
            total = 0;
            for (int row = 0; row < n; row++) {
                double v = dist2(a, row * d, centres, c * d, d);
                if (v < d2[row]) {
                    d2[row] = v;
                }
                total += d2[row];
            }
        }
        return centres;
    }

    /**
     * The peers' common start: k-means++ means from {@code seed}, weights 1/K, every covariance the
     * data covariance + 1e-6 I (FULL only, the shape all peers accept).
     */
    public static MixtureParams peerStart(Matrix x, int k, long seed) {
        int d = x.cols();
        double[] means = kMeansPlusPlus(x, k, seed);
        double[] cov = covariance(x, 1e-6);
        double[] covs = new double[k * d * d];
        for (int c = 0; c < k; c++) {
            System.arraycopy(cov, 0, covs, c * d * d, d * d);
        }
        double[] w = new double[k];
        java.util.Arrays.fill(w, 1.0 / k);
        return MixtureParams.of(CovarianceType.FULL, w, means, covs, d);
    }

    /**
     * Cheap parameters for timing one pass at any K (K up to 1024 with N = 1e6): means are K rows
     * picked at random, weights 1/K, covariances derived from the data covariance (+1e-6 ridge) in
     * the requested shape: FULL and TIED the full matrix, DIAG its diagonal, SPHERICAL its mean variance.
     */
    public static MixtureParams passParams(Matrix x, CovarianceType type, int k, long seed) {
        int n = x.rows();
        int d = x.cols();
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] means = new double[k * d];
        for (int c = 0; c < k; c++) {
            System.arraycopy(x.data(), rnd.nextInt(n) * d, means, c * d, d);
        }
        // A subsample is plenty for a starting covariance and keeps setup quick at N = 1e6, D = 128.
        double[] cov = covariance(n > 100_000 ? x.rowRange(0, 100_000) : x, 1e-6);
        double[] covs = new double[type.covarianceLength(k, d)];
        switch (type) {
            case FULL:
                for (int c = 0; c < k; c++) {
                    System.arraycopy(cov, 0, covs, c * d * d, d * d);
                }
                break;
            case TIED:
                System.arraycopy(cov, 0, covs, 0, d * d);
                break;
            case DIAG:
                for (int c = 0; c < k; c++) {
                    for (int i = 0; i < d; i++) {
                        covs[c * d + i] = cov[i * d + i];
                    }
                }
                break;
            default:
                double s = 0;
                for (int i = 0; i < d; i++) {
                    s += cov[i * d + i];
                }
                java.util.Arrays.fill(covs, s / d);
        }
        double[] w = new double[k];
        java.util.Arrays.fill(w, 1.0 / k);
        return MixtureParams.of(type, w, means, covs, d);
    }

    private static double dist2(double[] a, int ao, double[] b, int bo, int d) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            double t = a[ao + i] - b[bo + i];
            s += t * t;
        }
        return s;
    }

    /** A standard normal draw (Marsaglia polar method; SplittableRandom has no nextGaussian in Java 17). */
    static double gaussian(SplittableRandom rnd) {
        double u;
        double v;
        double s;
        do {
            u = 2 * rnd.nextDouble() - 1;
            v = 2 * rnd.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
