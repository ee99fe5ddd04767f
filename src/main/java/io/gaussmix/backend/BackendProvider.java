package io.gaussmix.backend;

import io.gaussmix.BackendType;

/**
 * Knows whether one kind of backend can run here and opens it. Implementations must not touch
 * native bindings (JOCL, JCuda) before {@link #availability()} is called, and that call never throws.
 */
public interface BackendProvider {
    BackendType type();

    /** Probes once (cached) whether this backend can run, catching every native-loading failure. */
    Availability availability();

    /** Opens the backend; throws {@link BackendUnavailableException} with the reason if it cannot. */
    Backend open(BackendOptions options);

    /** Opens the device AUTO should use (e.g. the first GPU rather than device 0); by default {@link #open}. */
    default Backend openForAuto(BackendOptions options) {
        return open(options);
    }
}
