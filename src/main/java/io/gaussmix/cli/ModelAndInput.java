package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.RowSource;
import io.gaussmix.io.CsvData;
import io.gaussmix.io.Memory;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.NotEnoughMemoryException;
import io.gaussmix.io.NpyRowSource;
import picocli.CommandLine;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;

/** The {@code MODEL.json INPUT} positionals of the commands that apply a saved model to data. */
public final class ModelAndInput {
    @Parameters(index = "0", paramLabel = "MODEL.json", description = "A model saved by 'gaussmix fit'.")
    Path modelFile;

    @Parameters(index = "1", paramLabel = "INPUT", description = {"Data file (.csv or .npy) with the model's D columns.",
            "A .npy file is streamed (constant memory, any size); a CSV is read into memory."})
    Path input;

    /** The input's rows and, for a CSV with a header line, its column names (else empty). */
    record Input(RowSource rows, List<String> header) implements AutoCloseable {
        @Override
        public void close() {
            rows.close();
        }
    }

    /** The two inputs, for the output checks of {@link FileArguments}. */
    FileArguments files(CommandLine cl) {
        return new FileArguments(cl).input("MODEL.json", modelFile).input("INPUT", input);
    }

    /** The model, read and checked. */
    GaussianMixtureModel model() {
        return Inputs.model(modelFile);
    }

    /**
     * The input's rows: a {@code .npy} file read in windows as the command goes (its header checked now);
     * a CSV parsed whole into memory first (a CSV has no row count to stream against, and converting it
     * once costs the same parse: README "Large files"), refused when too large for the heap with the
     * way to stream it instead.
     *
     * @param missing whether NaN (a missing value) is read as such ({@code impute}) or is an error
     */
    Input open(MissingValues missing) {
        if (StreamedOutput.isNpy(input)) {
            NpyRowSource rows = NpyRowSource.open(input, missing);
            if (rows.rows() == 0) {
                rows.close();
                throw new CliException(input + ": no data rows (shape (0, " + rows.cols() + "))");
            }
            return new Input(rows, List.of());
        }
        try {
            CsvData data = Inputs.dataWithHeader(input, missing);
            return new Input(RowSource.of(data.matrix()), data.header());
        } catch (NotEnoughMemoryException e) {
            throw new CliException(e.getMessage() + convertHint(), e);
        } catch (OutOfMemoryError e) {
            // The parser's estimate of the rows to come can fall short; the partial matrix is garbage now.
            throw new CliException(input + ": reading this CSV needs more memory than the JVM's heap of "
                    + Memory.text(Runtime.getRuntime().maxMemory()) + "; run java with a larger -Xmx" + convertHint(), e);
        }
    }

    private String convertHint() {
        return "; or convert it once with 'gaussmix convert " + input + " " + npyName()
                + "' and give the .npy file, which is streamed with constant memory";
    }

    private String npyName() {
        String name = input.toString();
        int dot = name.lastIndexOf('.');
        return (dot > name.lastIndexOf('/') ? name.substring(0, dot) : name) + ".npy";
    }
}
