package io.gaussmix;

import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Online EM on a device backend against the float64 CPU on the same batches. Each batch's statistics carry a
 * relative error of a few float32 ulps (~1e-7, as OpenClFitParityTest's passes); every step blends
 * only a fraction gamma_t of the new batch in and the M-step is float64 on the host, so the errors do
 * not grow over the batches: float32 must agree to the fit-parity bounds (1e-4 of the parameters'
 * scale), float64 to 1e-9.
 */
public abstract class OnlineBackendParity {
    /** The device backend under test. */
    protected abstract BackendType backend();

    /** Skips (or fails) when the backend cannot run here. */
    protected abstract void requireBackend();

    /** Skips (or fails) when the backend has no float64. */
    protected abstract void requireFloat64();

    private static GaussianMixtureModel online(Matrix x, BackendType backend, Precision precision) {
        GaussianMixture settings = GaussianMixture.builder().k(3).covarianceType(CovarianceType.FULL).seed(2)
                .backend(backend).precision(precision).build();
        try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(settings).batchSize(500).build()) {
            o.partialFit(RowSource.of(x));
            return o.model();
        }
    }

    private static Matrix data() {
        var p = SyntheticMixtures.randomParams(CovarianceType.FULL, 3, 4, 7, 6, 0);
        Random r = new Random(1);
        int n = 3000;
        double[] v = new double[n * 4];
        // rows = mean + L z with L from the covariance (dense Cholesky of each component's covariance)
        double[] cov = p.covariances();
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            double[] l = cholesky(cov, c * 16, 4);
            double[] z = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            for (int a = 0; a < 4; a++) {
                double s = p.means()[c * 4 + a];
                for (int b = 0; b <= a; b++) {
                    s += l[a * 4 + b] * z[b];
                }
                v[i * 4 + a] = s;
            }
        }
        return Matrix.wrap(v, n, 4);
    }

    private static double[] cholesky(double[] a, int off, int d) {
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[off + i * d + j];
                for (int t = 0; t < j; t++) {
                    s -= l[i * d + t] * l[j * d + t];
                }
                l[i * d + j] = i == j ? Math.sqrt(s) : s / l[j * d + j];
            }
        }
        return l;
    }

    private static void assertClose(GaussianMixtureModel cpu, GaussianMixtureModel dev, double tol) {
        double scale = 0;
        for (double m : Matrix.of(cpu.means()).data()) {
            scale = Math.max(scale, Math.abs(m));
        }
        double covScale = 0;
        for (double c : cpu.covariances()) {
            covScale = Math.max(covScale, Math.abs(c));
        }
        assertArrayEquals(cpu.weights(), dev.weights(), tol);
        assertArrayEquals(Matrix.of(cpu.means()).data(), Matrix.of(dev.means()).data(), tol * scale);
        assertArrayEquals(cpu.covariances(), dev.covariances(), tol * covScale);
        assertEquals(cpu.summary().lowerBound(), dev.summary().lowerBound(), tol * Math.abs(cpu.summary().lowerBound()));
        assertEquals(cpu.summary().online(), dev.summary().online());
    }

    @Test
    public void float32IsWithinFloat32ToleranceOfTheCpu() {
        requireBackend();
        Matrix x = data();
        GaussianMixtureModel cpu = online(x, BackendType.CPU, null);
        GaussianMixtureModel dev = online(x, backend(), Precision.FLOAT32);
        assertTrue(dev.summary().backend().contains("float32"), dev.summary().backend());
        assertClose(cpu, dev, 1e-4);
    }

    @Test
    public void float64AgreesWithTheCpu() {
        requireFloat64();
        Matrix x = data();
        assertClose(online(x, BackendType.CPU, null), online(x, backend(), Precision.FLOAT64), 1e-9);
    }
}
