package io.gaussmix;

import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closed forms and invariants of the fit on the CPU backend (float64). */
class GaussianMixtureTest {

    static GaussianMixture.Builder cpu() {
        return GaussianMixture.builder().backend(BackendType.CPU);
    }

    static Matrix blobs(CovarianceType type, int k, int d, int n, long seed) {
        return SyntheticMixtures.sample(SyntheticMixtures.randomParams(type, k, d, seed, 4.0, 0.0), n, seed + 1);
    }

    /** K = 1 is the weighted sample mean and the biased sample covariance plus regCovar, after one M-step. */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void singleComponentIsTheSampleMeanAndCovariance(CovarianceType type) {
        Matrix x = blobs(CovarianceType.FULL, 3, 4, 500, 3);
        int n = x.rows();
        int d = x.cols();
        double reg = 1e-3;
        GaussianMixtureModel m = cpu().k(1).covarianceType(type).regCovar(reg).maxIter(3).tol(0).build().fit(x);
        double[] mean = new double[d];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                mean[i] += x.get(r, i) / n;
            }
        }
        double[][] cov = new double[d][d];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    cov[i][j] += (x.get(r, i) - mean[i]) * (x.get(r, j) - mean[j]) / n;
                }
            }
        }
        assertArrayEquals(mean, m.means()[0], 1e-12);
        assertEquals(1.0, m.weights()[0], 1e-15);
        double sphere = 0;
        for (int i = 0; i < d; i++) {
            sphere += (cov[i][i] + reg) / d;
        }
        double[][] got = m.covariance(0);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double expected;
                switch (type) {
                    case FULL: case TIED: expected = cov[i][j] + (i == j ? reg : 0); break;
                    case DIAG: expected = i == j ? cov[i][i] + reg : 0; break;
                    default: expected = i == j ? sphere : 0;
                }
                assertEquals(expected, got[i][j], 1e-12 * Math.max(1, Math.abs(expected)), type + " cov[" + i + "][" + j + "]");
            }
        }
    }

    /**
     * EM never decreases the likelihood when the M-step is the exact maximiser, so regCovar 0 here (as in
     * scikit-learn's test_monotonic_likelihood): a ridge makes the M-step maximise something else. Each
     * initialiser runs with the default regCovar (maxIter 0: random-from-data's start covariances are
     * regCovar * I, singular at 0), then EM continues from its start with regCovar 0.
     */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void lowerBoundNeverDecreasesAndProbabilitiesSumToOne(CovarianceType type) {
        Matrix x = blobs(type, 4, 3, 1500, 21);
        for (InitMethod init : InitMethod.values()) {
            GaussianMixtureModel start = cpu().k(4).covarianceType(type).init(init).maxIter(0).seed(5).build().fit(x);
            GaussianMixtureModel m = cpu().initialModel(start).regCovar(0).tol(1e-8).maxIter(200).build().fit(x);
            assertTrue(m.summary().interventions().isEmpty(), type + "/" + init + ": a repair would break the argument: "
                    + m.summary().interventions());
            List<Double> h = m.summary().lowerBoundHistory();
            for (int i = 1; i < h.size(); i++) {
                assertTrue(h.get(i) >= h.get(i - 1) - 1e-12 * Math.abs(h.get(i - 1)),
                        type + "/" + init + ": lower bound fell at iteration " + (i + 1) + ": " + h);
            }
            Matrix p = m.predictProba(x);
            for (int r = 0; r < x.rows(); r++) {
                double s = 0;
                for (int c = 0; c < 4; c++) {
                    s += p.get(r, c);
                }
                assertEquals(1.0, s, 1e-12, "row " + r);
            }
        }
    }

    /** Draws from a model have its weights, means and covariances within a few standard errors. */
    @Test
    void samplesHaveTheModelsMoments() {
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, 2, 3, 8, 5.0, 0.0);
        GaussianMixtureModel m = new GaussianMixtureModel(p, FitSummary.notFitted());
        int n = 200_000;
        GaussianMixtureModel.Sample s = m.sample(n, 17);
        for (int c = 0; c < 2; c++) {
            int count = 0;
            double[] mean = new double[3];
            for (int r = 0; r < n; r++) {
                if (s.labels()[r] == c) {
                    count++;
                    for (int i = 0; i < 3; i++) {
                        mean[i] += s.x().get(r, i);
                    }
                }
            }
            double w = p.weights()[c];
            // Binomial standard error of the weight: sqrt(w(1-w)/n) ~ 1.1e-3; allow 5 of them.
            assertEquals(w, (double) count / n, 5 * Math.sqrt(w * (1 - w) / n), "weight " + c);
            double[][] cov = m.covariance(c);
            for (int i = 0; i < 3; i++) {
                mean[i] /= count;
                // Standard error of a mean: sqrt(var / count); allow 5.
                assertEquals(p.means()[c * 3 + i], mean[i], 5 * Math.sqrt(cov[i][i] / count), "mean " + c + "," + i);
            }
            double[][] emp = new double[3][3];
            for (int r = 0; r < n; r++) {
                if (s.labels()[r] == c) {
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            emp[i][j] += (s.x().get(r, i) - mean[i]) * (s.x().get(r, j) - mean[j]) / count;
                        }
                    }
                }
            }
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    // Standard error of a covariance entry: sqrt((s_ii s_jj + s_ij^2) / count); allow 5.
                    double se = Math.sqrt((cov[i][i] * cov[j][j] + cov[i][j] * cov[i][j]) / count);
                    assertEquals(cov[i][j], emp[i][j], 5 * se, "cov " + c + "," + i + "," + j);
                }
            }
        }
    }

    /** A well-separated known mixture is recovered from its samples (matched by nearest mean). */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void recoversAKnownMixture(CovarianceType type) {
        MixtureParams truth = SyntheticMixtures.randomParams(type, 3, 2, 41, 8.0, 0.0);
        Matrix x = SyntheticMixtures.sample(truth, 30_000, 42);
        GaussianMixtureModel m = cpu().k(3).covarianceType(type).nInit(3).seed(1).build().fit(x);
        for (int c = 0; c < 3; c++) {
            double[] mu = Arrays.copyOfRange(truth.means(), c * 2, c * 2 + 2);
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < 3; j++) {
                double dd = Math.hypot(m.means()[j][0] - mu[0], m.means()[j][1] - mu[1]);
                if (dd < bestD) {
                    bestD = dd;
                    best = j;
                }
            }
            // ~10,000 rows per component with variances ~1: a mean's standard error is ~0.01.
            assertTrue(bestD < 0.1, type + ": component " + c + " mean missed by " + bestD);
            assertEquals(truth.weights()[c], m.weights()[best], 0.02, type + ": weight of component " + c);
        }
    }

    /** Integer sample weights equal repeating rows (same start; only summation order differs). */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void integerWeightsEqualRepeatedRows(CovarianceType type) {
        Matrix x = blobs(type, 3, 3, 400, 61);
        int[] reps = new int[x.rows()];
        java.util.Random rnd = new java.util.Random(7);
        int total = 0;
        for (int r = 0; r < reps.length; r++) {
            reps[r] = rnd.nextInt(4);
            total += reps[r];
        }
        double[] repeated = new double[total * 3];
        double[] w = new double[x.rows()];
        int o = 0;
        for (int r = 0; r < x.rows(); r++) {
            w[r] = reps[r];
            for (int t = 0; t < reps[r]; t++) {
                System.arraycopy(x.data(), r * 3, repeated, o, 3);
                o += 3;
            }
        }
        GaussianMixtureModel start = cpu().k(3).covarianceType(type).maxIter(1).build().fit(x);
        GaussianMixture gm = cpu().initialModel(start).maxIter(20).tol(0).build();
        GaussianMixtureModel a = gm.fit(x, w);
        GaussianMixtureModel b = gm.fit(Matrix.wrap(repeated, total, 3));
        assertArrayEquals(b.weights(), a.weights(), 1e-10);
        assertArrayEquals(b.covariances(), a.covariances(), 1e-9);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(b.means()[c], a.means()[c], 1e-9);
        }
        assertEquals(b.summary().lowerBound(), a.summary().lowerBound(), 1e-10);
    }

    /** Data scaled by 1e-150 with the default regCovar: the fit says regCovar dominates, and by how much. */
    @Test
    void regCovarThatDominatesTheDataIsNoted() {
        Matrix x = blobs(CovarianceType.FULL, 2, 2, 400, 91);
        double[] tiny = x.data().clone();
        for (int i = 0; i < tiny.length; i++) {
            tiny[i] *= 1e-150;
        }
        List<String> notes = new java.util.ArrayList<>();
        FitListener listener = new FitListener() {
            @Override
            public void onNote(String message) {
                notes.add(message);
            }
        };
        cpu().k(2).listener(listener).build().fit(Matrix.wrap(tiny, x.rows(), x.cols()));
        String note = notes.stream().filter(n -> n.contains("dominates")).findFirst().orElse(null);
        assertTrue(note != null, "no note: " + notes);
        assertTrue(note.contains("regCovar 1.00e-06") && note.contains("scale the data") && note.contains("smaller regCovar"), note);
        assertTrue(note.matches(".*regCovar is [0-9.]+e\\+29[0-9] times it.*"), note);
        notes.clear();
        cpu().k(2).listener(listener).build().fit(x);
        assertTrue(notes.stream().noneMatch(n -> n.contains("dominates")), notes.toString());
    }

    @Test
    void sameSeedGivesBitIdenticalModels() {
        Matrix x = blobs(CovarianceType.FULL, 5, 4, 3000, 71);
        GaussianMixture gm = cpu().k(5).nInit(3).seed(123).build();
        GaussianMixtureModel a = gm.fit(x);
        GaussianMixtureModel b = gm.fit(x);
        assertArrayEquals(a.weights(), b.weights(), 0.0);
        assertArrayEquals(a.covariances(), b.covariances(), 0.0);
        assertEquals(a.summary().lowerBoundHistory(), b.summary().lowerBoundHistory());
    }
}
