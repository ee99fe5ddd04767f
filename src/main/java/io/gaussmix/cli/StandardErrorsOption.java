package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.StandardErrors;
import io.gaussmix.data.Matrix;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@code fit --standard-errors}: the model's standard errors from the observed information on the fitted
 * rows, written to the model JSON as {@code standardErrors} and shown as a short table in the summary. The
 * passes over the rows run on the fit's {@code --backend} and {@code --device}, in float64.
 */
public final class StandardErrorsOption {
    /** A Newton step to the maximum above this many standard errors is worth a word in the summary. */
    private static final double NOTABLE_STEP = 0.01;

    @Option(names = "--standard-errors",
            description = {"Also compute standard errors of the weights, means and covariances from the observed "
                    + "information (the fit should be converged; regCovar is not counted) and write them to the "
                    + "model JSON as standardErrors. The passes over the rows run on --backend's device, in float64."})
    boolean wanted;

    /** Refuses --standard-errors with --bayesian before any work: a variational fit is no likelihood's maximum. */
    void check(CommandLine cl, boolean bayesian) {
        if (wanted && bayesian) {
            throw new CommandLine.ParameterException(cl, "--standard-errors needs a maximum-likelihood fit: a "
                    + "--bayesian fit's parameters are a posterior's, not a likelihood's maximum");
        }
    }

    /**
     * The errors on the fitted rows and weights, or null when not asked for.
     *
     * @throws CliException for rows with missing values
     */
    StandardErrors compute(GaussianMixtureModel model, Matrix x, double[] weights, BackendMixin backend) {
        if (!wanted) {
            return null;
        }
        if (x.firstNonFinite() != null) {
            throw new CliException("--standard-errors needs complete rows, but the data has missing values ("
                    + x.firstNonFinite() + ")");
        }
        return model.standardErrors(x, weights, backend.backend, backend.device == null ? 0 : backend.device);
    }

    /** The table: one row per component, the weight's and the means' errors (the covariances' are in the file). */
    static void print(PrintWriter out, StandardErrors se, List<String> header) {
        if (se == null) {
            return;
        }
        out.printf(Locale.ROOT, "standard errors: observed information on %d rows, %d parameters "
                + "(covariances' in the model file)%n", se.rows(), se.parameters());
        if (!se.converged() || se.maxNewtonStep() > NOTABLE_STEP) {
            out.printf(Locale.ROOT, "  note: the model is %.3g standard errors (a Newton step) from the likelihood's "
                    + "maximum%s; the errors are those of the model as it is%n", se.maxNewtonStep(),
                    se.converged() ? "" : " and the fit did not converge");
        }
        ComponentTable.print(out, "+- ", se.weights(), se.means(), header);
    }
}
