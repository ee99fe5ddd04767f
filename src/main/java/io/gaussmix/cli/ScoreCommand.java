package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code gaussmix score}: prints the mean log-likelihood per sample of a data file under a model. */
@Command(name = "score", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Print the mean log-likelihood per sample of INPUT under MODEL.",
                "The last line of stdout is that number alone, with full precision."})
public final class ScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelAndInput args;

    @Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        GaussianMixtureModel model = args.model();
        Matrix x = Inputs.data(args.input, args.err());
        double score = model.score(x);
        spec.commandLine().getOut().println(Double.toString(score));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
