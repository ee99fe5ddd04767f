package io.gaussmix.backend.cpu;

import io.gaussmix.CovarianceType;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The vectorised exp against Math.exp (itself within 1 ulp of e^x): within 2 ulp on [-708, 0] (the
 * polynomial's truncation is below 1e-17 relative; the reduction and the 14 rounded operations add
 * about 1 ulp), exactly 1 at 0, and the lanes it hands to Math.exp (below -708, -infinity, NaN) give
 * exactly RowKernels' values. Then the Vector API responsibilities against RowKernels' on blocks of
 * log densities with spreads that reach exp's underflow: within 4 eps64 relative per entry and per
 * log-likelihood (each entry is an exp within 2 ulp over a sum of K such terms).
 */
class VectorExpTest {
    @BeforeAll
    static void vectorApi() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "no jdk.incubator.vector");
    }

    @Test
    void within2UlpOfMathExpAndExactAtZero() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] a = new double[1 << 16];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 3 == 0 ? -rnd.nextDouble() : i % 3 == 1 ? -rnd.nextDouble() * 40 : -rnd.nextDouble() * 708;
        }
        a[0] = 0.0;
        a[1] = -708.0;
        a[2] = -Double.MIN_VALUE;
        double[] e = a.clone();
        VectorExp.expInPlace(e, 0, e.length);
        assertEquals(1.0, e[0], 0.0);
        for (int i = 0; i < a.length; i++) {
            double expected = Math.exp(a[i]);
            assertTrue(Math.abs(e[i] - expected) <= 2 * Math.ulp(expected), "exp(" + a[i] + "): " + e[i] + " vs " + expected);
        }
    }

    @Test
    void slowLanesAreRowKernelsValues() {
        double[] a = {-1.0, -720.0, -745.5, -800.0, Double.NEGATIVE_INFINITY, Double.NaN, -0.5, -2000.0};
        double[] e = a.clone();
        VectorExp.expInPlace(e, 0, e.length);
        for (int i = 0; i < a.length; i++) {
            if (a[i] < -708.0 || Double.isNaN(a[i])) {
                double expected = a[i] < -746.0 ? 0.0 : Math.exp(a[i]);
                assertEquals(expected, e[i], 0.0, "exp(" + a[i] + ")");
            }
        }
        assertEquals(0.0, e[4], 0.0);
        assertTrue(Double.isNaN(e[5]));
    }

    @Test
    void responsibilitiesMatchRowKernels() {
        int k = 7;
        int d = 5;
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, k, d, 17, 1.0, 0.5);
        TriangularPass pass = VectorTriangular.create(p, TriangularPass.packedFactors(p));
        SplittableRandom rnd = new SplittableRandom(9);
        for (int b : new int[] {1, 13, pass.blockRows}) {
            for (double spread : new double[] {1, 50, 900}) {
                double[] logp = new double[pass.blockRows * k];
                for (int i = 0; i < b * k; i++) {
                    logp[i] = -rnd.nextDouble() * spread - 3;
                }
                double[] weights = new double[b + 2];
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = i % 5 == 0 ? 0.0 : rnd.nextDouble() * 2;
                }
                double[] expected = logp.clone();
                double ll = RowKernels.responsibilities(expected, b, k, weights, 2, null);
                double llVector = pass.responsibilities(logp, b, weights, 2);
                assertEquals(ll, llVector, 4 * Math.ulp(Math.abs(ll)), "b=" + b + " spread=" + spread);
                for (int i = 0; i < b * k; i++) {
                    assertEquals(expected[i], logp[i], 4 * Math.ulp(expected[i]) + Double.MIN_NORMAL,
                            "b=" + b + " spread=" + spread + " entry " + i);
                }
            }
        }
    }
}
