package io.gaussmix.em;

import io.gaussmix.CovarianceType;
import io.gaussmix.InitMethod;
import io.gaussmix.Intervention;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Starting parameters on the host in float64, identical for every backend. Each method produces
 * responsibilities (hard or soft) and accumulates the sufficient statistics they imply ({@link Start});
 * EM runs the shared {@link MStep} on them, so a start is estimated exactly as an EM iteration
 * estimates, and the variational fit its own M-step, as scikit-learn's {@code _initialize(X, resp)}.
 */
public final class Initializer {
    /** Lloyd iterations of KMEANS stop after this many, or earlier when no row changes cluster. */
    static final int MAX_LLOYD_ITERATIONS = 100;

    private Initializer() {
    }

    /**
     * The statistics a start is estimated from: responsibilities' sufficient statistics about the
     * {@code centres} (also the shift of {@code stats}); the EM start is their {@link MStep}, the
     * variational start their variational M-step.
     */
    public record Start(SufficientStats stats, double[] centres) {
        /** Parameters that carry the centres as the statistics' shift (identity covariances). */
        public MixtureParams shift(CovarianceType type, int d) {
            return MixtureParams.withIdentityCovariances(type, centres, d);
        }
    }

    public static MixtureParams initialize(InitMethod method, Matrix x, double[] w, int k, CovarianceType type,
                                           double regCovar, SplittableRandom rnd, Consumer<Intervention> log) {
        return estimate(statistics(method, x, w, k, type, rnd), x, k, type, regCovar, log);
    }

    /** The start's statistics for an initialisation method (its random choices from {@code rnd}). */
    public static Start statistics(InitMethod method, Matrix x, double[] w, int k, CovarianceType type,
                                   SplittableRandom rnd) {
        int n = x.rows();
        int d = x.cols();
        switch (method) {
            case KMEANS_PLUS_PLUS: {
                double[] centres = kMeansPlusPlus(x, w, k, rnd);
                return labelStatistics(x, w, nearest(x, centres, k), centres, k, type);
            }
            case KMEANS: {
                double[] centres = kMeansPlusPlus(x, w, k, rnd);
                int[] labels = nearest(x, centres, k);
                for (int it = 0; it < MAX_LLOYD_ITERATIONS; it++) {
                    centres = clusterMeans(x, w, labels, centres, k);
                    int[] next = nearest(x, centres, k);
                    boolean same = Arrays.equals(next, labels);
                    labels = next;
                    if (same) {
                        break;
                    }
                }
                return labelStatistics(x, w, labels, centres, k, type);
            }
            case RANDOM_FROM_DATA: {
                int[] rows = IntStream.range(0, n).toArray();
                for (int i = 0; i < Math.min(k, n); i++) {   // partial Fisher-Yates: k distinct rows
                    int j = i + rnd.nextInt(n - i);
                    int t = rows[i];
                    rows[i] = rows[j];
                    rows[j] = t;
                }
                double[] centres = new double[k * d];
                int[] labels = new int[n];
                Arrays.fill(labels, -1);
                for (int c = 0; c < k; c++) {
                    System.arraycopy(x.data(), rows[c] * d, centres, c * d, d);
                    labels[rows[c]] = c;
                }
                return labelStatistics(x, null, labels, centres, k, type);
            }
            default:
                return randomResponsibilityStatistics(x, w, k, type, rnd);
        }
    }

    /** The EM start: the shared M-step on the start's statistics (a dead cluster is re-seeded at a far row). */
    private static MixtureParams estimate(Start st, Matrix x, int k, CovarianceType type, double reg,
                                          Consumer<Intervention> log) {
        return MStep.apply(st.stats(), st.shift(type, x.cols()), reg, 0, m -> farthestRows(x, st.centres(), k, m), log);
    }

