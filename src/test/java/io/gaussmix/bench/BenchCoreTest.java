package io.gaussmix.bench;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCoreTest {

    @Test
    void flopModelCountsTheDocumentedTerms() {
        // FULL/TIED: 2*N*K*D^2; DIAG/SPHERICAL: 6*N*K*D.
        assertEquals(2.0 * 1000 * 8 * 16 * 16, FlopModel.passFlops(CovarianceType.FULL, 1000, 16, 8));
        assertEquals(2.0 * 1000 * 8 * 16 * 16, FlopModel.passFlops(CovarianceType.TIED, 1000, 16, 8));
        assertEquals(6.0 * 1000 * 8 * 16, FlopModel.passFlops(CovarianceType.DIAG, 1000, 16, 8));
        assertEquals(6.0 * 1000 * 8 * 16, FlopModel.passFlops(CovarianceType.SPHERICAL, 1000, 16, 8));
        // No int overflow at the top of the grid: N=1e6, D=128, K=1024.
        assertEquals(2.0 * 1e6 * 1024 * 128 * 128, FlopModel.passFlops(CovarianceType.FULL, 1_000_000, 128, 1024));
        assertEquals(4.0, FlopModel.gflops(8e9, 2.0), 1e-12);
        assertTrue(Double.isNaN(FlopModel.gflops(1e9, 0)));
    }

    @Test
    void dataIsSeededAndNotDegenerate() {
        Matrix a = BenchData.sample(500, 5, 3);
        Matrix b = BenchData.sample(500, 5, 3);
        assertArrayEquals(a.data(), b.data());
        assertNotEquals(a.data()[0], BenchData.sample(500, 5, 3, 7).data()[0]);
        double[] cov = BenchData.covariance(a, 0);
        for (int i = 0; i < 5; i++) {
            assertTrue(cov[i * 5 + i] > 0.1, "every feature varies");
        }
        long zeros = java.util.Arrays.stream(a.data()).filter(v -> v == 0).count();
        assertEquals(0, zeros);
    }

    @Test
    void executedFlopsCountTheKeptPairsOnly() {
        // All N*K pairs kept: the nominal model; none kept: the log densities only, half of it.
        assertEquals(FlopModel.passFlops(CovarianceType.FULL, 1000, 16, 8),
                FlopModel.executedPassFlops(CovarianceType.FULL, 1000, 16, 8, 8000));
        assertEquals(FlopModel.passFlops(CovarianceType.DIAG, 1000, 16, 8) / 2,
                FlopModel.executedPassFlops(CovarianceType.DIAG, 1000, 16, 8, 0));
    }

    @Test
    void keptResponsibilitiesMatchClosedForms() {
        Matrix x = BenchData.sample(1000, 3, 2);
        double[] cov = BenchData.covariance(x, 1e-6);
        // Two identical components: every pair kept.
        double[] mean = BenchData.columnMeans(x);
        double[] twice = new double[6];
        System.arraycopy(mean, 0, twice, 0, 3);
        System.arraycopy(mean, 0, twice, 3, 3);
        double[] covs = new double[18];
        System.arraycopy(cov, 0, covs, 0, 9);
        System.arraycopy(cov, 0, covs, 9, 9);
        MixtureParams same = MixtureParams.of(CovarianceType.FULL, new double[] {0.5, 0.5}, twice, covs, 3);
        assertEquals(2000, FlopModel.keptResponsibilities(x, same));
        // One component 1e4 data standard deviations away: its densities underflow against the other's.
        double[] far = twice.clone();
        for (int i = 3; i < 6; i++) {
            far[i] += 1e4 * Math.sqrt(cov[4 * (i - 3)]);
        }
        MixtureParams apart = MixtureParams.of(CovarianceType.FULL, new double[] {0.5, 0.5}, far, covs, 3);
        assertEquals(1000, FlopModel.keptResponsibilities(x, apart));
    }

    @Test
    void overlappingClustersKeepMostResponsibilitiesAndSeparatedOnesFew() {
        int n = 4000;
        int k = 4;
        for (BenchData.Clusters c : BenchData.Clusters.values()) {
            Matrix x = BenchData.sample(n, 64, k, c);
            GaussianMixtureModel m = FixedFit.fit(x, FixedFit.model(BenchData.peerStart(x, k, 7)), BackendType.CPU,
                    null, 10, 1e-6);
            double perRow = FlopModel.keptResponsibilities(x, m.params()) / (double) n;
            // Means 3 sigma apart: a responsibility ratio of about exp(-4.5), nowhere near underflow (all
            // 4 were kept when this was written). Means about 45 sigma apart at D = 64: log ratios near
            // -1000, past exp's underflow at -745 for all but the rows between clusters (1.16 per row).
            if (c == BenchData.Clusters.OVERLAPPING) {
                assertTrue(perRow > 0.9 * k, "overlapping: " + perRow + " components per row above 0");
            } else {
                assertTrue(perRow < 1.5, "separated: " + perRow + " components per row above 0");
            }
        }
    }

    @Test
    void passTimerReturnsPositiveTimesOnATinyCase() {
        Matrix x = BenchData.sample(300, 3, 2);
        for (CovarianceType t : CovarianceType.values()) {
            MixtureParams p = BenchData.passParams(x, t, 2, 1);
            PassTimer.Result r = PassTimer.time(BackendType.CPU, BackendOptions.DEFAULT, x, p, 1, 3, null);
            assertEquals(3, r.seconds().length);
            for (double s : r.seconds()) {
                assertTrue(s > 0, "positive time");
            }
            assertTrue(r.median() > 0);
            assertTrue(r.gflops() > 0);
            assertTrue(Double.isFinite(r.meanLogLik()));
            assertTrue(r.backend().startsWith("cpu"));
        }
    }

    @Test
    void peerStartRoundTripsThroughTheStartFile(@TempDir Path dir) throws Exception {
        Matrix x = BenchData.sample(400, 4, 3);
        MixtureParams p = BenchData.peerStart(x, 3, 11);
        Path f = dir.resolve("start.json");
        StartFile.write(f, p);
        MixtureParams q = StartFile.read(f);
        assertArrayEquals(p.means(), q.means());
        assertArrayEquals(p.covariances(), q.covariances());
        assertArrayEquals(p.weights(), q.weights(), 1e-15);
        // A fixed-iteration fit from that start runs and improves on it.
        GaussianMixtureModel start = FixedFit.model(q);
        GaussianMixtureModel fitted = FixedFit.fit(x, start, BackendType.CPU, null, 3, 1e-6);
        assertEquals(3, fitted.summary().iterations());
        assertTrue(fitted.score(x) > start.score(x));
    }

    @Test
    void unavailableBackendsFailWithAReason() {
        Matrix x = BenchData.sample(50, 2, 2);
        for (BackendType t : new BackendType[]{BackendType.OPENCL, BackendType.CUDA}) {
            try (PassTimer.Session s = new PassTimer.Session(t, BackendOptions.DEFAULT, x)) {
                assertTrue(s.description().length() > 0); // available on this machine: fine
            } catch (BackendUnavailableException e) {
                assertTrue(e.getMessage().contains(t.id()));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PassTimer.time(BackendType.CPU, BackendOptions.DEFAULT, x,
                BenchData.passParams(x, CovarianceType.FULL, 2, 1), 0, 0, null));
    }
}
