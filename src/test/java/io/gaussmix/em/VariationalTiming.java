package io.gaussmix.em;

import io.gaussmix.BackendType;
import io.gaussmix.BayesianPriors;
import io.gaussmix.CovarianceType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.WeightPrior;
import io.gaussmix.data.Matrix;

import java.util.Locale;
import java.util.Random;

/**
 * Timing harness (a main, run by no test): the marginal cost of a variational Bayesian iteration against an
 * EM iteration on the CPU backend, from the same labels: (fit of 21 iterations - fit of 1) / 20 each, so
 * that loading, the start and JVM warm-up cancel; repeated, interleaved.
 *
 * <pre>
 * mvn -B -ntp -o -q dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     io.gaussmix.em.VariationalTiming 200000 16 8 full
 * </pre>
 */
public final class VariationalTiming {
    private VariationalTiming() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int d = Integer.parseInt(args[1]);
        int k = Integer.parseInt(args[2]);
        CovarianceType type = CovarianceType.parse(args[3]);
        Random r = new Random(1);
        double[] x = new double[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = labels[i] * 3 + r.nextGaussian();
            }
        }
        Matrix m = Matrix.wrap(x, n, d);
        GaussianMixture g = GaussianMixture.builder().k(k).covarianceType(type).tol(0).initLabels(labels)
                .backend(BackendType.CPU).build();
        BayesianPriors priors = BayesianPriors.defaults(WeightPrior.DIRICHLET_PROCESS);
        for (int rep = 0; rep < 7; rep++) {
            long t0 = System.nanoTime();
            g.toBuilder().maxIter(1).build().fit(m);
            long t1 = System.nanoTime();
            g.toBuilder().maxIter(21).build().fit(m);
            long t2 = System.nanoTime();
            g.toBuilder().maxIter(1).build().fitBayesian(m, null, priors);
            long t3 = System.nanoTime();
            g.toBuilder().maxIter(21).build().fitBayesian(m, null, priors);
            long t4 = System.nanoTime();
            double em = ((t2 - t1) - (t1 - t0)) / 20e6;
            double vb = ((t4 - t3) - (t3 - t2)) / 20e6;
            System.out.printf(Locale.ROOT, "rep %d: EM %.2f ms/iter, Bayesian %.2f ms/iter, ratio %.2f%n", rep, em, vb,
                    vb / em);
        }
    }
}
