package io.gaussmix;

import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.em.OnlineEm;
import io.gaussmix.io.ModelJson;
import io.gaussmix.io.NpyRowSource;
import io.gaussmix.testing.SplitSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Online (stepwise) EM: recovery of a known mixture, its M-step, determinism, settings and bad batches. */
class OnlineGaussianMixtureTest {
    @TempDir
    Path dir;

    /** A known, well-separated mixture in D = 2: weights, means and full covariances. */
    static final double[] WEIGHTS = {0.5, 0.3, 0.2};
    static final double[][] MEANS = {{0, 0}, {12, 2}, {-4, 14}};
    static final double[][][] COVS = {{{1.0, 0.3}, {0.3, 0.5}}, {{2.0, -0.6}, {-0.6, 1.0}}, {{0.7, 0.0}, {0.0, 1.5}}};

    /** n rows drawn from the known mixture (Cholesky of each covariance times standard normals). */
    static Matrix sample(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n * 2];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            int c = u < WEIGHTS[0] ? 0 : u < WEIGHTS[0] + WEIGHTS[1] ? 1 : 2;
            double[][] s = COVS[c];
            double l00 = Math.sqrt(s[0][0]);
            double l10 = s[1][0] / l00;
            double l11 = Math.sqrt(s[1][1] - l10 * l10);
            double z0 = r.nextGaussian();
            double z1 = r.nextGaussian();
            v[i * 2] = MEANS[c][0] + l00 * z0;
            v[i * 2 + 1] = MEANS[c][1] + l10 * z0 + l11 * z1;
        }
        return Matrix.wrap(v, n, 2);
    }

    static List<Matrix> batches(Matrix x, int size) {
        List<Matrix> out = new ArrayList<>();
        for (int from = 0; from < x.rows(); from += size) {
            out.add(x.rowRange(from, Math.min(x.rows(), from + size)));
        }
        return out;
    }

    static GaussianMixture.Builder cpu(int k) {
        return GaussianMixture.builder().k(k).seed(3).backend(BackendType.CPU);
    }

    /**
     * 200k rows in batches of 1000. The final running statistics are a weighted average of the batches'
     * statistics, batch t with weight w_t = gamma_t prod_{u > t} (1 - gamma_u) (the first batch's gamma
     * being 1); for independent batches the variance of that average is sum w_t^2 times a batch mean's,
     * so the estimate has the precision of N_eff = B / sum w_t^2 rows (about 48k here, not 200k). Each
     * parameter must be within 5 of its standard errors at N_eff: weights sqrt(pi(1 - pi) / N_eff),
     * means sqrt(Sigma_ii / (pi N_eff)), covariances sqrt((Sigma_ii Sigma_jj + Sigma_ij^2) / (pi N_eff))
     * (the clusters are 10+ standard deviations apart, so responsibilities are essentially hard).
     */
    @Test
    void recoversAKnownMixtureFromALongStream() {
        int n = 200_000;
        int b = 1000;
        Matrix x = sample(n, 11);
        GaussianMixtureModel m;
        try (OnlineGaussianMixture online = OnlineGaussianMixture.builder(cpu(3).init(InitMethod.KMEANS_PLUS_PLUS)
                .build()).build()) {
            for (Matrix batch : batches(x, b)) {
                online.partialFit(batch);
            }
            m = online.model();
        }
        int t = n / b;
        double sumSquares = 0;
        for (int s = 0; s < t; s++) {
            double w = s == 0 ? 1 : OnlineEm.stepSize(s, OnlineGaussianMixture.DEFAULT_T0,
                    OnlineGaussianMixture.DEFAULT_ALPHA);
            for (int u = s + 1; u < t; u++) {
                w *= 1 - OnlineEm.stepSize(u, OnlineGaussianMixture.DEFAULT_T0, OnlineGaussianMixture.DEFAULT_ALPHA);
            }
            sumSquares += w * w;
        }
        double nEff = b / sumSquares;
        assertTrue(nEff > 10_000 && nEff < n, "effective rows " + nEff);
        for (int c = 0; c < 3; c++) {
            int found = nearest(m.means(), MEANS[c]);
            double pi = WEIGHTS[c];
            assertEquals(pi, m.weights()[found], 5 * Math.sqrt(pi * (1 - pi) / nEff), "weight " + c);
            double nc = pi * nEff;
            double[][] cov = m.covariance(found);
            for (int i = 0; i < 2; i++) {
                assertEquals(MEANS[c][i], m.means()[found][i], 5 * Math.sqrt(COVS[c][i][i] / nc), "mean " + c);
                for (int j = 0; j < 2; j++) {
                    double se = Math.sqrt((COVS[c][i][i] * COVS[c][j][j] + COVS[c][i][j] * COVS[c][i][j]) / nc);
                    assertEquals(COVS[c][i][j], cov[i][j], 5 * se, "covariance " + c + " [" + i + "][" + j + "]");
                }
            }
        }
        assertEquals(t, m.summary().online().batches());
        assertEquals(n, m.summary().online().rows());
        assertEquals(t, m.summary().iterations());
        assertTrue(m.summary().backend().contains("online"), m.summary().backend());
    }

    private static int nearest(double[][] means, double[] target) {
        int best = 0;
        for (int c = 1; c < means.length; c++) {
            if (dist(means[c], target) < dist(means[best], target)) {
                best = c;
            }
        }
        return best;
    }

    private static double dist(double[] a, double[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
    }

    /**
     * After one batch the running statistics are that batch's own, so the model is one batch-EM
     * iteration from the same initialisation: a fit with maxIter 1 on the batch. The online path
     * divides the statistics by the batch weight and multiplies them back (a few ulps), so 1e-12.
     */
    @Test
    void oneBatchIsOneEmIteration() {
        for (CovarianceType type : CovarianceType.values()) {
            Matrix x = sample(600, 5);
            double[] w = new Random(2).doubles(600, 0.5, 2).toArray();
            GaussianMixture settings = cpu(3).covarianceType(type).build();
            GaussianMixtureModel batch = settings.toBuilder().maxIter(1).build().fit(x, w);
            GaussianMixtureModel online;
            try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(settings).build()) {
                o.partialFit(x, w);
                online = o.model();
            }
            assertArrayEquals(batch.weights(), online.weights(), 1e-12, type.id());
            assertArrayEquals(Matrix.of(batch.means()).data(), Matrix.of(online.means()).data(), 1e-11, type.id());
            assertArrayEquals(batch.covariances(), online.covariances(), 1e-11, type.id());
            assertEquals(batch.summary().lowerBound(), online.summary().lowerBound(), 1e-12, type.id());
        }
    }

    /** The same batches give the same bits; the model JSON round-trips the online record. */
    @Test
    void deterministicAndRecordedInTheModelFile() throws Exception {
        Matrix x = sample(5000, 8);
        String[] json = new String[2];
        GaussianMixtureModel last = null;
        for (int run = 0; run < 2; run++) {
            try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(cpu(3).covarianceType(CovarianceType.DIAG)
                    .build()).batchSize(700).t0(4).alpha(0.8).build()) {
                o.partialFit(RowSource.of(x));
                last = o.model();
                json[run] = ModelJson.toJson(last).toString();
            }
        }
        assertEquals(json[0], json[1]);
        Path file = dir.resolve("online.json");
        ModelJson.write(file, last);
        GaussianMixtureModel read = ModelJson.read(file);
        assertEquals(new OnlineGaussianMixture.Progress(8, 5000, 4, 0.8), read.summary().online());
        assertEquals(json[0], ModelJson.toJson(read).toString());
        // A batch fit records no "fit" and reads back as one.
        GaussianMixtureModel batch = cpu(3).build().fit(x);
        assertTrue(!ModelJson.toJson(batch).has("fit"));
        Path batchFile = dir.resolve("batch.json");
        ModelJson.write(batchFile, batch);
        assertNull(ModelJson.read(batchFile).summary().online());
    }

    /** partialFit(RowSource) is partialFit of each batchSize block in order, the last one shorter. */
    @Test
    void aRowSourceIsItsBatchesInOrder() {
        Matrix x = sample(2345, 4);
        GaussianMixture settings = cpu(3).build();
        double[] viaSource;
        double[] viaBatches;
        try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(settings).batchSize(500).build()) {
            o.partialFit(RowSource.of(x));
            viaSource = o.model().covariances();
            assertEquals(5, o.batchesSeen());
            assertEquals(2345, o.rowsSeen());
        }
        try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(settings).build()) {
            for (Matrix batch : batches(x, 500)) {
                o.partialFit(batch);
            }
            viaBatches = o.model().covariances();
        }
        assertArrayEquals(viaBatches, viaSource, 0.0);
    }

    /**
     * partialFit(rows, weights) is partialFit of each batch with its weights, read from a weights file in
     * windows that meet no batch; the weights matter (the unweighted fit differs); a weights source of
     * another length is refused before any batch.
     */
    @Test
    void weightsFromASourceGoWithTheirBatches() throws Exception {
        Matrix x = sample(2345, 5);
        double[] w = SplitSources.weights(2345, 6);
        Path file = SplitSources.npyColumn(dir, "w.npy", w, false, true);
        GaussianMixture settings = cpu(3).build();
        double[] viaSource;
        try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(settings).batchSize(500).build();
             NpyRowSource weights = NpyRowSource.open(file, NpyRowSource.Reading.MAPPED, 8 * 333 + 1)) {
            o.partialFit(RowSource.of(x), weights);
            viaSource = o.model().covariances();
            assertEquals(5, o.batchesSeen());
        }
        double[] viaBatches;
        double[] unweighted;
        try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(settings).build();
             OnlineGaussianMixture plain = OnlineGaussianMixture.builder(settings).build()) {
            for (int from = 0; from < 2345; from += 500) {
                int to = Math.min(2345, from + 500);
                o.partialFit(x.rowRange(from, to), Arrays.copyOfRange(w, from, to));
                plain.partialFit(x.rowRange(from, to));
            }
            viaBatches = o.model().covariances();
            unweighted = plain.model().covariances();
        }
        assertArrayEquals(viaBatches, viaSource, 0.0);
        assertFalse(Arrays.equals(unweighted, viaSource), "the weights were used");
        try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(settings).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> o.partialFit(RowSource.of(x), RowSource.ofColumn(Arrays.copyOf(w, 2344))));
            assertEquals("2344 sample weights for 2345 rows", e.getMessage());
            assertEquals(0, o.batchesSeen());
        }
        // A bad weight in a later batch is named by its row in the source; a batch of zero weights by its rows.
        double[] bad = w.clone();
        bad[1234] = -1;
        Arrays.fill(bad, 2000, 2345, 0.0);
        try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(settings).batchSize(500).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> o.partialFit(RowSource.of(x), RowSource.ofColumn(bad)));
            assertEquals("sample weight of row 1234 (0-based) is -1.0; weights must be finite and >= 0", e.getMessage());
            assertEquals(2, o.batchesSeen());
            bad[1234] = 1;
            e = assertThrows(IllegalArgumentException.class,
                    () -> o.partialFit(RowSource.of(x.rowRange(0, 2345)), RowSource.ofColumn(bad)));
            assertEquals("sample weights sum to 0 in rows 2000..2344 (0-based)", e.getMessage());
        }
    }

    @Test
    void badSettingsAreRefused() {
        GaussianMixture settings = cpu(3).build();
        for (double alpha : new double[] {0.5, 0.3, 1.0001, Double.NaN}) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class,
                    () -> OnlineGaussianMixture.builder(settings).alpha(alpha));
            assertEquals("alpha", e.setting());
            assertTrue(e.getMessage().contains("(0.5, 1]"), e.getMessage());
        }
        assertEquals("batchSize", assertThrows(InvalidSettingException.class,
                () -> OnlineGaussianMixture.builder(settings).batchSize(0)).setting());
        assertEquals("t0", assertThrows(InvalidSettingException.class,
                () -> OnlineGaussianMixture.builder(settings).t0(-1)).setting());
        assertEquals("missing", assertThrows(InvalidSettingException.class,
                () -> OnlineGaussianMixture.builder(cpu(3).missing(MissingPolicy.EM).build())).setting());
        assertEquals("initLabels", assertThrows(InvalidSettingException.class,
                () -> OnlineGaussianMixture.builder(cpu(2).initLabels(new int[] {0, 1}).build())).setting());
        // alpha = 1 is allowed (the upper end of the interval)
        OnlineGaussianMixture.builder(settings).alpha(1);
    }

    @Test
    void badBatchesAreRefused() {
        try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(cpu(3).build()).build()) {
            IllegalStateException none = assertThrows(IllegalStateException.class, o::model);
            assertTrue(none.getMessage().contains("partialFit"), none.getMessage());
            IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                    () -> o.partialFit(sample(2, 1)));
            assertTrue(few.getMessage().contains("first batch has 2 rows, fewer than k = 3"), few.getMessage());
            IllegalArgumentException weighted = assertThrows(IllegalArgumentException.class,
                    () -> o.partialFit(sample(4, 1), new double[] {1, 0, 0, 1}));
            assertTrue(weighted.getMessage().contains("2 rows of positive sample weight"), weighted.getMessage());
            o.partialFit(sample(100, 1));
            IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                    () -> o.partialFit(Matrix.wrap(new double[9], 3, 3)));
            assertEquals("batch 2 has 3 columns but the model has 2 dimensions", wide.getMessage());
            double[] bad = sample(10, 1).data();
            bad[7] = Double.NaN;
            IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                    () -> o.partialFit(Matrix.wrap(bad, 10, 2)));
            assertTrue(nan.getMessage().startsWith("batch 2 contains a non-finite value: row 3, column 1"),
                    nan.getMessage());
            assertThrows(IllegalArgumentException.class, () -> o.partialFit(sample(10, 1), new double[3]));
            // A refused batch changes nothing: the next one is still batch 2.
            assertEquals(1, o.batchesSeen());
            o.partialFit(sample(5, 2));
            assertEquals(2, o.batchesSeen());
        }
        GaussianMixtureModel start = cpu(2).build().fit(sample(300, 1));
        try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(cpu(2).initialModel(start).build()).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> o.partialFit(Matrix.wrap(new double[30], 10, 3)));
            assertTrue(e.getMessage().contains("starting model has 2 dimensions"), e.getMessage());
        }
        OnlineGaussianMixture closed = OnlineGaussianMixture.builder(cpu(1).build()).build();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.partialFit(sample(5, 1)));
    }

    /** A warm start continues from the model's parameters: one batch is then one EM iteration from them. */
    @Test
    void startsFromAGivenModel() {
        Matrix x = sample(800, 9);
        GaussianMixtureModel start = cpu(3).maxIter(2).build().fit(x);
        GaussianMixture settings = cpu(3).initialModel(start).build();
        GaussianMixtureModel batch = settings.toBuilder().maxIter(1).build().fit(x);
        try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(settings).build()) {
            o.partialFit(x);
            // as oneBatchIsOneEmIteration: division and multiplication by the batch weight, a few ulps
            assertArrayEquals(batch.covariances(), o.model().covariances(), 1e-11);
            assertArrayEquals(batch.weights(), o.model().weights(), 1e-12);
        }
    }

    /** The running statistics stay about the current means: a stream far from the origin fits as one near it. */
    @Test
    void farFromTheOriginFitsAsNearIt() {
        Matrix x = sample(20_000, 6);
        double[] shifted = x.data().clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 1e6;
        }
        double[] near;
        double[] far;
        GaussianMixture settings = cpu(3).build();
        try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(settings).build()) {
            o.partialFit(RowSource.of(x));
            near = o.model().covariances();
        }
        try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(settings).build()) {
            o.partialFit(RowSource.of(Matrix.wrap(shifted, x.rows(), 2)));
            far = o.model().covariances();
        }
        // Values of 1e6 carry an absolute rounding of 1e6 * 1.1e-16 = 1.1e-10 each; covariances of order 1
        // computed about the means lose no more than a few hundred of those over the run: 1e-7 is generous
        // (raw moments would lose 12 digits: errors of order 1e-4).
        assertArrayEquals(near, far, 1e-7);
        assertEquals(Arrays.stream(near).sum(), Arrays.stream(far).sum(), 1e-7);
    }
}
