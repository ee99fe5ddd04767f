package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Mixin
    ModelAndInput args;

    @Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        GaussianMixtureModel model = args.model();
        Matrix x = Inputs.data(args.input);
        double score = requireFiniteScore(model, x, args.input);
        spec.commandLine().getOut().println(Double.toString(score));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * The mean log-likelihood of x, or an error naming the first row whose log-likelihood is not a
     * finite double: such a row would print NaN, and its label or responsibilities mean nothing.
     */
    static double requireFiniteScore(GaussianMixtureModel model, Matrix x, Path input) {
        double score = model.score(x);
        if (!Double.isFinite(score)) {
            throw new CliException(input + ": " + firstNonFinite(model.scoreSamples(x)));
        }
        return score;
    }

    /** Names the first row whose log-likelihood is not a finite double. */
    private static String firstNonFinite(double[] logLik) {
        for (int i = 0; i < logLik.length; i++) {
            if (!Double.isFinite(logLik[i])) {
                return "the log-likelihood of data row " + (i + 1) + " (1-based) is " + logLik[i]
                        + " (too far from every component to be represented in float64)";
            }
        }
        return "the mean log-likelihood is not finite";
    }
}
