package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.ModelJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code gaussmix sample}: draws rows from a model, with the component each came from. */
@Command(name = "sample", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Draw N rows from MODEL and write them as CSV: columns x0..x{D-1} and component.")
public final class SampleCommand implements Callable<Integer> {
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
        GaussianMixtureModel model = Inputs.model(modelFile, spec.commandLine().getErr());
        GaussianMixtureModel.Sample s = model.sample(n, seed);
        Matrix x = s.x();
        int d = x.cols();
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < d; j++) {
            text.append('x').append(j).append(',');
        }
        text.append("component\n");
        double[] v = x.data();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                text.append(v[r * d + j]).append(',');
            }
            text.append(s.labels()[r]).append('\n');
        }
        Inputs.writeText(output, text.toString());
        return 0;
    }
}
