package io.gaussmix.io;

import io.gaussmix.data.Matrix;
import java.io.IOException;

/**
 * Receives the blocks of a result written as it is computed ({@link CsvWriter#writeFiniteStreamed},
 * {@link NpyWriter#writeStreamed}), in row order; a block is written before {@code add} returns, so
 * the caller may reuse its array.
 */
@FunctionalInterface
public interface BlockSink {
    /** Appends the rows of {@code block} (of the file's width). */
    void add(Matrix block) throws IOException;
}
