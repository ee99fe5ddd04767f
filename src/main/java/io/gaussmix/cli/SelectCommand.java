package io.gaussmix.cli;

import io.gaussmix.CovarianceType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.ModelSelection;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.ModelJson;
import io.gaussmix.plot.SelectionPlot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code gaussmix select}: fits a range of k (and covariance types) and ranks them by BIC, AIC or ICL. */
@Command(name = "select", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Fit every k in --k-range for every covariance type and print a table of BIC, AIC, ICL",
                "(BIC + 2 x the entropy of the responsibilities), score (mean log-likelihood per sample),",
                "parameter count and convergence; '*' marks the best."})
public final class SelectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "Data file (.csv or .npy).")
    Path input;

    @Option(names = "--k-range", paramLabel = "MIN..MAX", required = true,
            description = "Component counts to try, e.g. 1..8 (or a single k).")
    String kRange;

    @Option(names = "--covariance-types", paramLabel = "TYPES", split = ",", defaultValue = "full,tied,diag,spherical",
            description = "Comma-separated covariance types (default: ${DEFAULT-VALUE}).")
    List<CovarianceType> types;

    @Option(names = "--criterion", paramLabel = "bic|aic|icl", defaultValue = "bic",
            description = "What picks the best model, lower is better (default: ${DEFAULT-VALUE}).")
    ModelSelection.Criterion criterion;

    @Mixin
    EmOptions em;

    @Mixin
    BackendMixin backend;

    @Option(names = {"-o", "--output"}, paramLabel = "BEST.json", description = "Save the best model here.")
    Path output;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw BIC and AIC against k.")
    Path plot;

    @Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        int[] range = parseRange(kRange);
        new FileArguments(cl).input("INPUT", input).output("-o", output).output("--plot", plot).check();
        GaussianMixture template;
        try {
            template = backend.apply(em.apply(GaussianMixture.builder()), cl).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, CliTerms.of(e));
        }
        Matrix x = Inputs.data(input);
        ModelSelection.Result result = ModelSelection.select(x, template, range[0], range[1], List.copyOf(types),
                criterion);
        printTable(cl.getOut(), result);
        if (output != null) {
            try {
                ModelJson.write(output, result.best().model());
            } catch (IOException e) {
                throw Inputs.cannotWrite(output, e);
            }
        }
        if (plot != null) {
            SelectionPlot.write(plot, result);
        }
        return 0;
    }

    /** Parses "MIN..MAX" or "K" into {min, max}. */
    private int[] parseRange(String s) {
        CommandLine cl = spec.commandLine();
        String t = s.trim();
        int dots = t.indexOf("..");
        try {
            int lo = Integer.parseInt((dots < 0 ? t : t.substring(0, dots)).trim());
            int hi = dots < 0 ? lo : Integer.parseInt(t.substring(dots + 2).trim());
            if (lo < 1 || hi < lo) {
                throw new CommandLine.ParameterException(cl, "--k-range must satisfy 1 <= MIN <= MAX, got " + s);
            }
            return new int[] {lo, hi};
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(cl, "--k-range must look like 1..8, got '" + s + "'");
        }
    }

    private static void printTable(PrintWriter out, ModelSelection.Result r) {
        out.printf(Locale.ROOT, "  %3s  %-9s  %16s  %16s  %16s  %14s  %7s  %-9s%n", "k", "type", "BIC", "AIC", "ICL",
                "score", "params", "converged");
        for (ModelSelection.Candidate c : r.candidates()) {
            out.printf(Locale.ROOT, "%s %3d  %-9s  %16.4f  %16.4f  %16.4f  %14.6f  %7d  %-9s%n",
                    c == r.best() ? "*" : " ", c.k(), c.covarianceType().id(), c.bic(), c.aic(), c.icl(), c.score(),
                    c.parameterCount(), c.converged() ? "yes" : "no");
        }
        ModelSelection.Candidate b = r.best();
        out.printf(Locale.ROOT, "best by %s: k = %d, %s%n", r.criterion().name(), b.k(), b.covarianceType().id());
        out.flush();
    }
}
