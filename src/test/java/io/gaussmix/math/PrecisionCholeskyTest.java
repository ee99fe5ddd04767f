package io.gaussmix.math;

import io.gaussmix.parallel.UnitWorkers;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PrecisionCholesky} against independent values: covariances Q diag(lambda) Q^T with a
 * random orthogonal Q and eigenvalues log-spaced from 1 down to 1/cond, so cond(Sigma) and
 * log det Sigma = sum log lambda are known without factoring anything.
 *
 * <p>Tolerances: a backward-stable Cholesky gives L L^T = Sigma + E with |E| of order D eps |Sigma|,
 * and the triangular inverse adds an error of the same order relative to U, so U^T Sigma U - I and
 * the relative difference of two such U (EJML's and ours) are bounded by a small multiple of
 * cond(Sigma) * eps * D; the log-determinant's error by D eps cond too (d log det = tr(Sigma^-1 dSigma)).
 * The factor 4 covers the constants of those bounds; the observed errors are far below them.
 */
class PrecisionCholeskyTest {
    private static final double EPS = Math.ulp(1.0);

    static Stream<Arguments> cases() {
        return IntStream.of(1, 2, 17, 63, 64, 65, 300).boxed()
                .flatMap(d -> Stream.of(Arguments.of(d, 10.0), Arguments.of(d, 1e8)));
    }

    @ParameterizedTest(name = "D = {0}, cond = {1}")
    @MethodSource("cases")
    void factorWhitensTheCovarianceAndGivesItsLogDeterminant(int d, double cond) {
        double[] lambda = eigenvalues(d, cond);
        double[] cov = withEigenvalues(new Random(d), lambda);
        double[] u = new double[d * d];
        double logDet = PrecisionCholesky.factor(cov, 0, d, u, 0);
        double tol = 4 * cond * EPS * d;
        double worst = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(0.0, u[i * d + j], "U below the diagonal at (" + i + ", " + j + ")");
            }
        }
        // (U^T Sigma U)[i][j] = sum_{a, b} U[a][i] Sigma[a][b] U[b][j]
        double[] su = multiply(cov, u, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int a = 0; a < d; a++) {
                    s += u[a * d + i] * su[a * d + j];
                }
                worst = Math.max(worst, Math.abs(s - (i == j ? 1 : 0)));
            }
        }
        assertTrue(worst <= tol, "max |U^T Sigma U - I| = " + worst + " > " + tol);
        double expected = 0;
        for (double l : lambda) {
            expected -= 0.5 * Math.log(l);
        }
        assertEquals(expected, logDet, tol * Math.max(1, Math.abs(expected)), "sum log diag U = -1/2 log det Sigma");
    }

    @ParameterizedTest(name = "D = {0}, cond = {1}")
    @MethodSource("cases")
    void blockedPathAgreesWithEjml(int d, double cond) {
        double[] cov = withEigenvalues(new Random(31 + d), eigenvalues(d, cond));
        double[] ours = new double[d * d];
        double[] ejml = new double[d * d];
        double logDet = PrecisionCholesky.blocked(cov, 0, d, ours, 0, null);
        double ejmlLogDet = PrecisionCholesky.ejml(cov, 0, d, ejml, 0);
        double scale = 0;
        for (double v : ejml) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tol = 4 * cond * EPS * d * scale;
        for (int i = 0; i < d * d; i++) {
            assertEquals(ejml[i], ours[i], tol, "U at (" + i / d + ", " + i % d + ")");
        }
        assertEquals(ejmlLogDet, logDet, 4 * cond * EPS * d * Math.max(1, Math.abs(ejmlLogDet)));
    }

    @Test
    void sameBitsOnAnyThreadCount() {
        int d = 301;
        double[] cov = withEigenvalues(new Random(5), eigenvalues(d, 1e6));
        double[] reference = new double[d * d];
        double logDet = PrecisionCholesky.blocked(cov, 0, d, reference, 0, null);
        for (int threads : new int[]{1, 2, 3, 7}) {
            try (UnitWorkers workers = new UnitWorkers(threads)) {
                double[] u = new double[d * d];
                assertEquals(logDet, PrecisionCholesky.blocked(cov, 0, d, u, 0, workers), 0.0, threads + " threads");
                assertArrayEquals(reference, u, 0.0, "U on " + threads + " threads vs the calling thread");
            }
        }
    }

    @Test
    void lowerFactorReproducesTheCovariance() {
        for (int d : new int[]{3, 64, 200}) {
            double[] cov = withEigenvalues(new Random(d), eigenvalues(d, 1e4));
            double[] l = PrecisionCholesky.lower(cov, 0, d);
            double tol = 4 * EPS * d;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int t = 0; t < d; t++) {
                        s += l[i * d + t] * l[j * d + t];
                    }
                    assertEquals(cov[i * d + j], s, tol, "(L L^T) at (" + i + ", " + j + "), D = " + d);
                    if (j > i) {
                        assertEquals(0.0, l[i * d + j]);
                    }
                }
            }
        }
    }

    @Test
    void notPositiveDefiniteOrNotFiniteGivesNaN() {
        for (int d : new int[]{2, 64, 65, 300}) {
            double[] lambda = eigenvalues(d, 100);
            lambda[d / 2] = -0.5;
            double[] indefinite = withEigenvalues(new Random(d), lambda);
            double[] u = new double[d * d];
            assertTrue(Double.isNaN(PrecisionCholesky.factor(indefinite, 0, d, u, 0)), "indefinite, D = " + d);
            assertEquals(null, PrecisionCholesky.lower(indefinite, 0, d), "indefinite, D = " + d);
            double[] nan = withEigenvalues(new Random(d), eigenvalues(d, 100));
            nan[(d - 1) * d] = Double.NaN;     // lower triangle, last row
            nan[d - 1] = Double.NaN;           // and its mirror in the upper triangle, which is the one read
            assertTrue(Double.isNaN(PrecisionCholesky.factor(nan, 0, d, u, 0)), "NaN entry, D = " + d);
            double[] inf = withEigenvalues(new Random(d), eigenvalues(d, 100));
            inf[d * d - 1] = Double.POSITIVE_INFINITY;
            assertTrue(Double.isNaN(PrecisionCholesky.factor(inf, 0, d, u, 0)), "infinite entry, D = " + d);
        }
    }

    @Test
    void mixtureParamsNamesTheComponentThatIsNotPositiveDefinite() {
        int d = 100;
        double[] good = withEigenvalues(new Random(1), eigenvalues(d, 10));
        double[] lambda = eigenvalues(d, 10);
        lambda[0] = -1;
        double[] bad = withEigenvalues(new Random(2), lambda);
        double[] cov = new double[2 * d * d];
        System.arraycopy(good, 0, cov, 0, d * d);
        System.arraycopy(bad, 0, cov, d * d, d * d);
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                () -> MixtureParams.of(io.gaussmix.CovarianceType.FULL, new double[]{0.5, 0.5}, new double[2 * d], cov, d));
        assertEquals(1, e.component());
    }

    /** log-spaced from 1 down to 1/cond. */
    static double[] eigenvalues(int d, double cond) {
        double[] lambda = new double[d];
        for (int i = 0; i < d; i++) {
            lambda[i] = d == 1 ? 1 : Math.pow(cond, -(double) i / (d - 1));
        }
        return lambda;
    }

    /** Q diag(lambda) Q^T with Q the orthogonal factor of a Gaussian matrix, exactly symmetric. */
    static double[] withEigenvalues(Random rnd, double[] lambda) {
        int d = lambda.length;
        DMatrixRMaj g = new DMatrixRMaj(d, d);
        for (int i = 0; i < d * d; i++) {
            g.data[i] = rnd.nextGaussian();
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(d, d);
        qr.decompose(g);
        double[] q = qr.getQ(null, false).data;
        double[] cov = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double s = 0;
                for (int t = 0; t < d; t++) {
                    s += q[i * d + t] * lambda[t] * q[j * d + t];
                }
                cov[i * d + j] = s;
                cov[j * d + i] = s;
            }
        }
        return cov;
    }

    /** A random SPD matrix of condition number cond (for the benchmark). */
    static double[] randomSpd(Random rnd, int d, double cond) {
        return withEigenvalues(rnd, eigenvalues(d, cond));
    }

    private static double[] multiply(double[] a, double[] b, int d) {
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int t = 0; t < d; t++) {
                double v = a[i * d + t];
                for (int j = 0; j < d; j++) {
                    c[i * d + j] += v * b[t * d + j];
                }
            }
        }
        return c;
    }
}
