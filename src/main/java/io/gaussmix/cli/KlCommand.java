package io.gaussmix.cli;

import io.gaussmix.Divergence;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.io.ModelJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code gaussmix kl}: the Kullback-Leibler divergence KL(A || B) between two saved models. */
@Command(name = "kl", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Print the Kullback-Leibler divergence KL(A || B) = E_A[log A(x) - log B(x)] in nats.",
                "Exact when both models have one component; otherwise a Monte Carlo estimate from draws of A,",
                "with its standard error, and Hershey and Olsen's variational approximation.",
                "The last line of stdout is the estimate alone, with full precision."})
public final class KlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A.json", description = "The model the expectation is under.")
    Path first;

    @Parameters(index = "1", paramLabel = "B.json", description = "The model compared with it.")
    Path second;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "" + Divergence.DEFAULT_SAMPLES,
            description = "Monte Carlo draws from A (default: ${DEFAULT-VALUE}; unused for two single Gaussians).")
    int samples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the draws: the same seed gives the same estimate (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        if (samples < 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--samples must be >= 2, got " + samples);
        }
        GaussianMixtureModel a = ModelJson.read(first);
        GaussianMixtureModel b = ModelJson.read(second);
        if (a.dimensions() != b.dimensions()) {
            throw new CliException(first + " has " + a.dimensions() + " dimensions but " + second + " has "
                    + b.dimensions() + ": KL needs models of the same dimension");
        }
        Divergence.Estimate e = Divergence.kl(a, b, samples, seed);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "KL(%s || %s)%n", first, second);
        if (e.method() == Divergence.Method.CLOSED_FORM) {
            out.println("method:         closed form (both models are single Gaussians)");
        } else {
            out.printf(Locale.ROOT, "method:         Monte Carlo, %d draws from %s, seed %d%n", e.samples(), first, seed);
            out.printf(Locale.ROOT, "standard error: %.6g%n", e.standardError());
            out.printf(Locale.ROOT, "variational:    %.10g (Hershey & Olsen 2007 approximation)%n",
                    Divergence.variational(a, b));
        }
        out.println(Double.toString(e.value()));
        out.flush();
        return 0;
    }
}
