package io.gaussmix.bench.jmh.peers;

import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;

/**
 * One GMM implementation in the comparison. {@link #load} converts the rows into the peer's own
 * representation (not timed); {@link #fit} runs exactly {@code iterations} EM iterations of a
 * full-covariance float64 mixture from {@code start} (a fresh copy every call) and returns the final
 * parameters in the engine's form, so gaussmix's scorer can evaluate them.
 */
interface Peer extends AutoCloseable {
    /** Display name, e.g. "Smile". */
    String name();

    /** The library version actually on the class path. */
    String version();

    void load(Matrix x);

    MixtureParams fit(MixtureParams start, int iterations);

    /** A remark for the results table (deviations from the common protocol), or "". */
    default String note() {
        return "";
    }

    /** Iterations the last fit actually ran, or -1 when the peer does not say (then assumed as asked). */
    default int iterationsRun() {
        return -1;
    }

    /**
     * Whether an untimed fit on all rows, as long as the timed long fit, should precede the timed ones.
     * Spark's first job on a freshly cached data set carries one-time costs that would otherwise land
     * in the short fit only and make the differenced s/iter too small (even negative at small N);
     * gaussmix's JIT-compiled full-size kernels would land in the timed fits and make it too large.
     */
    default boolean warmUpOnAllRows() {
        return false;
    }

    @Override
    default void close() {
    }

    /** A version from the jar manifest, or the fallback (the version the pom asks for). */
    static String manifestVersion(Class<?> c, String fallback) {
        Package p = c.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null || v.isBlank() ? fallback : v;
    }
}
