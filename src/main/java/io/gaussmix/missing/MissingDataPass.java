package io.gaussmix.missing;

import io.gaussmix.data.Matrix;
import io.gaussmix.em.StatisticsPass;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.parallel.UnitWorkers;

import java.util.stream.IntStream;

/**
 * The EM pass for data with values missing at random, on the CPU in float64: for every row the weighted
 * marginal densities of its observed coordinates under each component, responsibilities by log-sum-exp,
 * and the expected sufficient statistics about the current means, in the same form as a complete-data
 * pass (so the shared M-step applies unchanged):
 * <ul>
 *   <li>{@code logLikelihood} is the observed-data log-likelihood sum_n w_n log p(x_n,o);</li>
 *   <li>{@code sumDiff} and {@code sumSq} use the row completed with each component's conditional mean
 *       {@code mu_m + S_mo S_oo^-1 (x_o - mu_o)} of the missing coordinates;</li>
 *   <li>{@code sumSq} also receives, per component, the summed responsibilities times the conditional
 *       covariance {@code S_mm - S_mo S_oo^-1 S_om} of the missing block (E[x x^T] = xhat xhat^T + C).</li>
 * </ul>
 *
 * <p>The rows are visited grouped by missingness pattern ({@link MissingPatterns}, computed once). The
 * grouped order is cut into units of {@link #UNIT} positions (fixed, whatever the thread count) that
 * the workers take from a queue; a unit computes a pattern's {@link PatternFactors} when it enters the
 * pattern, so each pattern is factored once per unit it meets and the factoring of many patterns runs
 * on all cores. Partial statistics are added in unit order: the same bits on any number of threads.
 * Rows with every value missing must have been left out of the patterns.
 */
public final class MissingDataPass implements StatisticsPass, AutoCloseable {
    /**
     * Positions of the grouped order per work unit. A unit factors each pattern it meets once (at
     * K = 8, D = 64, about 1% of the arithmetic of 1024 complete rows), so units much smaller would
     * refactor large patterns too often; much larger ones would leave workers idle on small data.
     */
    static final int UNIT = 1024;

    private final Matrix x;
    private final double[] weights;
    private final MissingPatterns patterns;
    private final UnitWorkers workers;

    /**
     * @param x        the rows, NaN marking a missing value
     * @param weights  sample weights (N) or null
     * @param patterns the grouping of x's rows (built without the all-missing rows)
     * @param threads  workers; 0 = one per available processor
     */
    public MissingDataPass(Matrix x, double[] weights, MissingPatterns patterns, int threads) {
        this(x, weights, patterns, new UnitWorkers(threads));
    }

    private MissingDataPass(Matrix x, double[] weights, MissingPatterns patterns, UnitWorkers workers) {
        this.x = x;
        this.weights = weights;
        this.patterns = patterns;
        this.workers = workers;
    }

    /** What ran, without the thread count (see {@code CpuBackend.description}). */
    public String description() {
        return "cpu (float64, missing-data EM over " + patterns.count() + " patterns)";
    }

    /** One E-step with the expected statistics about {@code p.means()}. */
    @Override
    public SufficientStats accumulate(MixtureParams p) {
        SufficientStats total = workers.reduce(patterns.groupedRows(), UNIT, (from, to) -> accumulateRange(p, from, to),
                (a, b) -> {
                    a.add(b);
                    return a;
                });
        total.mirrorUpper();
        return total;
    }

    private SufficientStats accumulateRange(MixtureParams p, int from, int to) {
        int k = p.components();
        int d = p.dimensions();
        SufficientStats s = new SufficientStats(p.type(), k, d);
        double[] data = x.data();
        int[] order = patterns.order();
        double[] logp = new double[k];
        double[] diffO = new double[k * d];
        double[] z = new double[d];
        double[] full = new double[d];
        double[] gSum = new double[k];
        int pos = from;
        int q = from < to ? patterns.patternAt(from) : 0;
        while (pos < to) {
            int end = Math.min(to, patterns.start(q + 1));
            PatternFactors f = new PatternFactors(p, patterns.pattern(q));
            int o = f.o;
            java.util.Arrays.fill(gSum, 0);
            for (; pos < end; pos++) {
                int r = order[pos];
                double w = weights == null ? 1 : weights[r];
                s.totalWeight += w;
                int base = r * d;
                s.logLikelihood += w * responsibilities(f, data, base, k, logp, diffO, z);
                for (int c = 0; c < k; c++) {
                    double g = logp[c] * w;
                    if (g == 0) {
                        continue;
                    }
                    gSum[c] += g;
                    f.centredCompletion(c, diffO, c * o, full);
                    s.addRow(c, g, full);
                }
            }
            f.addConditionalCovariance(gSum, s);
            q++;
        }
        return s;
    }

