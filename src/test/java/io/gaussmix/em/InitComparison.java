package io.gaussmix.em;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.InitMethod;
import io.gaussmix.data.Matrix;
import io.gaussmix.testing.ReferenceCases;

import java.util.Locale;

/**
 * Not a test: compares the initialisers on the reference data sets (the scikit-learn cases' data and K),
 * for each covariance type: over 20 seeds with nInit 1 and the default tol, the mean final lower bound,
 * the mean number of EM iterations, how many seeds ended within 1e-3 of the best bound any run found,
 * and the mean wall time of a fit on one thread. Prints a Markdown table (the one in benchmarks/RESULTS.md).
 * Run: java -cp target/classes:target/test-classes:$(deps) io.gaussmix.em.InitComparison
 */
public final class InitComparison {
    static final int SEEDS = 20;

    private InitComparison() {
    }

    public static void main(String[] args) {
        String[][] sets = {{"blobs2d.csv", "3"}, {"blobs5d.csv", "4"}, {"lecture1d.csv", "3"}};
        StringBuilder head = new StringBuilder("| data, K | type |");
        for (InitMethod m : InitMethod.values()) {
            head.append(' ').append(m.id()).append(": bound / iterations / best / ms |");
        }
        System.out.println(head);
        System.out.println("|---|---|" + "---|".repeat(InitMethod.values().length));
        for (String[] set : sets) {
            Matrix x = ReferenceCases.dataset(set[0]);
            int k = Integer.parseInt(set[1]);
            for (CovarianceType t : CovarianceType.values()) {
                System.out.println(row(x, set[0].replace(".csv", ""), k, t));
            }
        }
    }

    private static String row(Matrix x, String name, int k, CovarianceType t) {
        int methods = InitMethod.values().length;
        double[][] bound = new double[methods][SEEDS];
        int[][] iterations = new int[methods][SEEDS];
        long[] nanos = new long[methods];
        double best = Double.NEGATIVE_INFINITY;
        for (InitMethod m : InitMethod.values()) {
            for (int s = 0; s < SEEDS; s++) {
                long t0 = System.nanoTime();
                GaussianMixtureModel g = GaussianMixture.builder().backend(BackendType.CPU).threads(1).k(k)
                        .covarianceType(t).init(m).seed(s).build().fit(x);
                nanos[m.ordinal()] += System.nanoTime() - t0;
                bound[m.ordinal()][s] = g.summary().lowerBound();
                iterations[m.ordinal()][s] = g.summary().iterations();
                best = Math.max(best, bound[m.ordinal()][s]);
            }
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "| %s, %d | %s |", name, k, t.id()));
        for (InitMethod m : InitMethod.values()) {
            double mean = 0;
            double its = 0;
            int hits = 0;
            for (int s = 0; s < SEEDS; s++) {
                mean += bound[m.ordinal()][s] / SEEDS;
                its += (double) iterations[m.ordinal()][s] / SEEDS;
                hits += bound[m.ordinal()][s] >= best - 1e-3 ? 1 : 0;
            }
            sb.append(String.format(Locale.ROOT, " %.4f / %.1f / %d / %.1f |", mean, its, hits,
                    nanos[m.ordinal()] / 1e6 / SEEDS));
        }
        return sb.toString();
    }
}
