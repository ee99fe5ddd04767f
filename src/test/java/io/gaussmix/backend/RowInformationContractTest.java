package io.gaussmix.backend;

import io.gaussmix.CovarianceType;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.math.ComponentScores;
import io.gaussmix.math.LogSumExp;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.RowInformation;
import io.gaussmix.testing.NaiveReference;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Backend#rowInformation} of a device backend (run once per backend by a subclass) against the float64
 * host path {@link RowInformation#onHost}: every covariance type, with and without sample weights, P beyond
 * one 16-wide tile and N beyond one block of rows, to 1e-10 relative (below); the same bits on a second run.
 *
 * <p>The scale of entry (i, j): m_i = sum_n w_n sum_k r_nk a_nki^2, taken here from the naive log densities and
 * {@link ComponentScores}. By Cauchy-Schwarz both terms of the entry, sum_n w_n sum_k r a_i a_j and
 * sum_n w_n s_i s_j (s_i^2 <= sum_k r a_i^2 by Jensen), are at most sqrt(m_i m_j), and so is every partial sum
 * the two paths form; each path rounds each of its N (K + 1) additions by eps64 = 1.1e-16 of such a sum, so
 * the two differ by at most about 2 N (K + 1) eps64 sqrt(m_i m_j), 1e-11 at the largest case here (N 9000,
 * K 3), and by sqrt(N) times less for random rounding. 1e-10 sqrt(m_i m_j) keeps a wide margin; a wrong
 * term, index or row is off by order 1 (a cross term scaled by 1 + 1e-9 already fails). Measured worst: 5.4e-15
 * on PoCL. The score: |sum_n w_n s_i| <= sqrt(W m_i), W = sum_n w_n.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RowInformationContractTest {
    /** See the class comment. */
    protected static final double TOLERANCE = 1e-10;

    /** One shape. */
    public record Case(CovarianceType type, int n, int d, int k, boolean weighted, long seed) {
        @Override
        public String toString() {
            return type.id() + " n=" + n + " d=" + d + " k=" + k + (weighted ? " weighted" : "");
        }
    }

    protected Backend backend;

    /** The backend under test, float64 (null: every test is skipped by the subclass's condition). */
    protected abstract Backend openBackend();

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
        long seed = 5;
        for (CovarianceType t : CovarianceType.values()) {
            cases.add(new Case(t, 700, 3, 2, false, seed++));
            cases.add(new Case(t, 1003, 4, 3, true, seed++));   // P > 16 for FULL/TIED/DIAG
            cases.add(new Case(t, 250, 2, 1, true, seed++));    // K = 1: no weight coordinates
            cases.add(new Case(t, 9000, 6, 3, true, seed++));   // rows beyond one block (4096)
        }
        return cases.stream();
    }

    private static MixtureParams params(Case c) {
        return SyntheticMixtures.randomParams(c.type(), c.k(), c.d(), c.seed(), 1.5, 0.0);
    }

    private static double[] weights(Case c) {
        if (!c.weighted()) {
            return null;
        }
        Random r = new Random(c.seed() * 17);
        double[] w = new double[c.n()];
        for (int i = 0; i < w.length; i++) {
            w[i] = i % 11 == 0 ? 0.0 : 0.25 + 2 * r.nextDouble();
        }
        return w;
    }

    /** n weights uniform in [0.5, 1.5), from the seed: the subclasses' streamed cases. */
    protected static double[] positiveWeights(int n, long seed) {
        Random r = new Random(seed);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 + r.nextDouble();
        }
        return w;
    }

    /** The backend's rows term on x (loaded with w), at p. */
    protected RowInformation onBackend(Backend b, MixtureParams p, Matrix x, double[] w) {
        try (LoadedData data = b.load(x, w)) {
            return b.rowInformation(data, p);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheHostPathAndRepeatsToTheBit(Case c) {
        MixtureParams p = params(c);
        Matrix x = SyntheticMixtures.sample(p, c.n(), c.seed() + 1);
        double[] w = weights(c);
        RowInformation host = RowInformation.onHost(p, x, w);
        RowInformation device = onBackend(backend, p, x, w);
        assertClose(c.toString(), p, x, w, host, device);
        RowInformation again = onBackend(backend, p, x, w);
        assertArrayEquals(device.outer(), again.outer(), c + ": a second run differs");
        assertArrayEquals(device.score(), again.score(), c + ": a second run's score differs");
    }

    /**
     * Rows and weights as sources that are not one matrix (two parts each, split off the unit boundaries), as a
     * streamed file gives them: the weights reach the pass as loaded, whether the backend's own pass or the host
     * default reads them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sourcesInPartsMatchTheHostPath(Case c) {
        if (!c.weighted() || c.n() > 2000) {
            return;
        }
        MixtureParams p = params(c);
        Matrix x = SyntheticMixtures.sample(p, c.n(), c.seed() + 1);
        double[] w = weights(c);
        int cut = c.n() / 3 + 1;
        double[] top = java.util.Arrays.copyOfRange(x.data(), 0, cut * c.d());
        double[] bottom = java.util.Arrays.copyOfRange(x.data(), cut * c.d(), c.n() * c.d());
        RowSource rows = RowSource.of(List.of(Matrix.wrap(top, cut, c.d()), Matrix.wrap(bottom, c.n() - cut, c.d())));
        RowSource weights = RowSource.of(List.of(Matrix.wrap(java.util.Arrays.copyOfRange(w, 0, cut), cut, 1),
                Matrix.wrap(java.util.Arrays.copyOfRange(w, cut, c.n()), c.n() - cut, 1)));
        RowInformation device;
        try (LoadedData data = backend.load(rows, weights)) {
            device = backend.rowInformation(data, p);
        }
        assertClose(c + " in parts", p, x, w, RowInformation.onHost(p, x, w), device);
    }

    /** The comparison of the class comment. */
    protected static void assertClose(String what, MixtureParams p, Matrix x, double[] w, RowInformation expected,
                                      RowInformation actual) {
        int size = expected.layout().size();
        assertEquals(size, actual.layout().size(), what + ": P");
        double[] m = scales(p, x, w);
        double total = 0;
        for (int n = 0; n < x.rows(); n++) {
            total += w == null ? 1 : w[n];
        }
        double worst = 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double e = expected.outer()[i * size + j];
                double a = actual.outer()[i * size + j];
                if (j < i) {
                    if (a != 0) {
                        fail(what + ": lower-triangle entry (" + i + "," + j + ") is " + a + ", not 0");
                    }
                    continue;
                }
                double err = Math.abs(a - e) / Math.sqrt(m[i] * m[j]);
                worst = Math.max(worst, err);
                if (!(err <= TOLERANCE)) {
                    fail(what + ": entry (" + i + "," + j + ") " + a + " vs host " + e + ", " + err + " of its scale");
                }
            }
            double err = Math.abs(actual.score()[i] - expected.score()[i]) / Math.sqrt(total * m[i]);
            if (!(err <= TOLERANCE)) {
                fail(what + ": score " + i + " " + actual.score()[i] + " vs host " + expected.score()[i]);
            }
        }
        assertEquals(0, worst, TOLERANCE, what);
    }

    /** m_i = sum_n w_n sum_k r_nk a_nki^2, from the naive log densities and the component scores. */
    private static double[] scales(MixtureParams p, Matrix x, double[] w) {
        ComponentScores scores = new ComponentScores(p);
        int k = p.components();
        int d = p.dimensions();
        double[] logp = NaiveReference.logDensities(p, x);
        double[] m = new double[scores.layout().size()];
        double[] z = new double[d];
        double[] a = new double[scores.maxSupport()];
        for (int n = 0; n < x.rows(); n++) {
            double wn = w == null ? 1 : w[n];
            double lse = LogSumExp.of(logp, n * k, k);
            for (int c = 0; c < k; c++) {
                double[] lambda = scores.precision(c);
                for (int i = 0; i < d; i++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += lambda[i * d + j] * (x.get(n, j) - p.means()[c * d + j]);
                    }
                    z[i] = s;
                }
                scores.score(c, z, 0, a);
                double g = wn * Math.exp(logp[n * k + c] - lse);
                int[] sup = scores.support(c);
                for (int l = 0; l < sup.length; l++) {
                    m[sup[l]] += g * a[l] * a[l];
                }
            }
        }
        return m;
    }
}
