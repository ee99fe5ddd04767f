package io.gaussmix.em;

import io.gaussmix.BayesianFit;
import io.gaussmix.BayesianPriors;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.WeightPrior;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.Backends;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.math.CovarianceStructure;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.gaussmix.math.SpecialFunctions.digamma;
import static io.gaussmix.math.SpecialFunctions.logBeta;
import static io.gaussmix.math.SpecialFunctions.logGamma;

/**
 * The variational Bayesian Gaussian mixture of scikit-learn's {@code BayesianGaussianMixture} (Bishop,
 * ch. 10; Blei and Jordan for the Dirichlet process), run over the same {@link StatisticsPass} as EM.
 *
 * <p>Why the EM pass serves: the variational E-step's log responsibility is
 * E[log pi_k] + log N(x | m_k, S_k) + c_k, with S_k = (nu_k W_k)^-1 (scikit-learn's covariances_) and a
 * per-component constant c_k = (log Lambda_k - D / beta_k - D log nu_k) / 2. Folding E[log pi_k] + c_k
 * into the pass's log weights (normalised: a constant shift of every row, which changes no
 * responsibility) gives exactly EM's per-row work. The entropy of the responsibilities, the one
 * per-row term of the lower bound, follows from the same statistics:
 * sum_n r_nk log p(x_n, k) = N_k (log w_k + log|U_k| - D/2 log 2 pi) - tr(P_k S2_k) / 2, S2_k the
 * second moments about m_k, so no second kernel is needed.
 */
public final class VariationalFit {
    /** scikit-learn's 10 eps guard on N_k, as in {@link MStep}. */
    private static final double NK_GUARD = 10 * Math.ulp(1.0);

    private VariationalFit() {
    }

    /** The variational posterior and the mixture the pass evaluates for its E-step. */
    record Posterior(double[] a, double[] b, double[] meanPrecision, double[] degreesOfFreedom, double[] means,
                     double[] covariances, MixtureParams pass) {
    }

    /**
     * Fits on complete rows: nInit runs (one with labels), each from the start's statistics, keeping the
     * best final lower bound.
     *
     * @param labels one label per row to start from, or null for {@code s.init()}
     */
    public static BayesianFit run(FitSettings s, BayesianPriors given, Matrix x, double[] sampleWeights, int[] labels) {
        double[] w = SampleWeights.toMeanOne(sampleWeights);
        s.requireFits(x.rows(), x.cols(), w, "rows");
        VariationalPriors priors = VariationalPriors.resolve(given, s.covarianceType(), x, w, s.k());
        try (Backend b = Backends.open(s.backend(), s.backendOptions(), s.listener()::onNote);
             LoadedData data = b.load(x, w)) {
            s.listener().onNote("backend: " + b.description());
            if (b.precision() == Precision.FLOAT64) {
                return restarts(s, priors, given.weightPrior(), p -> b.accumulate(data, p), x, w, labels, b.description());
            }
            try (Float32Guard guard = new Float32Guard(b, data, RowSource.of(x), RowSource.ofColumn(w), s.listener())) {
                BayesianFit f = restarts(s, priors, given.weightPrior(), guard, x, w, labels, null);
                return withBackend(f, guard.description());
            }
        }
    }

    private static BayesianFit withBackend(BayesianFit f, String backend) {
        FitSummary m = f.model().summary();
        GaussianMixtureModel model = GaussianMixtureModel.of(f.model().covarianceType(), f.model().weights(),
                f.model().means(), f.model().covariances(), new FitSummary(m.converged(), m.iterations(),
                        m.lowerBound(), m.lowerBoundHistory(), m.interventions(), backend, 0));
        return new BayesianFit(model, f.weightPrior(), f.weightConcentration(), f.meanPrecision(), f.degreesOfFreedom());
    }

