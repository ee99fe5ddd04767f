package io.gaussmix.backend.cpu;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One fused pass and the log densities on 1, 2, 3 and 7 threads give the same bits, for every kernel
 * family (plain, Vector API, float32), every covariance type and both statistics layouts (D = 13: per lane
 * with the Vector API; D = 40: row-major): the rows are cut into units of {@link CpuBackend#UNIT} rows
 * whatever the thread count, and N is not a multiple of the unit (a short last unit and block). A worker
 * reuses its kernels and the unit partials from unit to unit, so one thread (one set serving all six units)
 * against seven (mostly a set per unit) also checks that a reused set starts each unit as a new one would.
 */
class ThreadCountIndependenceTest {
    static final int N = 5 * CpuBackend.UNIT + 77;
    static final int[] THREADS = {1, 2, 3, 7};

    enum Kernels { PLAIN, VECTOR, FLOAT32 }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        for (CovarianceType t : CovarianceType.values()) {
            for (Kernels kernels : Kernels.values()) {
                for (int d : new int[] {13, 40}) {
                    if (kernels == Kernels.PLAIN || vectorModule) {
                        out.add(Arguments.of(t, kernels, d));
                    }
                }
            }
        }
        return out.stream();
    }

    static CpuBackend open(Kernels kernels, int threads) {
        return kernels == Kernels.FLOAT32 ? new CpuBackend(threads, Precision.FLOAT32) : new CpuBackend(threads, kernels == Kernels.VECTOR);
    }

    @ParameterizedTest(name = "{0}, {1} kernels, D = {2}")
    @MethodSource("cases")
    void passAndLogDensitiesDoNotDependOnTheThreadCount(CovarianceType type, Kernels kernels, int d) {
        MixtureParams p = SyntheticMixtures.randomParams(type, 3, d, 21, 1.0, 0.5);
        Matrix x = SyntheticMixtures.sample(p, N, 22);
        double[] w = new double[N];
        for (int i = 0; i < N; i++) {
            w[i] = 0.5 + (i % 7) / 3.0;
        }
        SufficientStats first = null;
        double[] firstLogp = null;
        for (int threads : THREADS) {
            try (CpuBackend cpu = open(kernels, threads); LoadedData data = cpu.load(x, w)) {
                SufficientStats s = cpu.accumulate(data, p);
                double[] logp = new double[N * p.components()];
                cpu.logDensities(data, p, logp);
                if (first == null) {
                    first = s;
                    firstLogp = logp;
                    continue;
                }
                String what = threads + " threads vs 1";
                assertEquals(first.logLikelihood, s.logLikelihood, 0.0, what);
                assertEquals(first.totalWeight, s.totalWeight, 0.0, what);
                assertArrayEquals(first.nk, s.nk, what);
                assertArrayEquals(first.sumDiff, s.sumDiff, what);
                assertArrayEquals(first.sumSq, s.sumSq, what);
                assertArrayEquals(firstLogp, logp, what);
            }
        }
    }
}
