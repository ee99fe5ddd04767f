package io.gaussmix.bench.jmh;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Precision;
import io.gaussmix.bench.FlopModel;

/**
 * Checks shared by the JMH states: parameter parsing and the work cap that skips grid points too large
 * to time (the full N x D x K grid reaches 3e13 flops per pass at N=1e6, D=128, K=1024).
 */
final class Grid {
    /** Largest nominal work per pass (or per fit) a trial may have; override with -Dgaussmix.bench.maxFlops. */
    static final double MAX_FLOPS = Double.parseDouble(System.getProperty("gaussmix.bench.maxFlops", "2e11"));

    private Grid() {
    }

    static BackendType backend(String s) {
        return BackendType.parse(s);
    }

    static CovarianceType covariance(String s) {
        return CovarianceType.parse(s);
    }

    static Precision precision(String s) {
        return "default".equalsIgnoreCase(s) ? null : Precision.parse(s);
    }

    /** Throws a one-line explanation when the trial's nominal work exceeds {@link #MAX_FLOPS}. */
    static void checkWork(CovarianceType type, int n, int d, int k, int passes) {
        double f = FlopModel.passFlops(type, n, d, k) * passes;
        if (f > MAX_FLOPS) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                    "skipped: N=%d D=%d K=%d %s needs %.2e nominal flops, over the cap of %.2e "
                            + "(raise it with -jvmArgsAppend -Dgaussmix.bench.maxFlops=...)",
                    n, d, k, type.id(), f, MAX_FLOPS));
        }
    }
}
