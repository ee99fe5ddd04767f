package io.gaussmix.io;

import io.gaussmix.data.Matrix;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads a data file of any supported format, chosen by extension: {@code .npy} (any case) is read by
 * {@link NpyReader}, {@code .npz} archives are refused with a hint, and everything else is read as
 * CSV by {@link CsvReader}.
 */
public final class DataFiles {
    private DataFiles() {
    }

    /** Reads {@code file} as a matrix; errors are {@link DataFileException}s naming the file. */
    public static Matrix read(Path file, MissingValues missing) {
        return readWithHeader(file, missing).matrix();
    }

    /** As {@link #read}, keeping CSV column names (a {@code .npy} file has none: an empty header). */
    public static CsvData readWithHeader(Path file, MissingValues missing) {
        Objects.requireNonNull(file, "file");
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return new CsvData(NpyReader.read(file, missing), List.of());
        }
        if (name.endsWith(".npz")) {
            throw new DataFileException(file + ": .npz archives are not supported;"
                    + " save one array with np.save(\"data.npy\", X)");
        }
        return CsvReader.readWithHeader(file, missing);
    }
}
