package io.gaussmix.backend;

import io.gaussmix.data.RowSource;

/**
 * Rows made available to one backend by {@link Backend#load}: host arrays for the CPU, device
 * buffers (or a streaming plan) for the device backends. Close it to free what it holds.
 */
public interface LoadedData extends AutoCloseable {
    /** Number of rows N (may exceed Integer.MAX_VALUE for a streamed source). */
    long rows();

    /** Number of features D. */
    int cols();

    /**
     * The rows as given to {@link Backend#load} (the caller's source, open while this is), for the work a
     * backend leaves to the host ({@link Backend#rowInformation}'s default). Every backend of this library keeps
     * them; the default is for stand-ins that never reach that work.
     */
    default RowSource source() {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no host rows");
    }

    /** The sample weights as given to {@link Backend#load}: a one-column source of N, or null for all ones. */
    default RowSource sampleWeights() {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no host rows");
    }

    @Override
    void close();
}
