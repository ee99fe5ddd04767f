package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.io.MissingValues;
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
        double score;
        try (ModelAndInput.Input in = args.open(MissingValues.REJECT)) {
            score = model.score(in.rows());
            if (!Double.isFinite(score)) {
                // Rare, so found by a second pass rather than by checking every row of the first.
                model.scoreBlocks(in.rows(), false, block -> requireFiniteRows(block, args.input));
                throw new CliException(args.input + ": the mean log-likelihood is not finite");
            }
        }
        spec.commandLine().getOut().println(Double.toString(score));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * Fails naming the first row of the block whose log-likelihood is not a finite double: such a row
     * would print NaN, and its label or responsibilities mean nothing.
     */
    static void requireFiniteRows(GaussianMixtureModel.ScoredRows block, Path input) {
        double[] logLik = block.logLikelihood();
        for (int i = 0; i < logLik.length; i++) {
            if (!Double.isFinite(logLik[i])) {
                throw new CliException(input + ": the log-likelihood of data row " + (block.firstRow() + i + 1)
                        + " (1-based) is " + logLik[i] + " (too far from every component to be represented in float64)");
            }
        }
    }
}
