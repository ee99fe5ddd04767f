package io.gaussmix.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.gaussmix.BayesianFit;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.StandardErrors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Saves and loads a {@link GaussianMixtureModel} as JSON.
 *
 * <p>The schema (version 1):
 * <pre>
 * {"format": "gaussmix-model", "version": 1, "covarianceType": "full",
 *  "weights": [K], "means": [K][D],
 *  "covariances": full [K][D][D] | tied [D][D] | diag [K][D] | spherical [K]   (scikit-learn's shapes),
 *  "converged": true, "iterations": 12, "lowerBound": -3.2, "lowerBoundHistory": [..],
 *  "interventions": [{"iteration": 3, "component": 1, "kind": "RESEEDED", "reason": ".."}],
 *  "backend": "cpu ...", "rowsAllMissing": 0, "precisionsCholesky": (same shape as covariances), "createdBy": "gaussmix 0.1.0"}
 * </pre>
 * A variational Bayesian fit adds {@code "weightConcentrationPriorType"}, {@code "weightConcentration"}
 * ([1][K] or, for the Dirichlet process, [2][K]), {@code "meanPrecision"} [K], {@code "degreesOfFreedom"} [K]
 * and {@code "effectiveComponents"}; a reader takes the file as the plain mixture.
 * A model of online EM ({@code io.gaussmix.OnlineGaussianMixture}) adds {@code "fit": {"method":
 * "online", "batches": .., "rows": .., "t0": .., "alpha": ..}}, read back into {@code FitSummary.online()};
 * files without it are batch fits.
 * {@code fit --standard-errors} adds {@code "standardErrors": {"weights": [K], "means": [K][D], "covariances":
 * (the covariances' shape), "parameters": P, "rows": N, "totalWeight": .., "converged": .., "maxNewtonStep": ..,
 * "method": ".."}} ({@link StandardErrors}); {@link #readStandardErrors} reads it back, {@link #read} ignores it.
 * Only {@code format}, {@code version}, {@code covarianceType}, {@code weights}, {@code means} and
 * {@code covariances} are required (a starting model needs nothing else); the fit summary fields
 * default to those of a model that was not fitted. Unknown fields are ignored. Numbers are written
 * with the shortest text that reads back to the same double, so a model round-trips exactly.
 * Non-finite summary values are written as {@code null} (NaN) or the strings {@code "Infinity"} /
 * {@code "-Infinity"}, and read back the same way.
 *
 * <p>Reading is strict: the file must hold exactly one JSON object (text after its closing brace is
 * an error), a key may appear only once per object, weights must be finite and {@code >= 0} with a
 * positive sum, and full and tied covariances must be symmetric (see {@link
 * GaussianMixtureModel#of}). Weights are divided by their sum; when that sum differs from 1 by more
 * than {@value #WEIGHT_SUM_TOLERANCE} (more than rounding), {@link #read(Path, Consumer)} says so.
 *
 * <p>Every problem is a one-line {@link DataFileException} that names the file and, for a JSON
 * syntax error, the 1-based line and column.
 */
public final class ModelJson {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "gaussmix-model";
    /** The only schema version this class writes and reads. */
    public static final int VERSION = 1;
    /** The engine version recorded in {@code createdBy}. */
    public static final String GAUSSMIX_VERSION = "0.1.0";

    /**
     * How far the weights' sum may be from 1 before reading says that it renormalised them: far above
     * the rounding of K shortest-repr decimals (about K * 1e-16), below any deliberate change.
     */
    public static final double WEIGHT_SUM_TOLERANCE = 1e-9;

    /**
     * The streams' settings for writing and reading model files. Reading and writing need only the
     * streaming core: an ObjectMapper's construction loads about 500 classes (dates, time zones,
     * locales), 0.13-0.27 s of every command that reads or writes a model.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Schubfach / FastDoubleParser: exact like the JDK's, several times faster at D = 2000.
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    /** For {@link #writeTree} only, whose trees may hold any value: built on first use. */
    private static final class TreeWriter {
        static final ObjectMapper MAPPER = new ObjectMapper(FACTORY.copy()).enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** The {@code method} written beside standard errors: how they were computed and what was not counted. */
    public static final String STANDARD_ERRORS_METHOD = "observed information (analytic Hessian of the "
            + "log-likelihood at the fitted parameters, regCovar not counted), inverted by Cholesky; "
            + "last weight by the delta method";

    private ModelJson() {
    }

    /**
     * Writes {@code model} to {@code target} atomically (a temporary file moved over the target),
     * streaming: no tree of the model is built, so a D = 2000 model costs its text only.
     *
     * @throws IOException when the file cannot be written; an existing target is then unchanged
     */
    public static void write(Path target, GaussianMixtureModel model) throws IOException {
        write(target, model, (BayesianFit) null);
    }

    /**
     * Writes a variational Bayesian fit: its mixture as {@link #write(Path, GaussianMixtureModel)} does, plus
     * {@code weightConcentrationPriorType}, {@code weightConcentration} (one row for a Dirichlet distribution,
     * two for the Dirichlet process's Beta parameters), {@code meanPrecision}, {@code degreesOfFreedom} and
     * {@code effectiveComponents}. {@link #read} reads it as the plain mixture (predict, score, sample).
     */
    public static void write(Path target, BayesianFit fit) throws IOException {
        Objects.requireNonNull(fit, "fit");
        write(target, fit.model(), fit);
    }

    /**
     * Writes {@code model} as {@link #write(Path, GaussianMixtureModel)} does, with its standard errors (from
     * {@link GaussianMixtureModel#standardErrors}) as the field {@code standardErrors}.
     *
     * @throws IllegalArgumentException when the errors are of another covariance type or shape than the model
     */
    public static void write(Path target, GaussianMixtureModel model, StandardErrors errors) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(errors, "errors");
        if (errors.covarianceType() != model.covarianceType() || errors.means().length != model.components()
                || errors.means()[0].length != model.dimensions()) {
            throw new IllegalArgumentException("standard errors (" + errors + ") are not of this model's shape ("
                    + model + ")");
        }
        write(target, model, null, errors);
    }

    private static void write(Path target, GaussianMixtureModel model, BayesianFit bayes) throws IOException {
        write(target, model, bayes, null);
    }

    private static void write(Path target, GaussianMixtureModel model, BayesianFit bayes, StandardErrors errors)
            throws IOException {
        Objects.requireNonNull(model, "model");
        AtomicFiles.write(target, out -> {
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                g.useDefaultPrettyPrinter();
                ModelJsonWriter.write(g, model, bayes, errors);
            }
            out.write('\n');
        });
    }

    /** Streams {@code tree} into {@code target} through {@link AtomicFiles}: a failure part-way leaves the old file. */
    static void writeTree(Path target, JsonNode tree) throws IOException {
        AtomicFiles.write(target, out -> {
            TreeWriter.MAPPER.writeValue(out, tree);
            out.write('\n');
        });
    }

    /** The JSON tree of {@code model} (the schema in the class comment), as {@link #write} writes it. */
    public static ObjectNode toJson(GaussianMixtureModel model) {
        Objects.requireNonNull(model, "model");
        try (TokenBuffer buffer = new TokenBuffer(null, false)) {
            ModelJsonWriter.write(buffer, model);
            return (ObjectNode) ModelJsonReader.tree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException("building a model's JSON tree in memory", e);
        }
    }

    /**
     * Reads a model written by {@link #write}, or a starting model holding only the required fields;
     * weights that do not sum to 1 are renormalised without a word (see {@link #read(Path, Consumer)}).
     *
     * @throws DataFileException naming the file and the problem (not found, not JSON, wrong format or
     *                           version, a missing field, a wrong shape, a covariance that is not
     *                           symmetric or not positive definite, bad weights)
     */
    public static GaussianMixtureModel read(Path file) {
        return read(file, note -> { });
    }

    /**
     * The standard errors a model file holds (written by {@link #write(Path, GaussianMixtureModel,
     * StandardErrors)}), or empty for a file without them; the model is read and checked as {@link #read} does,
     * and the errors' shapes against it.
     *
     * @throws DataFileException naming the file and the problem, as {@link #read}, or a field of
     *                           {@code standardErrors} that is missing, of the wrong shape, negative or not finite
     */
    public static Optional<StandardErrors> readStandardErrors(Path file) {
        Objects.requireNonNull(file, "file");
        return ModelJsonReader.readStandardErrors(FACTORY, file);
    }

    /**
     * As {@link #read(Path)}, telling {@code notes} (one line each, naming the file) what was
     * accepted but changed: weights whose sum was not 1 within {@value #WEIGHT_SUM_TOLERANCE}.
     */
    public static GaussianMixtureModel read(Path file, Consumer<String> notes) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(notes, "notes");
        return ModelJsonReader.read(FACTORY, file, notes);
    }
}
