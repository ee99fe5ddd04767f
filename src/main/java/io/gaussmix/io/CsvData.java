package io.gaussmix.io;

import io.gaussmix.data.Matrix;
import java.util.List;
import java.util.Objects;

/**
 * A matrix read from a data file together with its column names.
 *
 * @param matrix the values, one row per data line
 * @param header the column names from the header line, or an empty list when the file had none
 *               (never null; when present it has exactly {@code matrix.cols()} names)
 */
public record CsvData(Matrix matrix, List<String> header) {
    /** Copies the header into an unmodifiable list and checks it matches the column count. */
    public CsvData {
        Objects.requireNonNull(matrix, "matrix");
        header = List.copyOf(header);
        if (!header.isEmpty() && header.size() != matrix.cols()) {
            throw new IllegalArgumentException(
                    header.size() + " column names for a matrix with " + matrix.cols() + " columns");
        }
    }

    /** Whether the file had a header line. */
    public boolean hasHeader() {
        return !header.isEmpty();
    }
}
