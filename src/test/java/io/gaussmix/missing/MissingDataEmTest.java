package io.gaussmix.missing;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitListener;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.MissingPolicy;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The missing-data EM (MissingPolicy.EM) and imputation, against naive references and statistical truth. */
class MissingDataEmTest {

    private static GaussianMixture.Builder em(int k, CovarianceType type) {
        return GaussianMixture.builder().k(k).covarianceType(type).missing(MissingPolicy.EM).seed(7);
    }

    /** A 3-D Gaussian with strong correlations and a mean far from 0 (so zero-filling is visibly bad). */
    private static MixtureParams correlated3d() {
        double[] cov = {
            2.0, 1.2, 0.8,
            1.2, 1.5, 0.9,
            0.8, 0.9, 1.0};
        return MixtureParams.of(CovarianceType.FULL, new double[] {1}, new double[] {3, -2, 5}, cov, 3);
    }

    /** Three well separated components in 3-D with random SPD covariances (eigenvalues about 0.1..3). */
    private static MixtureParams threeComponents() {
        MixtureParams shape = SyntheticMixtures.randomParams(CovarianceType.FULL, 3, 3, 11, 1, 0);
        double[] means = {0, 0, 0, 7, 0, 0, 0, 7, 7};
        return MixtureParams.of(CovarianceType.FULL, new double[] {0.5, 0.3, 0.2}, means, shape.covariances(), 3);
    }

    private static void assertMonotone(List<Double> h) {
        for (int i = 1; i < h.size(); i++) {
            // EM on the observed-data likelihood never decreases it (reg-covar 0 so the M-step is the exact
            // maximiser); 1e-12 relative leaves room only for the rounding of sums over a few thousand rows.
            assertTrue(h.get(i) >= h.get(i - 1) - 1e-12 * Math.abs(h.get(i - 1)),
                    "log-likelihood decreased at iteration " + (i + 1) + ": " + h.get(i - 1) + " -> " + h.get(i));
        }
    }