    /**
     * The m grouped rows of lowest observed log-likelihood per observed coordinate under p (ties to the
     * lower row), completed with their conditional expectations under p; row-major m*D. Used to re-seed
     * dead components, which is rare.
     */
    public double[] worstRows(MixtureParams p, int m) {
        Imputation imp = impute(p, x, patterns, false);
        int[] order = patterns.order();
        double[] score = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            int r = order[i];
            int observed = patterns.pattern(patterns.patternAt(i)).observed().length;
            score[i] = imp.logLikelihood()[r] / observed;
        }
        Integer[] idx = IntStream.range(0, order.length).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(idx, (a, b) -> score[a] != score[b] ? Double.compare(score[a], score[b])
                : Integer.compare(order[a], order[b]));
        int d = x.cols();
        double[] out = new double[m * d];
        for (int i = 0; i < m; i++) {
            System.arraycopy(imp.completed().data(), order[idx[i % idx.length]] * d, out, i * d, d);
        }
        return out;
    }

    /**
     * The result of {@link #impute}: x with every NaN replaced by its conditional expectation, the
     * responsibilities computed from the observed coordinates (N x K, or null when not asked), and
     * each row's observed-data log-likelihood (0 for a row with nothing observed).
     */
    public record Imputation(Matrix completed, Matrix responsibilities, double[] logLikelihood) {
    }

    /**
     * Fills every missing entry of x with its conditional expectation under the mixture p: the
     * responsibility-weighted mixture of the per-component conditional means given the row's observed
     * coordinates. A row with nothing observed gets the mixture mean and the weights as responsibilities.
     *
     * @param threads workers; 0 = the JVM's shared host pool ({@link UnitWorkers#shared}), one per processor
     */
    public static Imputation impute(MixtureParams p, Matrix x, boolean withResponsibilities, int threads) {
        MissingPatterns patterns = MissingPatterns.of(x, true);
        UnitWorkers workers = threads == 0 ? UnitWorkers.shared() : new UnitWorkers(threads);
        try (MissingDataPass pass = new MissingDataPass(x, null, patterns, workers)) {
            return pass.impute(p, x, patterns, withResponsibilities);
        }
    }

    private Imputation impute(MixtureParams p, Matrix data, MissingPatterns pat, boolean withResponsibilities) {
        int n = data.rows();
        int k = p.components();
        int d = p.dimensions();
        double[] src = data.data();
        double[] out = src.clone();
        double[] resp = withResponsibilities ? new double[Math.multiplyExact(n, k)] : null;
        double[] ll = new double[n];
        int[] order = pat.order();
        workers.forEach(pat.groupedRows(), UNIT, (from, to) -> {
            double[] logp = new double[k];
            double[] diffO = new double[k * d];
            double[] z = new double[d];
            int pos = from;
            int q = from < to ? pat.patternAt(from) : 0;
            while (pos < to) {
                int end = Math.min(to, pat.start(q + 1));
                PatternFactors f = new PatternFactors(p, pat.pattern(q));
                int o = f.o;
                for (; pos < end; pos++) {
                    int r = order[pos];
                    int base = r * d;
                    ll[r] = responsibilities(f, src, base, k, logp, diffO, z);
                    if (resp != null) {
                        System.arraycopy(logp, 0, resp, r * k, k);
                    }
                    for (int a = 0; a < f.m; a++) {
                        double v = 0;
                        for (int c = 0; c < k; c++) {
                            if (logp[c] != 0) {
                                v += logp[c] * f.conditionalMean(c, a, diffO, c * o);
                            }
                        }
                        out[base + f.mis[a]] = v;
                    }
                }
                q++;
            }
        });
        return new Imputation(Matrix.wrap(out, n, d), resp == null ? null : Matrix.wrap(resp, n, k), ll);
    }

    /**
     * The responsibilities of the row at {@code data[base..]} given its observed values, into
     * {@code resp} (K), by log-sum-exp over the components' observed-data log densities (the row max
     * subtracted); returns the row's observed-data log-likelihood. {@code diffO} (K*o) and {@code z} are scratch.
     */
    private static double responsibilities(PatternFactors f, double[] data, int base, int k, double[] resp,
                                           double[] diffO, double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            resp[c] = f.logDensity(c, data, base, diffO, c * f.o, z);
            max = Math.max(max, resp[c]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            resp[c] = Math.exp(resp[c] - max);
            sum += resp[c];
        }
        for (int c = 0; c < k; c++) {
            resp[c] /= sum;
        }
        return max + Math.log(sum);
    }

    @Override
    public void close() {
        workers.close();
    }
}
