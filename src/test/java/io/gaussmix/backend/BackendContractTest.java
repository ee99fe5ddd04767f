package io.gaussmix.backend;

import io.gaussmix.CovarianceType;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.NaiveReference;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract every backend must meet, run once per backend by a subclass: the fused pass and the
 * log densities against an independent naive float64 reference, on a table of shapes (N not a
 * multiple of any block size, K=1, D=1, uncentred data, every covariance type), with and without
 * sample weights; bit-identical repeats; idempotent close.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContractTest {

    /** One shape of the case table. */
    public record Case(CovarianceType type, int n, int d, int k, double offset, boolean weighted, long seed) {
        @Override
        public String toString() {
            return type.id() + " n=" + n + " d=" + d + " k=" + k + " offset=" + offset + (weighted ? " weighted" : "");
        }
    }

    /**
     * The tolerance of every float32 device backend (OpenCL, CUDA: the same arithmetic). float32
     * rounds each operation by eps32 = 6e-8. A log density is a float64 constant minus half the
     * Mahalanobis sum ||(x - mu) U||^2: D coordinates, each a dot product of up to D float32 terms,
     * D(D+1)/2 = 2485 products at the table's largest D = 70. The rows are centred per column in
     * float64 before the conversion, so the offset-1000 case loses nothing to the offset. Each
     * coordinate is off by at most D eps32 = 4.2e-6 of its largest terms (every rounding the same
     * way; about sqrt(D) eps32 = 5e-7 when they have random signs), its square by twice that, so
     * the log densities stay within 1e-5 of the largest magnitude even in that worst case. The
     * statistics add at most 3000 rows in float64, each row's terms carrying a few eps32 from the
     * float32 responsibilities and differences (device exp and log may be 3 ulp). Measured worst
     * over the table: 3.2e-7 on PoCL, 3.9e-7 on the CUDA emulator (D = 70: 3.2e-7 and 2.9e-7).
     * A wrong term or index gives errors of order 1.
     */
    protected static final double FLOAT32_DEVICE_TOLERANCE = 1e-5;

    /**
     * The tolerance of every float64 device backend: float64 throughout, summed in another order
     * than the reference (tiles, blocks or work-groups, chunks), products possibly contracted into
     * fma and device exp/log within a few ulp: a few hundred eps64 (2.2e-16) over sums of up to
     * ~3000 rows and dot products of up to D = 70 terms, about 1e-13. Measured worst over the
     * table: 1.9e-15 on PoCL and on the CUDA emulator.
     */
    protected static final double FLOAT64_DEVICE_TOLERANCE = 1e-12;

    protected Backend backend;

    /** Opens the backend under test (called once per class; skip with an assumption when unavailable). */
    protected abstract Backend openBackend();

    /**
     * Relative tolerance against the float64 reference: each compared array must satisfy
     * max|actual - expected| <= tol * max(1, max|expected|).
     */
    protected abstract double tolerance();

    @BeforeAll
    void open() {
        backend = openBackend();
    }

    @AfterAll
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        long seed = 11;
        for (CovarianceType t : CovarianceType.values()) {
            cases.add(new Case(t, 1000, 3, 4, 0.0, false, seed++));
            cases.add(new Case(t, 517, 16, 8, 0.0, true, seed++));
            cases.add(new Case(t, 301, 1, 3, 0.0, false, seed++));
            cases.add(new Case(t, 250, 5, 1, 0.0, false, seed++));
            cases.add(new Case(t, 777, 7, 5, 1000.0, false, seed++));
            cases.add(new Case(t, 129, 33, 2, 0.0, true, seed++));
            cases.add(new Case(t, 300, 70, 3, 0.0, false, seed++));   // D beyond one 64-wide device tile
        }
        return cases.stream();
    }

    private static MixtureParams params(Case c) {
        return SyntheticMixtures.randomParams(c.type(), c.k(), c.d(), c.seed(), 3.0, c.offset());
    }

    private static double[] weights(Case c) {
        if (!c.weighted()) {
            return null;
        }
        java.util.Random r = new java.util.Random(c.seed() * 31);
        double[] w = new double[c.n()];
        for (int i = 0; i < w.length; i++) {
            w[i] = i % 13 == 0 ? 0.0 : 0.25 + 2 * r.nextDouble();
        }
        return w;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logDensitiesMatchNaiveReference(Case c) {
        MixtureParams p = params(c);
        Matrix x = SyntheticMixtures.sample(p, c.n(), c.seed() + 1);
        double[] out = new double[c.n() * c.k()];
        try (LoadedData data = backend.load(x, null)) {
            backend.logDensities(data, p, out);
        }
        assertClose(c + " logDensities", NaiveReference.logDensities(p, x), out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fusedPassMatchesNaiveReference(Case c) {
        MixtureParams p = params(c);
        Matrix x = SyntheticMixtures.sample(p, c.n(), c.seed() + 1);
        double[] w = weights(c);
        SufficientStats expected = NaiveReference.stats(p, x, w);
        SufficientStats actual;
        try (LoadedData data = backend.load(x, w)) {
            actual = backend.accumulate(data, p);
        }
        assertClose(c + " logLikelihood", new double[] {expected.logLikelihood}, new double[] {actual.logLikelihood});
        assertEquals(expected.totalWeight, actual.totalWeight, 1e-9 * expected.totalWeight, c + " totalWeight");
        assertClose(c + " nk", expected.nk, actual.nk);
        assertClose(c + " sumDiff", expected.sumDiff, actual.sumDiff, maxAbs(expected.nk) * 3.0);
        assertClose(c + " sumSq", expected.sumSq, actual.sumSq);
    }

    @Test
    void repeatedPassesAreBitIdentical() {
        for (CovarianceType t : CovarianceType.values()) {
            Case c = new Case(t, 3001, 6, 5, 0.0, true, 99);
            MixtureParams p = params(c);
            Matrix x = SyntheticMixtures.sample(p, c.n(), 5);
            try (LoadedData data = backend.load(x, weights(c))) {
                SufficientStats a = backend.accumulate(data, p);
                SufficientStats b = backend.accumulate(data, p);
                assertEquals(a.logLikelihood, b.logLikelihood, 0.0, t + ": log-likelihood differs between runs");
                assertArrayEquals(a.nk, b.nk, t + ": nk differs between runs");
                assertArrayEquals(a.sumDiff, b.sumDiff, t + ": sumDiff differs between runs");
                assertArrayEquals(a.sumSq, b.sumSq, t + ": sumSq differs between runs");
            }
        }
    }

    @Test
    void descriptionIsNotEmpty() {
        assertTrue(backend.description() != null && !backend.description().isBlank());
    }

    protected void assertClose(String what, double[] expected, double[] actual) {
        assertClose(what, expected, actual, 0.0);
    }

    /** max|a - e| <= tol * max(1, max|e|, scale); reports the worst element. */
    protected void assertClose(String what, double[] expected, double[] actual, double scale) {
        assertEquals(expected.length, actual.length, what + ": length");
        double norm = Math.max(1.0, Math.max(maxAbs(expected), scale));
        int worst = -1;
        double worstErr = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.abs(expected[i] - actual[i]);
            if (!(e <= worstErr) || Double.isNaN(actual[i])) {
                worstErr = Double.isNaN(actual[i]) ? Double.POSITIVE_INFINITY : e;
                worst = i;
            }
        }
        if (worst >= 0 && worstErr > tolerance() * norm) {
            fail(what + ": element " + worst + " is " + actual[worst] + ", expected " + expected[worst]
                    + " (error " + worstErr + " > " + tolerance() + " * " + norm + ")");
        }
    }

    protected static double maxAbs(double[] a) {
        return Arrays.stream(a).map(Math::abs).max().orElse(0);
    }
}