    // ---- no missing values: the ordinary fit, bit for bit --------------------------------------------------

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void withoutMissingValuesTheFitIsTheOrdinaryFit(CovarianceType type) {
        MixtureParams truth = SyntheticMixtures.randomParams(type, 3, 4, 3, 3, 1);
        Matrix x = SyntheticMixtures.sample(truth, 1500, 4);
        GaussianMixtureModel plain = GaussianMixture.builder().k(3).covarianceType(type).seed(7).nInit(2)
                .backend(BackendType.CPU).build().fit(x);
        GaussianMixtureModel withEm = em(3, type).nInit(2).backend(BackendType.CPU).build().fit(x);
        assertArrayEquals(plain.weights(), withEm.weights());
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(plain.means()[c], withEm.means()[c]);
        }
        assertArrayEquals(plain.covariances(), withEm.covariances());
        assertEquals(plain.summary().lowerBoundHistory(), withEm.summary().lowerBoundHistory());
        assertEquals(0, withEm.summary().rowsAllMissing());
    }

    // ---- the pass against the naive definition ------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void passMatchesTheNaiveExpectedStatistics(CovarianceType type) {
        MixtureParams p = SyntheticMixtures.randomParams(type, 3, 4, 21, 2, 0.5);
        Matrix x = NaiveMissing.hide(SyntheticMixtures.sample(p, 300, 22), 0.3, 23, true);
        MissingPatterns patterns = MissingPatterns.of(x, false);
        assertTrue(patterns.count() > 5, "the case should exercise many patterns");
        SufficientStats got;
        try (MissingDataPass pass = new MissingDataPass(x, null, patterns, 2)) {
            got = pass.accumulate(p);
        }
        SufficientStats want = NaiveMissing.stats(p, x);
        // Both are float64 sums over 300 rows of the same quantities; they differ in the order of summation
        // and in Cholesky solves versus Gauss-Jordan inversion of <= 4 x 4 blocks: ~1e-13 relative. 1e-10 is
        // far above that and far below any modelling error (e.g. dropping the conditional covariance changes
        // sumSq by tens of percent).
        assertClose(want.logLikelihood, got.logLikelihood, 1e-10, "logLikelihood");
        assertEquals(want.totalWeight, got.totalWeight, 0.0, "totalWeight");
        for (int c = 0; c < 3; c++) {
            assertClose(want.nk[c], got.nk[c], 1e-10, "nk " + c);
        }
        double scale = Arrays.stream(want.sumSq).map(Math::abs).max().orElse(1);
        for (int i = 0; i < want.sumDiff.length; i++) {
            assertEquals(want.sumDiff[i], got.sumDiff[i], 1e-10 * scale, "sumDiff " + i);
        }
        for (int i = 0; i < want.sumSq.length; i++) {
            assertEquals(want.sumSq[i], got.sumSq[i], 1e-10 * scale, "sumSq " + i);
        }
    }

    private static void assertClose(double want, double got, double rel, String what) {
        assertEquals(want, got, rel * Math.max(1, Math.abs(want)), what);
    }

    // ---- K = 1, 3-D, 20% MCAR ------------------------------------------------------------------------------

    @Test
    void reportedLogLikelihoodIsTheObservedDataLikelihood() {
        MixtureParams truth = correlated3d();
        Matrix x = NaiveMissing.hide(SyntheticMixtures.sample(truth, 40, 1), 0.2, 2, true);
        // A start that is not the truth, so the check is not at a special point.
        MixtureParams start = MixtureParams.of(CovarianceType.FULL, new double[] {1}, new double[] {2.5, -1, 4},
                new double[] {1.5, 0.3, 0.1, 0.3, 1.2, 0.2, 0.1, 0.2, 0.8}, 3);
        GaussianMixtureModel startModel = GaussianMixtureModel.of(CovarianceType.FULL, start.weights(),
                new double[][] {{2.5, -1, 4}}, start.covariances(), FitSummary.notFitted());
        GaussianMixtureModel m = em(1, CovarianceType.FULL).initialModel(startModel).maxIter(1).build().fit(x);
        double naive = Arrays.stream(NaiveMissing.rowLogLikelihood(start, x)).sum() / x.rows();
        // 40 rows of float64 arithmetic along different routes (Cholesky vs Gauss-Jordan): ~1e-15 relative.
        assertEquals(naive, m.summary().lowerBoundHistory().get(0), 1e-12 * Math.abs(naive));
    }

    @Test
    void estimatesApproachTheCompleteDataEstimatesAsNGrows() {
        MixtureParams truth = correlated3d();
        double[] s = truth.covariances();
        int[] sizes = {500, 20000};
        int replicates = 4;
        double[] rms = new double[2];
        for (int t = 0; t < 2; t++) {
            int n = sizes[t];
            double sumSq = 0;
            int terms = 0;
            for (int rep = 0; rep < replicates; rep++) {
                Matrix full = SyntheticMixtures.sample(truth, n, 100 + 10 * t + rep);
                Matrix x = NaiveMissing.hide(full, 0.2, 200 + 10 * t + rep, false);
                GaussianMixtureModel m = em(1, CovarianceType.FULL).tol(1e-12).regCovar(0).maxIter(1000).build()
                        .fit(x);
                assertTrue(m.summary().converged());
                assertMonotone(m.summary().lowerBoundHistory());
                double[] mean = new double[3];
                double[] cov = new double[9];
                completeDataEstimates(full, mean, cov);
                for (int i = 0; i < 3; i++) {
                    double diff = m.means()[0][i] - mean[i];
                    sumSq += diff * diff;
                    terms++;
                    if (n == 20000) {
                        // Both estimators are consistent; their difference is below the EM estimator's own
                        // standard error sqrt(S_ii / N) inflated by at most 1/sqrt(0.8) for 20% missing. 5 SE.
                        assertTrue(Math.abs(diff) < 5 * Math.sqrt(s[i * 3 + i] / (0.8 * n)),
                                "mean " + i + " off by " + diff);
                    }
                }
                for (int i = 0; i < 9; i++) {
                    double diff = m.covariances()[i] - cov[i];
                    sumSq += diff * diff;
                    terms++;
                    if (n == 20000) {
                        int a = i / 3;
                        int b = i % 3;
                        // SE of a Gaussian sample covariance: sqrt((S_aa S_bb + S_ab^2) / N), inflated as above. 5 SE.
                        double se = Math.sqrt((s[a * 3 + a] * s[b * 3 + b] + s[i] * s[i]) / (0.8 * n));
                        assertTrue(Math.abs(diff) < 5 * se, "covariance " + i + " off by " + diff + " (SE " + se + ")");
                    }
                }
            }
            rms[t] = Math.sqrt(sumSq / terms);
        }
        // The difference scales as 1/sqrt(N): sqrt(20000 / 500) = 6.3 expected. The RMS over 4 replicates x 12
        // estimates is stable to ~+-25%, so requiring a factor 3 cannot fail by chance but fails for any bias
        // (e.g. leaving out the conditional covariance would keep the covariances ~0.1 low at every N).
        assertTrue(rms[1] < rms[0] / 3, "RMS differences " + Arrays.toString(rms));
    }

    /** The complete-data MLE: sample mean and covariance with divisor N. */
    private static void completeDataEstimates(Matrix x, double[] mean, double[] cov) {
        int n = x.rows();
        int d = x.cols();
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                mean[i] += x.get(r, i) / n;
            }
        }
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    cov[i * d + j] += (x.get(r, i) - mean[i]) * (x.get(r, j) - mean[j]) / n;
                }
            }
        }
    }

    @Test
    void imputationBeatsMeanImputationAndZeroFilling() {
        MixtureParams truth = correlated3d();
        Matrix full = SyntheticMixtures.sample(truth, 4000, 31);
        Matrix x = NaiveMissing.hide(full, 0.2, 32, false);
        GaussianMixtureModel m = em(1, CovarianceType.FULL).build().fit(x);
        Matrix filled = m.impute(x);
        double[] colMean = new double[3];
        double[] colCount = new double[3];
        for (int r = 0; r < x.rows(); r++) {
            for (int j = 0; j < 3; j++) {
                if (!Double.isNaN(x.get(r, j))) {
                    colMean[j] += x.get(r, j);
                    colCount[j]++;
                }
            }
        }
        double seModel = 0;
        double seMean = 0;
        double seZero = 0;
        int hidden = 0;
        for (int r = 0; r < x.rows(); r++) {
            for (int j = 0; j < 3; j++) {
                if (Double.isNaN(x.get(r, j))) {
                    double v = full.get(r, j);
                    seModel += sq(filled.get(r, j) - v);
                    seMean += sq(colMean[j] / colCount[j] - v);
                    seZero += sq(v);
                    hidden++;
                } else {
                    assertEquals(x.get(r, j), filled.get(r, j), 0.0, "observed values are copied unchanged");
                }
            }
        }
        // With these correlations (|rho| 0.5..0.7) the conditional mean explains a large share of the variance:
        // its MSE is well below the marginal variance that mean imputation leaves (~2400 hidden values, so
        // the MSE estimates carry ~3% noise; the 0.85 factor is a margin many times that).
        assertTrue(seModel < 0.85 * seMean, "model " + seModel / hidden + " vs mean " + seMean / hidden);
        assertTrue(seMean < seZero, "mean " + seMean / hidden + " vs zero " + seZero / hidden);
    }

    private static double sq(double v) {
        return v * v;
    }

    // ---- mixtures --------------------------------------------------------------------------------------------

    @Test
    void recoversAKnownThreeComponentMixtureWithMonotoneLikelihood() {
        MixtureParams truth = threeComponents();
        int n = 6000;
        Matrix x = NaiveMissing.hide(SyntheticMixtures.sample(truth, n, 41), 0.25, 42, false);
        GaussianMixtureModel m = em(3, CovarianceType.FULL).nInit(3).tol(1e-9).regCovar(0).maxIter(500).build()
                .fit(x);
        assertTrue(m.summary().converged());
        assertMonotone(m.summary().lowerBoundHistory());
        boolean[] used = new boolean[3];
        for (int c = 0; c < 3; c++) {
            double[] mu = Arrays.copyOfRange(truth.means(), c * 3, c * 3 + 3);
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < 3; j++) {
                double dist = 0;
                for (int i = 0; i < 3; i++) {
                    dist += sq(m.means()[j][i] - mu[i]);
                }
                if (dist < bestD) {
                    bestD = dist;
                    best = j;
                }
            }
            assertTrue(!used[best], "two true components matched the same fitted one");
            used[best] = true;
            double w = truth.weights()[c];
            // Weight SE sqrt(w(1-w)/N) <= 0.0065 (the clusters are 7 apart, so membership is all but certain).
            assertEquals(w, m.weights()[best], 5 * Math.sqrt(w * (1 - w) / n), "weight of component " + c);
            for (int i = 0; i < 3; i++) {
                double var = truth.covariances()[c * 9 + i * 3 + i];
                // Mean SE sqrt(S_ii / (N w)) inflated by 1/sqrt(0.75) for 25% missing; 5 SE.
                assertEquals(mu[i], m.means()[best][i], 5 * Math.sqrt(var / (0.75 * n * w)),
                        "mean " + i + " of component " + c);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void everyCovarianceTypeRunsWithMonotoneLikelihood(CovarianceType type) {
        MixtureParams truth = SyntheticMixtures.randomParams(type, 2, 4, 51, 3, 0);
        Matrix x = NaiveMissing.hide(SyntheticMixtures.sample(truth, 2000, 52), 0.15, 53, false);
        GaussianMixtureModel m = em(2, type).tol(0).regCovar(0).maxIter(40).build().fit(x);
        assertEquals(40, m.summary().iterations());
        assertMonotone(m.summary().lowerBoundHistory());
        assertEquals(type, m.covarianceType());
        // The EM improves on its start by a real margin (not a no-op pass).
        List<Double> h = m.summary().lowerBoundHistory();
        assertTrue(h.get(h.size() - 1) > h.get(0) + 1e-3, "history " + h.get(0) + " .. " + h.get(h.size() - 1));
    }

    // ---- all-missing rows ---------------------------------------------------------------------------------

    @Test
    void rowsWithEveryValueMissingAreCountedAndExcluded() {
        MixtureParams truth = SyntheticMixtures.randomParams(CovarianceType.FULL, 2, 3, 61, 3, 0);
        Matrix x = NaiveMissing.hide(SyntheticMixtures.sample(truth, 800, 62), 0.2, 63, true);
        int[] blank = {0, 5, 17, 400, 799};
        double[] withBlank = x.data().clone();
        for (int r : blank) {
            Arrays.fill(withBlank, r * 3, r * 3 + 3, Double.NaN);
        }
        Matrix xb = Matrix.wrap(withBlank, 800, 3);
        List<String> notes = new ArrayList<>();
        FitListener listener = new FitListener() {
            @Override
            public void onNote(String message) {
                notes.add(message);
            }
        };
        GaussianMixtureModel m = em(2, CovarianceType.FULL).listener(listener).build().fit(xb);
        assertEquals(blank.length, m.summary().rowsAllMissing());
        assertTrue(notes.stream().anyMatch(s -> s.contains(blank.length + " row(s) have every value missing")), notes.toString());
        // Excluded means excluded: the same fit as on the data without those rows, bit for bit.
        double[] kept = new double[(800 - blank.length) * 3];
        int i = 0;
        for (int r = 0; r < 800; r++) {
            if (Arrays.binarySearch(blank, r) < 0) {
                System.arraycopy(withBlank, r * 3, kept, i * 3, 3);
                i++;
            }
        }
        GaussianMixtureModel ref = em(2, CovarianceType.FULL).build().fit(Matrix.wrap(kept, i, 3));
        assertEquals(0, ref.summary().rowsAllMissing());
        assertArrayEquals(ref.weights(), m.weights());
        assertArrayEquals(ref.covariances(), m.covariances());
        assertEquals(ref.summary().lowerBoundHistory(), m.summary().lowerBoundHistory());
    }

    @Test
    void onlyAllMissingRowsGiveTheOrdinaryFitOnTheRest() {
        MixtureParams truth = SyntheticMixtures.randomParams(CovarianceType.DIAG, 2, 3, 71, 3, 0);
        Matrix complete = SyntheticMixtures.sample(truth, 300, 72);
        double[] v = new double[301 * 3];
        System.arraycopy(complete.data(), 0, v, 0, 150 * 3);
        Arrays.fill(v, 150 * 3, 151 * 3, Double.NaN);
        System.arraycopy(complete.data(), 150 * 3, v, 151 * 3, 150 * 3);
        GaussianMixtureModel m = em(2, CovarianceType.DIAG).build().fit(Matrix.wrap(v, 301, 3));
        GaussianMixtureModel ref = GaussianMixture.builder().k(2).covarianceType(CovarianceType.DIAG).seed(7).build()
                .fit(complete);
        assertEquals(1, m.summary().rowsAllMissing());
        assertArrayEquals(ref.covariances(), m.covariances());
        assertArrayEquals(ref.weights(), m.weights());
    }

    @Test
    void everyRowAllMissingIsAnError() {
        Matrix x = Matrix.wrap(new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN}, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> em(1, CovarianceType.FULL).build().fit(x));
        assertTrue(e.getMessage().contains("every value missing"), e.getMessage());
    }

    @Test
    void integerSampleWeightsEqualRepeatedRows() {
        MixtureParams truth = SyntheticMixtures.randomParams(CovarianceType.FULL, 2, 3, 85, 3, 0);
        Matrix x = NaiveMissing.hide(SyntheticMixtures.sample(truth, 200, 86), 0.25, 87, true);
        double[] w = new double[200];
        double[] repeated = new double[0];
        int rows = 0;
        for (int r = 0; r < 200; r++) {
            w[r] = r % 3;   // 0, 1 or 2 copies
            for (int t = 0; t < w[r]; t++) {
                repeated = Arrays.copyOf(repeated, (rows + 1) * 3);
                System.arraycopy(x.data(), r * 3, repeated, rows * 3, 3);
                rows++;
            }
        }
        GaussianMixtureModel start = GaussianMixtureModel.of(CovarianceType.FULL, truth.weights(),
                new double[][] {Arrays.copyOfRange(truth.means(), 0, 3), Arrays.copyOfRange(truth.means(), 3, 6)},
                truth.covariances(), FitSummary.notFitted());
        GaussianMixture g = em(2, CovarianceType.FULL).initialModel(start).tol(0).maxIter(10).build();
        GaussianMixtureModel weighted = g.fit(x, w);
        GaussianMixtureModel plain = g.fit(Matrix.wrap(repeated, rows, 3));
        // The same sums with the terms grouped differently (w * term vs term + term): ~1e-15 relative per
        // iteration, amplified little over 10 EM iterations; 1e-10 is far below any weighting error.
        assertArrayEquals(plain.weights(), weighted.weights(), 1e-10);
        assertArrayEquals(plain.covariances(), weighted.covariances(), 1e-10);
        assertEquals(plain.summary().lowerBound(), weighted.summary().lowerBound(), 1e-10);
    }

    // ---- errors naming row and column ---------------------------------------------------------------------

    @Test
    void rejectModeNamesRowAndColumn() {
        double[] v = SyntheticMixtures.sample(correlated3d(), 20, 81).data().clone();
        v[3 * 3 + 1] = Double.NaN;
        Matrix x = Matrix.wrap(v, 20, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GaussianMixture.builder().k(1).build().fit(x));
        assertTrue(e.getMessage().contains("row 3, column 1"), e.getMessage());
        assertTrue(e.getMessage().contains("MissingPolicy.EM"), e.getMessage());

        GaussianMixtureModel m = em(1, CovarianceType.FULL).build().fit(x);
        for (Runnable call : List.<Runnable>of(() -> m.score(x), () -> m.predict(x), () -> m.predictProba(x),
                () -> m.scoreSamples(x))) {
            IllegalArgumentException ee = assertThrows(IllegalArgumentException.class, call::run);
            assertTrue(ee.getMessage().contains("row 3, column 1"), ee.getMessage());
        }
    }

    @Test
    void infinityIsRejectedEvenWithEm() {
        double[] v = SyntheticMixtures.sample(correlated3d(), 20, 82).data().clone();
        v[2 * 3] = Double.NEGATIVE_INFINITY;
        v[5 * 3 + 2] = Double.NaN;
        Matrix x = Matrix.wrap(v, 20, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> em(1, CovarianceType.FULL).build().fit(x));
        assertTrue(e.getMessage().contains("row 2, column 0"), e.getMessage());
        GaussianMixtureModel m = GaussianMixture.builder().k(1).build()
                .fit(SyntheticMixtures.sample(correlated3d(), 20, 83));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> m.impute(x));
        assertTrue(e2.getMessage().contains("row 2, column 0"), e2.getMessage());
    }

    // ---- impute API ----------------------------------------------------------------------------------------

    @Test
    void imputeKeepsCompleteRowsAndMatchesPredictProbaThere() {
        MixtureParams truth = threeComponents();
        Matrix full = SyntheticMixtures.sample(truth, 500, 91);
        GaussianMixtureModel m = GaussianMixtureModel.of(CovarianceType.FULL, truth.weights(),
                new double[][] {{0, 0, 0}, {7, 0, 0}, {0, 7, 7}}, truth.covariances(), FitSummary.notFitted());
        double[] v = full.data().clone();
        v[0] = Double.NaN;            // row 0: one missing value
        Arrays.fill(v, 3, 6, Double.NaN);   // row 1: every value missing
        Matrix x = Matrix.wrap(v, 500, 3);
        double[] before = v.clone();
        GaussianMixtureModel.Imputation imp = m.imputeWithResponsibilities(x);
        assertArrayEquals(before, v, "the input is not modified");
        Matrix proba = m.predictProba(full.rowRange(2, 500));
        for (int r = 2; r < 500; r++) {
            assertArrayEquals(full.row(r), imp.completed().row(r), "complete rows are copied");
            // Same quantity by the same float64 formula through a different code path (marginal over all
            // coordinates vs the backend's kernel): agreement to rounding, 1e-12 absolute on probabilities.
            assertArrayEquals(proba.row(r - 2), imp.responsibilities().row(r), 1e-12);
        }
        // Row 1 has nothing observed: the responsibilities are the weights and the fill is the mixture mean.
        assertArrayEquals(truth.weights(), imp.responsibilities().row(1), 1e-15);
        double[] mixtureMean = new double[3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3; i++) {
                mixtureMean[i] += truth.weights()[c] * truth.means()[c * 3 + i];
            }
        }
        assertArrayEquals(mixtureMean, imp.completed().row(1), 1e-14);
        // Row 0: the naive conditional expectation, mixture of per-component conditional means.
        double[] lp = new double[3];
        NaiveMissing.RowComponent[] rc = new NaiveMissing.RowComponent[3];
        for (int c = 0; c < 3; c++) {
            rc[c] = NaiveMissing.rowComponent(truth, c, x.row(0));
            lp[c] = rc[c].logp;
        }
        double l = NaiveMissing.lse(lp);
        double want = 0;
        for (int c = 0; c < 3; c++) {
            want += Math.exp(lp[c] - l) * rc[c].completed[0];
        }
        // A handful of float64 operations on values of order 10: 1e-12 absolute.
        assertEquals(want, imp.completed().get(0, 0), 1e-12);
        assertArrayEquals(imp.completed().data(), m.impute(x).data(), "impute and imputeWithResponsibilities agree");
    }

    @Test
    void deviceBackendsFallBackToTheCpuWithANote() {
        Matrix x = NaiveMissing.hide(SyntheticMixtures.sample(correlated3d(), 300, 95), 0.2, 96, false);
        List<String> notes = new ArrayList<>();
        GaussianMixtureModel m = em(1, CovarianceType.FULL).backend(BackendType.CUDA).listener(new FitListener() {
            @Override
            public void onNote(String message) {
                notes.add(message);
            }
        }).build().fit(x);
        assertTrue(notes.stream().anyMatch(s -> s.contains("runs on the CPU")), notes.toString());
        assertTrue(m.summary().backend().contains("missing-data EM"), m.summary().backend());
    }
}
