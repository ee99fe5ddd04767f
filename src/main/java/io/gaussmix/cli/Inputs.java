package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.io.AtomicFiles;
import io.gaussmix.io.CsvData;
import io.gaussmix.io.CsvReader;
import io.gaussmix.io.DataFiles;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.ModelJson;
import io.gaussmix.io.NpyRowSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Reading the commands' inputs: data matrices, sample weights and the embedded demo data. */
final class Inputs {
    /** Classpath location of the demo data (Fisher's Iris, 150 x 4, a '#' comment line and a header). */
    static final String DEMO_RESOURCE = "/io/gaussmix/demo/iris.csv";

    private Inputs() {
    }

    /**
     * Notes about the inputs (a header line taken as column names, weights renormalised), one line
     * each, printed by {@link Main} after the command succeeds: an error stays one line, and the
     * notes never interleave with progress. Per thread, as each run of {@link Main#run} is.
     */
    private static final ThreadLocal<List<String>> NOTES = ThreadLocal.withInitial(ArrayList::new);

    /** Reads a CSV or .npy data file; missing values are errors; a header line is noted. */
    static Matrix data(Path file) {
        return dataWithHeader(file, MissingValues.REJECT).matrix();
    }

    /** Reads a data file whose missing values (empty cells, NA, NaN) become NaN; a header line is noted. */
    static Matrix dataWithMissing(Path file) {
        return dataWithHeader(file, MissingValues.ALLOW_NAN).matrix();
    }

    /** Reads a data file with its column names, noting that its first line was taken as a header. */
    static CsvData dataWithHeader(Path file, MissingValues missing) {
        CsvData data = DataFiles.readWithHeader(file, missing);
        if (data.hasHeader()) {
            note(file + ": the first line is a header (" + data.header().size() + " column names: "
                    + abbreviated(data.header()) + "), not data");
        }
        return data;
    }

    /** Reads one sample weight per row from a one-column CSV or .npy file. */
    static double[] weights(Path file, long rows) {
        Matrix w = data(file);
        requireWeightShape(file, w.rows(), w.cols(), rows);
        return w.data();
    }

    /**
     * Opens one sample weight per data row as a one-column source: a .npy file (float64 or float32, shape
     * (N,) or (N, 1)) streams, read in windows in step with the rows; a CSV is small enough to read whole
     * ({@link #weights}). The count and the shape are checked now, from the header, before any work.
     */
    static RowSource weightSource(Path file, long rows) {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            return RowSource.ofColumn(weights(file, rows));
        }
        NpyRowSource source = NpyRowSource.open(file);
        try {
            requireWeightShape(file, source.rows(), source.cols(), rows);
        } catch (CliException e) {
            source.close();
            throw e;
        }
        return source;
    }

    private static void requireWeightShape(Path file, long count, int cols, long rows) {
        if (cols != 1) {
            throw new CliException(file + ": a weights file must have one column, got " + cols);
        }
        if (count != rows) {
            throw new CliException(file + ": " + count + " weights for " + rows + " data rows");
        }
    }

    /** Reads a model file, noting what was accepted but changed (weights renormalised). */
    static GaussianMixtureModel model(Path file) {
        return ModelJson.read(file, Inputs::note);
    }

    /** Records a note for {@link #takeNotes}. */
    static void note(String message) {
        NOTES.get().add(message);
    }

    /** The notes recorded on this thread since the last call, which forgets them. */
    static List<String> takeNotes() {
        List<String> notes = List.copyOf(NOTES.get());
        NOTES.remove();
        return notes;
    }

    private static String abbreviated(List<String> names) {
        int shown = Math.min(names.size(), 5);
        return String.join(", ", names.subList(0, shown)) + (names.size() > shown ? ", ..." : "");
    }

    /** The embedded Iris data with its column names. */
    static CsvData demo() {
        try (InputStream in = Inputs.class.getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new CliException("the demo data " + DEMO_RESOURCE + " is missing from this build");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> lines = text.lines().filter(l -> !l.startsWith("#")).collect(Collectors.toList());
            Path tmp = Files.createTempFile("gaussmix-demo", ".csv");
            try {
                Files.write(tmp, lines, StandardCharsets.UTF_8);
                return CsvReader.readWithHeader(tmp, MissingValues.REJECT);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes text atomically, reporting a failure as a one-line error naming the file. */
    static void writeText(Path target, String text) {
        try {
            AtomicFiles.writeText(target, w -> w.write(text));
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
    }

    /** The error for a failed write of {@code target}. */
    static CliException cannotWrite(Path target, IOException e) {
        return cannotWrite(target.toString(), e);
    }

    /** The error for a failed write of {@code what} (a path, or an option and its path). */
    static CliException cannotWrite(String what, IOException e) {
        String why;
        if (e instanceof FileSystemException f) {
            why = f.getReason() != null ? f.getReason()
                    : e instanceof NoSuchFileException ? "no such directory"
                    : e instanceof AccessDeniedException ? "permission denied" : e.getClass().getSimpleName();
            if (f.getReason() != null && f.getFile() != null) {
                why += " (" + f.getFile() + ")";
            }
        } else {
            why = String.valueOf(e.getMessage());
        }
        return new CliException("cannot write " + what + ": " + why, e);
    }
}
