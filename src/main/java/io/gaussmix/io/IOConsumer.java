package io.gaussmix.io;

import java.io.IOException;

/**
 * A consumer that may throw {@link IOException}: the body of an {@link AtomicFiles} write.
 *
 * @param <T> what it consumes (an output stream or a writer)
 */
@FunctionalInterface
public interface IOConsumer<T> {
    /** Consumes {@code value}, e.g. writes the file's content to it. */
    void accept(T value) throws IOException;
}
