package io.gaussmix.cli;

import io.gaussmix.BayesianFit;
import io.gaussmix.BayesianPriors;
import io.gaussmix.CovarianceType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.GaussianMixtureModel.InformationCriteria;
import io.gaussmix.MissingPolicy;
import io.gaussmix.StandardErrors;
import io.gaussmix.WeightPrior;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.io.CsvData;
import io.gaussmix.io.DataFileException;
import io.gaussmix.io.ModelJson;
import io.gaussmix.io.NotEnoughMemoryException;
import io.gaussmix.plot.FitPlot;
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

/** {@code gaussmix fit}: fits a mixture to a data file (or the embedded Iris data) and saves it as JSON. */
@Command(name = "fit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Fit a Gaussian mixture by EM and save it as JSON.",
                "INPUT is a CSV file (an optional header line is skipped) or a NumPy .npy file of N rows x D columns.",
                "Progress goes to stderr; a short summary to stdout."})
public final class FitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "INPUT", description = "Data file (.csv or .npy).")
    Path input;

    @Option(names = "--demo", description = "Fit the embedded Iris data (150 x 4; default k 3, full) and print a summary.")
    boolean demo;

    @Option(names = {"-k", "--components"}, paramLabel = "K",
            description = "Number of components (may be omitted with --init-model).")
    Integer k;

    @Option(names = "--covariance-type", paramLabel = "full|tied|diag|spherical",
            description = "Covariance structure (default: full, or that of --init-model).")
    CovarianceType covarianceType;

    @Option(names = "--init-model", paramLabel = "MODEL.json", description = "Start EM from this model's parameters.")
    Path initModel;

    @Option(names = "--init-labels", paramLabel = "FILE",
            description = {"Start from these labels: a one-column CSV/.npy of one integer in 0..K-1 per row; the "
                    + "start is the M-step of that assignment (as scikit-learn's from one-hot responsibilities)."})
    Path initLabels;

    @Option(names = "--bayesian", paramLabel = "dirichlet-process|dirichlet-distribution",
            description = {"Fit scikit-learn's variational Bayesian mixture with this weight prior and its default "
                    + "priors; -k is then an upper bound (a Dirichlet process switches unneeded components off)."})
    WeightPrior bayesian;

    @Option(names = "--weights", paramLabel = "FILE", description = {"One-column CSV/.npy of N non-negative sample "
            + "weights; a .npy (shape (N,) or (N, 1)) streams with a streamed INPUT and with --online."})
    Path weights;

    @Mixin
    EmOptions em;

    @Mixin
    BackendMixin backend;

    @Option(names = "--missing", paramLabel = "reject|em", defaultValue = "reject",
            description = {"Missing values (empty cells, NA, NaN): reject (default: an error naming the row and "
                    + "column) or em (fit by EM for incomplete data on the observed values)."})
    MissingPolicy missing;

    @Option(names = "--init-sample", paramLabel = "N", defaultValue = "" + GaussianMixture.DEFAULT_INIT_SAMPLE,
            description = {"The most rows the initialiser sees (default: ${DEFAULT-VALUE}): all rows up to N, a "
                    + "uniform sample of N reproducible from --seed above; EM always runs on all rows."})
    int initSample;

    @Option(names = "--quiet", description = "No progress on stderr (warnings are still printed).")
    boolean quiet;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "Draw the data with each component's 1- and 2-sigma ellipses (and FILE-lowerbound.png).")
    Path plot;

    @Option(names = "--plot-columns", paramLabel = "I,J", split = ",",
            description = "The two 0-based columns to plot (default: the first two principal components).")
    int[] plotColumns;

    @Option(names = {"-o", "--output"}, paramLabel = "MODEL.json", description = "Where to save the model (required unless --demo).")
    Path output;

    @Mixin
    StandardErrorsOption standardErrors;

    @Mixin
    DebugOption debug;

    @Mixin
    OnlineOptions online;

    @Override
    public Integer call() throws IOException {
        checkArguments();
        OnlineFitRun onlineRun = OnlineFitRun.of(this);
        new FileArguments(spec.commandLine()).input("INPUT", input).input("--init-model", initModel)
                .input("--init-labels", initLabels)
                .input("--weights", weights).output("-o", output).output("--plot", plot)
                .output("--plot (its lower-bound chart)", plot == null ? null : FitPlot.lowerBoundFile(plot)).check();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GaussianMixtureModel start = initModel == null ? null : Inputs.model(initModel);
        ProgressPrinter progress = new ProgressPrinter(err, quiet);
        GaussianMixture estimator = estimator(start, progress);
        if (onlineRun != null) {
            return onlineRun.run(estimator, progress);
        }

        try (FitInput in = input();
             RowSource streamedWeights = in.streamed() && weights != null
                     ? Inputs.weightSource(weights, in.rows()) : null) {
            Matrix x = in.matrix();
            double[] w = weights == null || in.streamed() ? null : Inputs.weights(weights, in.rows());
            if (initLabels != null) {
                estimator = estimator.toBuilder().initLabels(LabelsFile.read(initLabels, x.rows())).build();
            }
            if (plotColumns != null) {
                FitPlot.checkColumns(plotColumns, x.cols());
            }

            BayesianFit bayes = bayesian == null ? null
                    : estimator.fitBayesian(x, w, BayesianPriors.defaults(bayesian));
            GaussianMixtureModel model = bayes != null ? bayes.model()
                    : in.streamed() ? estimator.fit(in.stream(), streamedWeights) : estimator.fit(x, w);
            progress.finish();
            StandardErrors se = standardErrors.compute(model, x, w, backend);
            // Before the model is written: the pass gets both cores, the write then shares one with
            // the compiling of the JSON writer (measured: the pass took 0.235 s after the write, 0.15 s alone).
            InformationCriteria criteria = informationCriteria(in, model);
            if (output != null) {
                try {
                    if (se != null) {
                        ModelJson.write(output, model, se);
                    } else if (bayes == null) {
                        ModelJson.write(output, model);
                    } else {
                        ModelJson.write(output, bayes);
                    }
                } catch (IOException e) {
                    throw Inputs.cannotWrite(output, e);
                }
            }
            if (plot != null) {
                // Rows with missing values are drawn at their imputed positions.
                Matrix shown = x.firstNonFinite() == null ? x : model.impute(x);
                Path second = FitPlot.write(plot, shown, model, plotColumns, in.header());
                if (!quiet) {
                    err.println("gaussmix: wrote " + plot + " and " + second);
                }
            }
            printSummary(out, in, model, bayes, se, criteria);
        }
        return 0;
    }

    /**
     * BIC and AIC from one scoring pass (a streamed file: one more pass over it), or null when the rows
     * hold missing values (only --missing em reads them: other rows are known complete without a look).
     */
    private InformationCriteria informationCriteria(FitInput in, GaussianMixtureModel m) {
        Matrix x = in.matrix();
        if (x == null) {
            return m.informationCriteria(in.stream());
        }
        return !missingEm() || x.firstNonFinite() == null ? m.informationCriteria(x) : null;
    }

    /**
     * The rows to fit: a .npy file streams when its float64 copy would not fit easily in the heap, unless
     * a feature that needs the rows in memory is asked for (missing-data EM, the variational fit, a start
     * from labels, a plot, standard errors), which reads it whole or says in one line how much memory that needs. A CSV is
     * read whole: a parse costs far more than a mapped .npy window on every pass, so a CSV too big for the
     * heap is refused with the advice to convert it once.
     */
    private FitInput input() {
        if (demo) {
            CsvData d = Inputs.demo();
            return FitInput.resident(d.matrix(), d.header(), "Iris (embedded demo data)");
        }
        boolean needsMemory = missingEm() || bayesian != null || initLabels != null || plot != null
                || standardErrors.wanted;
        if (!needsMemory && input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            return FitInput.npy(input);
        }
        try {
            return FitInput.resident(missingEm() ? Inputs.dataWithMissing(input) : dataWithoutMissing(), List.of(),
                    input.toString());
        } catch (NotEnoughMemoryException e) {
            if (input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
                throw new CliException(e.getMessage() + "; " + memoryFeature() + " needs the rows in memory"
                        + " (without it, fit streams a .npy file)", e);
            }
            throw new CliException(e.getMessage() + "; or convert it once (gaussmix convert " + input + " "
                    + "DATA.npy --float32) and fit the .npy file, which streams", e);
        }
    }

    private void checkArguments() {
        CommandLine cl = spec.commandLine();
        if (demo && input != null) {
            throw new CommandLine.ParameterException(cl, "give either INPUT or --demo, not both");
        }
        if (!demo && input == null) {
            throw new CommandLine.ParameterException(cl, "missing INPUT (a .csv or .npy data file), or use --demo");
        }
        if (!demo && output == null) {
            throw new CommandLine.ParameterException(cl, "missing -o MODEL.json (where to save the fitted model)");
        }
        if (plotColumns != null && plotColumns.length != 2) {
            throw new CommandLine.ParameterException(cl, "--plot-columns needs two column indices I,J, got "
                    + plotColumns.length);
        }
        if (initLabels != null && initModel != null) {
            throw new CommandLine.ParameterException(cl, "give either --init-labels or --init-model, not both");
        }
        standardErrors.check(cl, bayesian != null);
        if (demo && weights != null) {
            throw new CommandLine.ParameterException(cl, "--weights cannot be used with --demo");
        }
    }

    /**
     * The data, where a missing value is an error that points to --missing em. The reader's error is
     * about a missing value exactly when the file reads once missing values are allowed: that second
     * read, on the error path only, tells it without looking into the message.
     */
    private Matrix dataWithoutMissing() {
        try {
            return Inputs.data(input);
        } catch (DataFileException e) {
            try {
                Inputs.dataWithMissing(input);
            } catch (RuntimeException other) {
                throw e;
            }
            throw new CliException(e.getMessage() + "; to fit data with missing values use --missing em", e);
        }
    }

    /** The option that makes this fit need its rows in memory. */
    private String memoryFeature() {
        return missingEm() ? "--missing em" : bayesian != null ? "--bayesian" : initLabels != null ? "--init-labels"
                : plot != null ? "--plot" : "--standard-errors";
    }

    private boolean missingEm() {
        return missing == MissingPolicy.EM;
    }

    private GaussianMixture estimator(GaussianMixtureModel start, ProgressPrinter progress) {
        CommandLine cl = spec.commandLine();
        int components;
        CovarianceType type;
        if (start != null) {
            if (k != null && k != start.components()) {
                throw new CommandLine.ParameterException(cl, "-k " + k + " does not match the " + start.components()
                        + " components of " + initModel);
            }
            if (covarianceType != null && covarianceType != start.covarianceType()) {
                throw new CommandLine.ParameterException(cl, "--covariance-type " + covarianceType.id()
                        + " does not match the " + start.covarianceType().id() + " covariances of " + initModel);
            }
            components = start.components();
            type = start.covarianceType();
        } else {
            if (k == null && !demo) {
                throw new CommandLine.ParameterException(cl, "missing -k K (the number of components)");
            }
            components = k == null ? 3 : k;
            type = covarianceType == null ? CovarianceType.FULL : covarianceType;
        }
        try {
            GaussianMixture.Builder b = em.apply(GaussianMixture.builder().k(components).covarianceType(type))
                    .listener(progress)
                    .missing(missing)
                    .initSample(initSample);
            if (start != null) {
                b.initialModel(start);
            }
            return backend.apply(b, cl).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, CliTerms.of(e));
        }
    }

    private void printSummary(PrintWriter out, FitInput in, GaussianMixtureModel m, BayesianFit bayes,
                              StandardErrors se, InformationCriteria criteria) {
        var s = m.summary();
        List<String> header = in.header();
        out.printf(Locale.ROOT, "data:        %s (%d rows x %d columns)%n", in.name(), in.rows(), in.cols());
        out.printf(Locale.ROOT, "memory:      %s%n", in.memoryPlan(initSample, weights != null));
        out.printf(Locale.ROOT, "model:       %d components, %s covariance, backend %s%n", m.components(),
                m.covarianceType().id(), s.backend());
        out.printf(Locale.ROOT, "converged:   %s after %d iterations%n", s.converged() ? "yes" : "no", s.iterations());
        if (Double.isNaN(s.lowerBound())) {
            out.println("lower bound: not computed (no EM step ran: --max-iter 0 returns the start)");
        } else if (bayes == null) {
            out.printf(Locale.ROOT, "lower bound: %.10g (mean log-likelihood per sample)%n", s.lowerBound());
        } else {
            out.printf(Locale.ROOT, "lower bound: %.10g (variational, a total over the rows, as scikit-learn's)%n",
                    s.lowerBound());
            out.printf(Locale.ROOT, "bayesian:    %s prior; %d effective components (weight >= %s)%n",
                    bayes.weightPrior().id(), bayes.effectiveComponents(), BayesianFit.EFFECTIVE_WEIGHT);
        }
        if (criteria != null) {
            out.printf(Locale.ROOT, "BIC:         %.6f   AIC: %.6f   (%d parameters)%n", criteria.bic(),
                    criteria.aic(), m.parameterCount());
        } else {
            out.printf(Locale.ROOT, "parameters:  %d (BIC/AIC need complete rows: the data has missing values)%n",
                    m.parameterCount());
        }
        if (s.rowsAllMissing() > 0) {
            out.printf(Locale.ROOT, "rows with every value missing (left out): %d%n", s.rowsAllMissing());
        }
        if (!s.interventions().isEmpty()) {
            out.printf(Locale.ROOT, "interventions: %d (see the model file)%n", s.interventions().size());
        }
        ComponentTable.print(out, "", m.weights(), m.means(), header);
        StandardErrorsOption.print(out, se, header);
        if (output != null) {
            out.println("saved:       " + output);
        }
        out.flush();
    }
}