    private static BayesianFit restarts(FitSettings s, VariationalPriors priors, WeightPrior kind, StatisticsPass pass,
                                        Matrix x, double[] w, int[] labels, String backend) {
        int runs = labels != null || s.maxIter() == 0 ? 1 : s.nInit();
        SplittableRandom master = new SplittableRandom(s.seed());
        Run best = null;
        for (int run = 0; run < runs; run++) {
            SplittableRandom rnd = master.split();
            Initializer.Start start = labels != null
                    ? Initializer.givenLabelStatistics(x, w, labels, s.k(), s.covarianceType())
                    : Initializer.statistics(s.init(), x, w, s.k(), s.covarianceType(), rnd);
            Run r = iterate(s, priors, pass, start, x.cols());
            if (best == null || r.lowerBound > best.lowerBound) {
                best = r;
            }
        }
        Posterior p = best.posterior;
        double reported = Double.isInfinite(best.lowerBound) ? Double.NaN : best.lowerBound;
        FitSummary summary = new FitSummary(best.converged, best.iterations, reported, best.history, List.of(),
                backend == null ? "" : backend, 0);
        GaussianMixtureModel model = GaussianMixtureModel.of(s.covarianceType(), expectedWeights(p, priors.process()),
                Matrix.wrap(p.means, s.k(), x.cols()).toRows(), p.covariances, summary);
        double[][] concentration = priors.process() ? new double[][] {p.a.clone(), p.b.clone()} : new double[][] {p.a.clone()};
        return new BayesianFit(model, kind, concentration, p.meanPrecision.clone(), p.degreesOfFreedom.clone());
    }

    private record Run(Posterior posterior, boolean converged, int iterations, double lowerBound, List<Double> history) {
    }

    /** scikit-learn's loop: E-step (the pass), M-step, then the bound of the new posterior with the E-step's entropy. */
    private static Run iterate(FitSettings s, VariationalPriors priors, StatisticsPass pass, Initializer.Start start,
                               int d) {
        Posterior p = mStep(start.stats(), start.centres(), priors, s.covarianceType(), s.regCovar(), d);
        double lowerBound = Double.NEGATIVE_INFINITY;
        List<Double> history = new ArrayList<>();
        boolean converged = false;
        int iteration = 0;
        while (iteration < s.maxIter()) {
            iteration++;
            SufficientStats stats = pass.accumulate(p.pass);
            double entropy = entropy(stats, p.pass);
            p = mStep(stats, p.means, priors, s.covarianceType(), s.regCovar(), d);
            double previous = lowerBound;
            lowerBound = lowerBound(p, priors, entropy, s.covarianceType(), d);
            if (!Double.isFinite(lowerBound)) {
                throw new FitFailedException("the variational lower bound became " + lowerBound + " in iteration "
                        + iteration + "; scale the data or increase regCovar");
            }
            history.add(lowerBound);
            if (Math.abs(lowerBound - previous) < s.tol()) {
                converged = true;
                break;
            }
        }
        return new Run(p, converged, iteration, lowerBound, history);
    }

    /** scikit-learn's _m_step: N_k, x_k, S_k of the statistics, then the Dirichlet, Gaussian and Wishart updates. */
    static Posterior mStep(SufficientStats st, double[] shift, VariationalPriors pr, CovarianceType type, double reg,
                           int d) {
        int k = st.k;
        double[] nk = new double[k];
        double[] delta = new double[k * d];
        double[] xk = new double[k * d];
        for (int c = 0; c < k; c++) {
            nk[c] = st.nk[c] + NK_GUARD;
            for (int i = 0; i < d; i++) {
                delta[c * d + i] = st.sumDiff[c * d + i] / nk[c];
                xk[c * d + i] = shift[c * d + i] + delta[c * d + i];
            }
        }
        double[] sk = MStep.covariances(st, nk, delta, reg);
        double[] a = new double[k];
        double[] b = pr.process() ? new double[k] : null;
        double after = 0;   // sum of N_j over j > c
        for (int c = k - 1; c >= 0; c--) {
            if (pr.process()) {
                a[c] = 1 + nk[c];
                b[c] = pr.weightConcentration() + after;
                after += nk[c];
            } else {
                a[c] = pr.weightConcentration() + nk[c];
            }
        }
        double[] beta = new double[k];
        double[] means = new double[k * d];
        double[] diff = new double[k * d];
        for (int c = 0; c < k; c++) {
            beta[c] = pr.meanPrecision() + nk[c];
            for (int i = 0; i < d; i++) {
                means[c * d + i] = (pr.meanPrecision() * pr.mean()[i] + nk[c] * xk[c * d + i]) / beta[c];
                diff[c * d + i] = xk[c * d + i] - pr.mean()[i];
            }
        }
        double[] nu = new double[k];
        double[] cov = wishart(type, pr, nk, beta, diff, sk, nu, d);
        return new Posterior(a, b, beta, nu, means, cov, passParams(type, a, b, beta, nu, means, cov, d));
    }

