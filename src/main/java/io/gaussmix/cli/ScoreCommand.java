package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.ModelJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code gaussmix score}: prints the mean log-likelihood per sample of a data file under a model. */
@Command(name = "score", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Print the mean log-likelihood per sample of INPUT under MODEL.",
                "The last line of stdout is that number alone, with full precision."})
public final class ScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.json", description = "A model saved by 'gaussmix fit'.")
    Path modelFile;

    @Parameters(index = "1", paramLabel = "INPUT", description = "Data file (.csv or .npy) with the model's D columns.")
    Path input;

    @Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        GaussianMixtureModel model = ModelJson.read(modelFile);
        Matrix x = Inputs.data(input);
        double score = model.score(x);
        spec.commandLine().getOut().println(Double.toString(score));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