    /**
     * The start from a given hard assignment (one label in 0..k-1 per row): the M-step of its one-hot
     * responsibilities, as scikit-learn's {@code _initialize(X, resp)}, about each label's own mean.
     *
     * @param w sample weights scaled to mean 1 ({@link SampleWeights}), or null = all 1
     * @throws IllegalArgumentException for a wrong number of labels, a label out of range, or a label
     *                                  with no row of positive weight (a component nothing starts)
     */
    public static MixtureParams fromGivenLabels(Matrix x, double[] w, int[] labels, int k, CovarianceType type,
                                                double regCovar, Consumer<Intervention> log) {
        return estimate(givenLabelStatistics(x, w, labels, k, type), x, k, type, regCovar, log);
    }

    /**
     * The statistics of a given hard assignment about each label's own mean; checked as
     * {@link #fromGivenLabels} describes.
     */
    public static Start givenLabelStatistics(Matrix x, double[] w, int[] labels, int k, CovarianceType type) {
        if (labels.length != x.rows()) {
            throw new IllegalArgumentException("initLabels: " + labels.length + " labels for " + x.rows() + " data rows");
        }
        double[] counts = new double[k];
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] < 0 || labels[r] >= k) {
                throw new IllegalArgumentException("initLabels: row " + r + " (0-based) has label " + labels[r]
                        + ", outside 0.." + (k - 1) + " (k = " + k + ")");
            }
            counts[labels[r]] += w == null ? 1 : w[r];
        }
        for (int c = 0; c < k; c++) {
            // An empty label would start a component from nothing: scikit-learn then puts its mean at the
            // origin with covariance regCovar * I, which is silently arbitrary; we refuse instead.
            if (!(counts[c] > 0)) {
                throw new IllegalArgumentException("initLabels: label " + c + " has no rows"
                        + (w == null ? "" : " of positive sample weight") + "; every label 0.." + (k - 1)
                        + " must start a component (use a smaller k or relabel)");
            }
        }
        double[] centres = clusterMeans(x, w, labels, new double[k * x.cols()], k);
        return labelStatistics(x, w, labels, centres, k, type);
    }

    /** k-means++ seeding: the first centre by weight, each next one with probability proportional to w * D^2. */
    static double[] kMeansPlusPlus(Matrix x, double[] w, int k, SplittableRandom rnd) {
        int n = x.rows();
        int d = x.cols();
        double[] data = x.data();
        double[] centres = new double[k * d];
        double[] d2 = new double[n];
        int first = pickWeighted(w, null, n, rnd);
        System.arraycopy(data, first * d, centres, 0, d);
        Arrays.fill(d2, Double.POSITIVE_INFINITY);
        for (int c = 0; c < k; c++) {
            if (c > 0) {
                int row = pickWeighted(w, d2, n, rnd);
                System.arraycopy(data, row * d, centres, c * d, d);
            }
            int off = c * d;
            IntStream.range(0, n).parallel().forEach(r -> d2[r] = Math.min(d2[r], squaredDistance(data, r * d, centres, off, d)));
        }
        return centres;
    }

    /** A row drawn with probability proportional to w[r] * (d2 == null ? 1 : d2[r]); uniform if all are zero. */
    private static int pickWeighted(double[] w, double[] d2, int n, SplittableRandom rnd) {
        double total = 0;
        for (int r = 0; r < n; r++) {
            total += (w == null ? 1 : w[r]) * (d2 == null ? 1 : d2[r]);
        }
        if (!(total > 0) || !Double.isFinite(total)) {
            return rnd.nextInt(n);
        }
        double u = rnd.nextDouble() * total;
        double acc = 0;
        int last = 0;
        for (int r = 0; r < n; r++) {
            double p = (w == null ? 1 : w[r]) * (d2 == null ? 1 : d2[r]);
            if (p > 0) {
                acc += p;
                last = r;
                if (u < acc) {
                    return r;
                }
            }
        }
        return last;
    }

    /** The nearest centre of every row (ties to the lower index). */
    static int[] nearest(Matrix x, double[] centres, int k) {
        int d = x.cols();
        double[] data = x.data();
        int[] labels = new int[x.rows()];
        IntStream.range(0, x.rows()).parallel().forEach(r -> {
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double dist = squaredDistance(data, r * d, centres, c * d, d);
                if (dist < bestD) {
                    bestD = dist;
                    best = c;
                }
            }
            labels[r] = best;
        });
        return labels;
    }

    private static double[] clusterMeans(Matrix x, double[] w, int[] labels, double[] old, int k) {
        int d = x.cols();
        double[] sums = new double[k * d];
        double[] counts = new double[k];
        for (int r = 0; r < x.rows(); r++) {
            double wr = w == null ? 1 : w[r];
            int c = labels[r];
            counts[c] += wr;
            for (int i = 0; i < d; i++) {
                sums[c * d + i] += wr * x.data()[r * d + i];
            }
        }
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) {
                sums[c * d + i] = counts[c] > 0 ? sums[c * d + i] / counts[c] : old[c * d + i];
            }
        }
        return sums;
    }

    private static double squaredDistance(double[] a, int ao, double[] b, int bo, int d) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            double t = a[ao + i] - b[bo + i];
            s += t * t;
        }
        return s;
    }

    /** The statistics of hard assignments (label -1 = the row takes no part), about the given centres. */
    private static Start labelStatistics(Matrix x, double[] w, int[] labels, double[] centres, int k,
                                         CovarianceType type) {
        int d = x.cols();
        SufficientStats s = new SufficientStats(type, k, d);
        double[] diff = new double[d];
        for (int r = 0; r < x.rows(); r++) {
            double g = w == null ? 1 : w[r];
            int c = labels[r];
            s.totalWeight += g;
            if (c < 0 || g == 0) {
                continue;
            }
            addRow(s, x.data(), r, c, g, centres, diff);
        }
        s.mirrorUpper();
        return new Start(s, centres);
    }

    /** scikit-learn's "random": uniform random responsibilities, normalised per row, about the global mean. */
    private static Start randomResponsibilityStatistics(Matrix x, double[] w, int k, CovarianceType type,
                                                        SplittableRandom rnd) {
        int d = x.cols();
        double[] centres = new double[k * d];
        double total = 0;
        for (int r = 0; r < x.rows(); r++) {
            double g = w == null ? 1 : w[r];
            total += g;
            for (int i = 0; i < d; i++) {
                centres[i] += g * x.data()[r * d + i];
            }
        }
        for (int i = 0; i < d; i++) {
            centres[i] /= total;
        }
        for (int c = 1; c < k; c++) {
            System.arraycopy(centres, 0, centres, c * d, d);
        }
        SufficientStats s = new SufficientStats(type, k, d);
        double[] resp = new double[k];
        double[] diff = new double[d];
        for (int r = 0; r < x.rows(); r++) {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                resp[c] = rnd.nextDouble();
                sum += resp[c];
            }
            double g = w == null ? 1 : w[r];
            s.totalWeight += g;
            for (int c = 0; c < k; c++) {
                addRow(s, x.data(), r, c, g * resp[c] / sum, centres, diff);
            }
        }
        s.mirrorUpper();
        return new Start(s, centres);
    }

    private static void addRow(SufficientStats s, double[] x, int r, int c, double g, double[] centres, double[] diff) {
        int d = s.d;
        for (int i = 0; i < d; i++) {
            diff[i] = x[r * d + i] - centres[c * d + i];
        }
        s.addRow(c, g, diff);
    }

    /** The m rows farthest from their nearest centre, row-major m*D (re-seeds for empty clusters). */
    private static double[] farthestRows(Matrix x, double[] centres, int k, int m) {
        int d = x.cols();
        double[] dist = new double[x.rows()];
        for (int r = 0; r < x.rows(); r++) {
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                best = Math.min(best, squaredDistance(x.data(), r * d, centres, c * d, d));
            }
            dist[r] = -best;
        }
        return WorstRows.lowest(x, dist, m);
    }
}
