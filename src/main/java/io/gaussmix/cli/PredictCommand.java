package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.CsvWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;

/** {@code gaussmix predict}: writes each row's most probable component, or all responsibilities. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Write the most probable component of each row of INPUT (one label per line),",
                "or with --proba the N x K responsibilities under a header p0,p1,..."})
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelAndInput args;

    @Option(names = "--proba", description = "Write the responsibilities instead of labels.")
    boolean proba;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.csv", required = true, description = "Output CSV file.")
    Path output;

    @Mixin
    DebugOption debug;

    /** Rows per block of responsibilities when N x K is too large for one array. */
    private static final int BLOCK_ROWS = 1 << 16;

    @Override
    public Integer call() {
        args.files(spec.commandLine()).output("-o", output).check();
        GaussianMixtureModel model = args.model();
        Matrix x = Inputs.data(args.input);
        try {
            if (proba) {
                List<String> header = new ArrayList<>();
                for (int c = 0; c < model.components(); c++) {
                    header.add("p" + c);
                }
                CsvWriter.writeFinite(output, header, responsibilities(model, x));
            } else {
                // A row with no finite log-likelihood would get an arbitrary label; one more pass costs less than reading x.
                ScoreCommand.requireFiniteScore(model, x, args.input);
                CsvWriter.writeLabels(output, model.predict(x), null);
            }
        } catch (IOException e) {
            throw Inputs.cannotWrite(output, e);
        }
        return 0;
    }

    /**
     * The N x K responsibilities as one block when they fit in an array, else computed and written
     * BLOCK_ROWS rows at a time (N x K may exceed 2^31 even when N x D does not).
     */
    private static Iterator<Matrix> responsibilities(GaussianMixtureModel model, Matrix x) {
        if ((long) x.rows() * model.components() <= Integer.MAX_VALUE - 8) {
            return List.of(model.predictProba(x)).iterator();
        }
        // Checks every row first, so that an error names its row in the file, not in a block.
        model.scoreSamples(x);
        int d = x.cols();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < x.rows();
            }

            @Override
            public Matrix next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int end = (int) Math.min(x.rows(), (long) next + BLOCK_ROWS);
                Matrix rows = Matrix.wrap(Arrays.copyOfRange(x.data(), next * d, end * d), end - next, d);
                next = end;
                return model.predictProba(rows);
            }
        };
    }
}