    /** The Wishart updates (scikit-learn's _estimate_wishart_*), covariances normalised by nu; fills nu. */
    private static double[] wishart(CovarianceType type, VariationalPriors pr, double[] nk, double[] beta, double[] diff,
                                    double[] sk, double[] nu, int d) {
        int k = nk.length;
        double b0 = pr.meanPrecision();
        double[] c0 = pr.covariance();
        switch (type) {
            case FULL -> {
                double[] cov = new double[k * d * d];
                for (int c = 0; c < k; c++) {
                    nu[c] = pr.degreesOfFreedom() + nk[c];
                    double f = nk[c] * b0 / beta[c];
                    for (int i = 0; i < d; i++) {
                        for (int j = 0; j < d; j++) {
                            int o = c * d * d + i * d + j;
                            cov[o] = (c0[i * d + j] + nk[c] * sk[o] + f * diff[c * d + i] * diff[c * d + j]) / nu[c];
                        }
                    }
                }
                return cov;
            }
            case TIED -> {
                double sum = 0;
                for (double v : nk) {
                    sum += v;
                }
                java.util.Arrays.fill(nu, pr.degreesOfFreedom() + sum / k);
                double[] cov = new double[d * d];
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        double between = 0;
                        for (int c = 0; c < k; c++) {
                            between += nk[c] / beta[c] * diff[c * d + i] * diff[c * d + j];
                        }
                        cov[i * d + j] = (c0[i * d + j] + sk[i * d + j] * sum / k + b0 / k * between) / nu[0];
                    }
                }
                return cov;
            }
            case DIAG -> {
                double[] cov = new double[k * d];
                for (int c = 0; c < k; c++) {
                    nu[c] = pr.degreesOfFreedom() + nk[c];
                    for (int i = 0; i < d; i++) {
                        int o = c * d + i;
                        cov[o] = (c0[i] + nk[c] * (sk[o] + b0 / beta[c] * diff[o] * diff[o])) / nu[c];
                    }
                }
                return cov;
            }
            default -> {
                double[] cov = new double[k];
                for (int c = 0; c < k; c++) {
                    nu[c] = pr.degreesOfFreedom() + nk[c];
                    double sq = 0;
                    for (int i = 0; i < d; i++) {
                        sq += diff[c * d + i] * diff[c * d + i];
                    }
                    cov[c] = (c0[0] + nk[c] * (sk[c] + b0 / beta[c] * sq / d)) / nu[c];
                }
                return cov;
            }
        }
    }

    /** E[log pi_k] (scikit-learn's _estimate_log_weights). */
    static double[] expectedLogWeights(double[] a, double[] b) {
        int k = a.length;
        double[] out = new double[k];
        if (b == null) {
            double sum = 0;
            for (double v : a) {
                sum += v;
            }
            for (int c = 0; c < k; c++) {
                out[c] = digamma(a[c]) - digamma(sum);
            }
            return out;
        }
        double broken = 0;   // sum over j < c of E[log(1 - v_j)]
        for (int c = 0; c < k; c++) {
            double total = digamma(a[c] + b[c]);
            out[c] = digamma(a[c]) - total + broken;
            broken += digamma(b[c]) - total;
        }
        return out;
    }

    /** The mixture whose EM pass is the variational E-step: E[log pi_k] + c_k as (shifted) log weights. */
    private static MixtureParams passParams(CovarianceType type, double[] a, double[] b, double[] beta, double[] nu,
                                            double[] means, double[] cov, int d) {
        int k = a.length;
        double[] logw = expectedLogWeights(a, b);
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            logw[c] += 0.5 * (logLambda(nu[c], d) - d / beta[c] - d * Math.log(nu[c]));
            max = Math.max(max, logw[c]);
        }
        double[] w = new double[k];
        for (int c = 0; c < k; c++) {
            w[c] = Math.exp(logw[c] - max);
        }
        return MixtureParams.of(type, w, means, cov, d);
    }

    /** E[log |Lambda_k|] + ... as scikit-learn's log_lambda: D log 2 + sum_i psi((nu - i) / 2). */
    private static double logLambda(double nu, int d) {
        double s = d * Math.log(2.0);
        for (int i = 0; i < d; i++) {
            s += digamma(0.5 * (nu - i));
        }
        return s;
    }

    /**
     * -sum_n w_n sum_k r_nk log r_nk of the pass under {@code p}, from its statistics (see the class comment):
     * sum_n w_n LL_n - sum_k [N_k (log w_k + log|U_k| - D/2 log 2 pi) - tr(P_k S2_k) / 2].
     */
    static double entropy(SufficientStats st, MixtureParams p) {
        int k = st.k;
        int d = st.d;
        CovarianceStructure structure = p.structure();
        double[] u = p.precisionCholesky();
        double sum = st.logLikelihood;
        for (int c = 0; c < k; c++) {
            if (st.nk[c] == 0) {
                continue;   // no responsibility: its term is 0 (and its log weight may be -infinity)
            }
            double quad = 0;
            if (structure.dense()) {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        double pij = 0;   // (U U^T)_ij, U upper triangular
                        for (int t = Math.max(i, j); t < d; t++) {
                            pij += structure.entry(u, c, d, i, t) * structure.entry(u, c, d, j, t);
                        }
                        quad += pij * st.sumSq[c * d * d + i * d + j];
                    }
                }
            } else {
                for (int i = 0; i < d; i++) {
                    double ui = structure.entry(u, c, d, i, i);
                    quad += ui * ui * st.sumSq[c * d + i];
                }
            }
            double constant = p.logWeights()[c] + p.logDetPrecChol()[c] - 0.5 * d * Math.log(2 * Math.PI);
            sum -= st.nk[c] * constant - 0.5 * quad;
        }
        return sum;
    }

    /** scikit-learn's _compute_lower_bound (its constants dropped as scikit-learn drops them). */
    static double lowerBound(Posterior p, VariationalPriors pr, double entropy, CovarianceType type, int d) {
        int k = p.a.length;
        double logWishart = 0;
        int blocks = type == CovarianceType.TIED ? 1 : k;
        for (int c = 0; c < blocks; c++) {
            double nu = p.degreesOfFreedom[c];
            double logDet = p.pass.logDetPrecChol()[c] - 0.5 * d * Math.log(nu);
            double norm = nu * logDet + nu * d * 0.5 * Math.log(2.0);
            for (int i = 0; i < d; i++) {
                norm += logGamma(0.5 * (nu - i));
            }
            logWishart -= norm;
        }
        if (type == CovarianceType.TIED) {
            logWishart *= k;
        }
        double logNormWeight = 0;
        if (pr.process()) {
            for (int c = 0; c < k; c++) {
                logNormWeight -= logBeta(p.a[c], p.b[c]);
            }
        } else {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += p.a[c];
                logNormWeight -= logGamma(p.a[c]);
            }
            logNormWeight += logGamma(sum);
        }
        double logBeta = 0;
        for (double v : p.meanPrecision) {
            logBeta += Math.log(v);
        }
        return entropy - logWishart - logNormWeight - 0.5 * d * logBeta;
    }

    /** The posterior's expected weights (scikit-learn's weights_). */
    static double[] expectedWeights(Posterior p, boolean process) {
        int k = p.a.length;
        double[] w = new double[k];
        double rest = 1;   // product over j < c of b_j / (a_j + b_j)
        double sum = 0;
        for (int c = 0; c < k; c++) {
            if (process) {
                w[c] = p.a[c] / (p.a[c] + p.b[c]) * rest;
                rest *= p.b[c] / (p.a[c] + p.b[c]);
            } else {
                w[c] = p.a[c];
            }
            sum += w[c];
        }
        for (int c = 0; c < k; c++) {
            w[c] /= sum;
        }
        return w;
    }
}
