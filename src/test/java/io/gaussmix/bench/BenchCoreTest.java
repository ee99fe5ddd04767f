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
