package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.io.CsvWriter;
import io.gaussmix.io.Memory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code gaussmix sample}: draws rows from a model, with the component each came from. */
@Command(name = "sample", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Draw N rows from MODEL and write them as CSV: columns x0..x{D-1} and component.")
public final class SampleCommand implements Callable<Integer> {
    /** The most values one array (the sample) can hold. */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.json", description = "A model saved by 'gaussmix fit'.")
    Path modelFile;

    @Option(names = {"-n", "--samples"}, paramLabel = "N", required = true, description = "Number of rows to draw.")
    int n;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.csv", required = true, description = "Output CSV file.")
    Path output;

    @Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        if (n < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-n must be >= 1, got " + n);
        }
        new FileArguments(spec.commandLine()).input("MODEL.json", modelFile).output("-o", output).check();
        GaussianMixtureModel model = Inputs.model(modelFile);
        int d = model.dimensions();
        long values = (long) n * d;
        if (values > MAX_VALUES) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                    "-n %d x %d columns = %.2g values exceeds the %d one sample can hold: draw at most %d rows"
                            + " per run (a different --seed for each run)", n, d, (double) values, MAX_VALUES, MAX_VALUES / d));
        }
        Memory.require(values * Double.BYTES + (long) n * Integer.BYTES,
                "sample -n " + n + " (" + n + " rows x " + d + " columns)");
        GaussianMixtureModel.Sample s = model.sample(n, seed);
        List<String> header = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            header.add("x" + j);
        }
        header.add("component");
        try {
            CsvWriter.writeFiniteWithLabels(output, s.x(), s.labels(), header);
        } catch (IOException e) {
            throw Inputs.cannotWrite(output, e);
        }
        return 0;
    }
}
