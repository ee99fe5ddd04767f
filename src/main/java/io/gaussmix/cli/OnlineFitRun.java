package io.gaussmix.cli;

import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.InvalidSettingException;
import io.gaussmix.OnlineGaussianMixture;
import io.gaussmix.data.RowSource;
import io.gaussmix.io.ModelJson;
import io.gaussmix.io.NpyRowSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code fit --online}: online EM over the input, {@code --epochs} passes in batches of
 * {@code --batch-size} rows. A {@code .npy} file is read one batch at a time ({@link NpyRowSource},
 * constant memory), and so is a {@code .npy} weights file, in step with it; a CSV file (data or weights)
 * is read whole first (convert it with {@code gaussmix convert} to stream).
 */
final class OnlineFitRun {
    private final FitCommand fit;
    private final CommandLine cl;

    OnlineFitRun(FitCommand fit) {
        this.fit = fit;
        this.cl = fit.spec.commandLine();
    }

    /**
     * The online run when {@code --online} was given (its arguments checked), else null; the online-only
     * options without {@code --online} are refused rather than ignored.
     */
    static OnlineFitRun of(FitCommand fit) {
        if (!fit.online.enabled) {
            CommandLine.ParseResult parsed = fit.spec.commandLine().getParseResult();
            for (String name : new String[] {"--batch-size", "--epochs", "--step-offset", "--step-exponent"}) {
                if (parsed != null && parsed.hasMatchedOption(name)) {
                    throw new CommandLine.ParameterException(fit.spec.commandLine(), name + " needs --online");
                }
            }
            return null;
        }
        CommandLine.ParseResult parsed = fit.spec.commandLine().getParseResult();
        for (String name : new String[] {"--max-iter", "--tol"}) {
            if (parsed != null && parsed.hasMatchedOption(name)) {
                throw new CommandLine.ParameterException(fit.spec.commandLine(), name + " does not apply to --online"
                        + " (online EM takes one step per batch and has no convergence test: use --epochs)");
            }
        }
        OnlineFitRun run = new OnlineFitRun(fit);
        run.checkArguments();
        return run;
    }

    /** Refuses what online EM does not do, before any file is read. */
    private void checkArguments() {
        String other = fit.demo ? "--demo" : fit.bayesian != null ? "--bayesian" : fit.initLabels != null
                ? "--init-labels" : fit.plot != null ? "--plot" : null;
        if (other != null) {
            throw new CommandLine.ParameterException(cl, "--online cannot be combined with " + other);
        }
        if (fit.missing == io.gaussmix.MissingPolicy.EM) {
            throw new CommandLine.ParameterException(cl, "--online needs complete rows: it cannot be combined"
                    + " with --missing em");
        }
        if (fit.online.epochs < 1) {
            throw new CommandLine.ParameterException(cl, "--epochs must be >= 1, got " + fit.online.epochs);
        }
    }

    /** Fits, saves the model and prints a summary; returns the exit code. */
    int run(GaussianMixture estimator, ProgressPrinter progress) {
        OnlineOptions o = fit.online;
        GaussianMixtureModel model;
        long rows;
        int cols;
        try (RowSource source = open(fit.input);
             RowSource weights = fit.weights == null ? null : Inputs.weightSource(fit.weights, source.rows());
             OnlineGaussianMixture online = builder(estimator, o).build()) {
            rows = source.rows();
            cols = source.cols();
            for (int e = 0; e < o.epochs; e++) {
                online.partialFit(source, weights);
            }
            model = online.model();
        }
        progress.finish();
        try {
            ModelJson.write(fit.output, model);
        } catch (IOException e) {
            throw Inputs.cannotWrite(fit.output, e);
        }
        print(fit.spec.commandLine().getOut(), rows, cols, model);
        return 0;
    }

    private OnlineGaussianMixture.Builder builder(GaussianMixture estimator, OnlineOptions o) {
        try {
            return OnlineGaussianMixture.builder(estimator).batchSize(o.batchSize).t0(o.t0).alpha(o.alpha);
        } catch (InvalidSettingException e) {
            String option = switch (e.setting()) {
                case "batchSize" -> "--batch-size";
                case "t0" -> "--step-offset";
                case "alpha" -> "--step-exponent";
                default -> e.setting();
            };
            throw new CommandLine.ParameterException(cl, e.messageNaming(option));
        }
    }

    /** A .npy file streams; anything else is read whole by the usual reader (with its located errors). */
    private static RowSource open(Path input) {
        if (input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            return NpyRowSource.open(input);
        }
        return RowSource.of(Inputs.data(input));
    }

    private void print(PrintWriter out, long rows, int cols, GaussianMixtureModel m) {
        var s = m.summary();
        var p = s.online();
        out.printf(Locale.ROOT, "data:        %s (%d rows x %d columns)%n", fit.input, rows, cols);
        out.printf(Locale.ROOT, "model:       %d components, %s covariance, backend %s%n", m.components(),
                m.covarianceType().id(), s.backend());
        out.printf(Locale.ROOT, "online:      %d batches, %d rows (%d epochs), step (t + %s)^-%s%n", p.batches(),
                p.rows(), fit.online.epochs, p.t0(), p.alpha());
        out.printf(Locale.ROOT, "last batch:  %.10g (mean log-likelihood per sample, before its step)%n",
                s.lowerBound());
        if (!s.interventions().isEmpty()) {
            out.printf(Locale.ROOT, "interventions: %d (see the model file)%n", s.interventions().size());
        }
        out.println("saved:       " + fit.output);
        out.flush();
    }
}
