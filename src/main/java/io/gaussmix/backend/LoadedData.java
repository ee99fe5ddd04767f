package io.gaussmix.backend;

/**
 * Rows made available to one backend by {@link Backend#load}: host arrays for the CPU, device
 * buffers (or a streaming plan) for the device backends. Close it to free what it holds.
 */
public interface LoadedData extends AutoCloseable {
    /** Number of rows N (may exceed Integer.MAX_VALUE for a streamed source). */
    long rows();

    /** Number of features D. */
    int cols();

    @Override
    void close();
}
