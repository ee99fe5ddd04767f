package io.gaussmix.backend;

import io.gaussmix.BackendType;

import java.util.function.Consumer;

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

    /**
     * Opens the backend, which reports what its user should know (a streaming plan, a fallback, a
     * failure while freeing) to {@code notes} (what {@link Backends#open} passes on to the fit's
     * {@code FitListener.onNote}); by default {@link #open(BackendOptions)}, for backends with nothing to say.
     */
    default Backend open(BackendOptions options, Consumer<String> notes) {
        return open(options);
    }

    /** Opens the device AUTO should use (e.g. the first GPU rather than device 0); by default {@link #open}. */
    default Backend openForAuto(BackendOptions options, Consumer<String> notes) {
        return open(options, notes);
    }
}
