package io.gaussmix.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.Intervention;
import io.gaussmix.math.NotPositiveDefiniteException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
 * Only {@code format}, {@code version}, {@code covarianceType}, {@code weights}, {@code means} and
 * {@code covariances} are required (a starting model needs nothing else); the fit summary fields
 * default to those of a model that was not fitted. Unknown fields are ignored. Numbers are written
 * with the shortest text that reads back to the same double, so a model round-trips exactly (the
 * weights are renormalised on reading, which leaves weights that sum to 1 unchanged up to rounding).
 * Non-finite summary values are written as {@code null} (NaN) or the strings {@code "Infinity"} /
 * {@code "-Infinity"}, and read back the same way.
 *
 * <p>Every problem is a one-line {@link DataFileException} that names the file.
 */
public final class ModelJson {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "gaussmix-model";
    /** The only schema version this class writes and reads. */
    public static final int VERSION = 1;
    /** The engine version recorded in {@code createdBy}. */
    public static final String GAUSSMIX_VERSION = "0.1.0";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    private ModelJson() {
    }

    /**
     * Writes {@code model} to {@code target} atomically (a temporary file moved over the target).
     *
     * @throws IOException when the file cannot be written; an existing target is then unchanged
     */
    public static void write(Path target, GaussianMixtureModel model) throws IOException {
        writeTree(target, toJson(model));
    }

    /** Streams {@code tree} into {@code target} through {@link AtomicFiles}: a failure part-way leaves the old file. */
    static void writeTree(Path target, JsonNode tree) throws IOException {
        AtomicFiles.write(target, out -> {
            MAPPER.writeValue(out, tree);
            out.write('\n');
        });
    }

    /** The JSON tree of {@code model} (the schema in the class comment). */
    public static ObjectNode toJson(GaussianMixtureModel model) {
        Objects.requireNonNull(model, "model");
        ObjectNode root = MAPPER.createObjectNode();
        CovarianceType type = model.covarianceType();
        int k = model.components();
        int d = model.dimensions();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("covarianceType", type.id());
        root.set("weights", vector(model.weights(), 0, k));
        ArrayNode means = root.putArray("means");
        for (double[] m : model.means()) {
            means.add(vector(m, 0, d));
        }
        root.set("covariances", shaped(model.covariances(), type, k, d));
        FitSummary s = model.summary();
        root.put("converged", s.converged());
        root.put("iterations", s.iterations());
        putDouble(root, "lowerBound", s.lowerBound());
        ArrayNode history = root.putArray("lowerBoundHistory");
        for (double v : s.lowerBoundHistory()) {
            addDouble(history, v);
        }
        ArrayNode interventions = root.putArray("interventions");
        for (Intervention i : s.interventions()) {
            ObjectNode n = interventions.addObject();
            n.put("iteration", i.iteration());
            n.put("component", i.component());
            n.put("kind", i.kind().name());
            n.put("reason", i.reason());
        }
        root.put("backend", s.backend());
        root.put("rowsAllMissing", s.rowsAllMissing());
        root.set("precisionsCholesky", shaped(model.params().precisionCholesky(), type, k, d));
        root.put("createdBy", "gaussmix " + GAUSSMIX_VERSION);
        return root;
    }

    /**
     * Reads a model written by {@link #write}, or a starting model holding only the required fields.
     *
     * @throws DataFileException naming the file and the problem (not found, not JSON, wrong format or
     *                           version, a missing field, a wrong shape, a covariance that is not
     *                           positive definite)
     */
    public static GaussianMixtureModel read(Path file) {
        Objects.requireNonNull(file, "file");
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new DataFileException("model file not found: " + file, e);
        } catch (AccessDeniedException e) {
            throw new DataFileException("cannot read " + file + ": permission denied", e);
        } catch (JsonProcessingException e) {
            throw new DataFileException(file + ": not a valid JSON model file ("
                    + oneLine(e.getOriginalMessage()) + ")", e);
        } catch (IOException e) {
            throw new DataFileException("cannot read " + file + ": " + oneLine(String.valueOf(e.getMessage())), e);
        }
        return new Reader(file).model(root);
    }

    /** Parses a JSON tree; every error message starts with the file name. */
    private static final class Reader {
        private final Path file;

        Reader(Path file) {
            this.file = file;
        }

        GaussianMixtureModel model(JsonNode root) {
            if (root == null || !root.isObject()) {
                throw error("not a gaussmix model (expected a JSON object)");
            }
            JsonNode format = root.get("format");
            if (format == null || !format.isTextual() || !FORMAT.equals(format.asText())) {
                throw error("not a gaussmix model (\"format\" is " + (format == null ? "missing" : format)
                        + ", expected \"" + FORMAT + "\")");
            }
            JsonNode version = require(root, "version");
            if (!version.isIntegralNumber() || version.asLong() != VERSION) {
                throw error("unsupported model version " + version + " (this gaussmix reads version " + VERSION + ")");
            }
            JsonNode typeNode = require(root, "covarianceType");
            CovarianceType type;
            try {
                type = CovarianceType.parse(typeNode.asText());
            } catch (IllegalArgumentException e) {
                throw error("\"covarianceType\": " + e.getMessage());
            }
            double[] weights = numbers(require(root, "weights"), "weights", -1);
            int k = weights.length;
            if (k == 0) {
                throw error("\"weights\" is empty: a model needs at least one component");
            }
            JsonNode meansNode = require(root, "means");
            if (!meansNode.isArray() || meansNode.size() != k) {
                throw error("\"means\": expected " + k + " rows (one per weight), got " + describe(meansNode));
            }
            double[][] means = new double[k][];
            for (int c = 0; c < k; c++) {
                means[c] = numbers(meansNode.get(c), "means[" + c + "]", c == 0 ? -1 : means[0].length);
            }
            int d = means[0].length;
            if (d == 0) {
                throw error("\"means\" rows are empty: a model needs at least one dimension");
            }
            double[] cov = covariances(require(root, "covariances"), type, k, d);
            try {
                return GaussianMixtureModel.of(type, weights, means, cov, summary(root));
            } catch (NotPositiveDefiniteException e) {
                throw error(e.getMessage());
            } catch (IllegalArgumentException e) {
                throw error(oneLine(e.getMessage()));
            }
        }

        private double[] covariances(JsonNode node, CovarianceType type, int k, int d) {
            String expected;
            switch (type) {
                case FULL: expected = "[" + k + "][" + d + "][" + d + "]"; break;
                case TIED: expected = "[" + d + "][" + d + "]"; break;
                case DIAG: expected = "[" + k + "][" + d + "]"; break;
                default: expected = "[" + k + "]";
            }
            String what = "\"covariances\" (" + type.id() + ", expected shape " + expected + ")";
            double[] out = new double[type.covarianceLength(k, d)];
            switch (type) {
                case FULL:
                    expectArray(node, k, what, "");
                    for (int c = 0; c < k; c++) {
                        expectArray(node.get(c), d, what, "[" + c + "]");
                        for (int i = 0; i < d; i++) {
                            copy(node.get(c).get(i), d, what, "[" + c + "][" + i + "]", out, (c * d + i) * d);
                        }
                    }
                    break;
                case TIED:
                    expectArray(node, d, what, "");
                    for (int i = 0; i < d; i++) {
                        copy(node.get(i), d, what, "[" + i + "]", out, i * d);
                    }
                    break;
                case DIAG:
                    expectArray(node, k, what, "");
                    for (int c = 0; c < k; c++) {
                        copy(node.get(c), d, what, "[" + c + "]", out, c * d);
                    }
                    break;
                default:
                    copy(node, k, what, "", out, 0);
            }
            return out;
        }

        private void expectArray(JsonNode node, int size, String what, String at) {
            if (node == null || !node.isArray() || node.size() != size) {
                throw error(what + ": at covariances" + at + " expected an array of " + size + ", got "
                        + describe(node));
            }
        }

        private void copy(JsonNode node, int size, String what, String at, double[] out, int offset) {
            expectArray(node, size, what, at);
            for (int i = 0; i < size; i++) {
                out[offset + i] = number(node.get(i), "covariances" + at + "[" + i + "]");
            }
        }

        private FitSummary summary(JsonNode root) {
            if (!root.has("converged") && !root.has("iterations") && !root.has("lowerBound")) {
                return FitSummary.notFitted();
            }
            boolean converged = root.path("converged").asBoolean(false);
            int iterations = root.path("iterations").asInt(0);
            double lowerBound = special(root.get("lowerBound"), "lowerBound");
            List<Double> history = new ArrayList<>();
            JsonNode h = root.get("lowerBoundHistory");
            if (h != null && !h.isNull()) {
                if (!h.isArray()) {
                    throw error("\"lowerBoundHistory\": expected an array, got " + describe(h));
                }
                for (int i = 0; i < h.size(); i++) {
                    history.add(special(h.get(i), "lowerBoundHistory[" + i + "]"));
                }
            }
            List<Intervention> interventions = new ArrayList<>();
            JsonNode iv = root.get("interventions");
            if (iv != null && !iv.isNull()) {
                if (!iv.isArray()) {
                    throw error("\"interventions\": expected an array, got " + describe(iv));
                }
                for (int i = 0; i < iv.size(); i++) {
                    JsonNode n = iv.get(i);
                    Intervention.Kind kind;
                    try {
                        kind = Intervention.Kind.valueOf(n.path("kind").asText(""));
                    } catch (IllegalArgumentException e) {
                        throw error("\"interventions[" + i + "].kind\" is " + n.get("kind")
                                + " (expected RIDGE_INCREASED or RESEEDED)");
                    }
                    interventions.add(new Intervention(n.path("iteration").asInt(0), n.path("component").asInt(0),
                            kind, n.path("reason").asText("")));
                }
            }
            String backend = root.path("backend").asText("unknown");
            int rowsAllMissing = root.path("rowsAllMissing").asInt(0);
            return new FitSummary(converged, iterations, lowerBound, history, interventions, backend, rowsAllMissing);
        }

        private double[] numbers(JsonNode node, String field, int expectedLength) {
            if (node == null || !node.isArray()) {
                throw error("\"" + field + "\": expected an array of numbers, got " + describe(node));
            }
            if (expectedLength >= 0 && node.size() != expectedLength) {
                throw error("\"" + field + "\": expected " + expectedLength + " values, got " + node.size());
            }
            double[] out = new double[node.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = number(node.get(i), field + "[" + i + "]");
            }
            return out;
        }

        private double number(JsonNode node, String where) {
            if (node == null || !node.isNumber()) {
                throw error("\"" + where + "\": expected a number, got " + describe(node));
            }
            double v = node.doubleValue();
            if (!Double.isFinite(v)) {
                throw error("\"" + where + "\": " + node + " is not a finite number");
            }
            return v;
        }

        private double special(JsonNode node, String where) {
            if (node == null || node.isNull()) {
                return Double.NaN;
            }
            if (node.isNumber()) {
                return node.doubleValue();
            }
            if (node.isTextual()) {
                switch (node.asText()) {
                    case "NaN": return Double.NaN;
                    case "Infinity": return Double.POSITIVE_INFINITY;
                    case "-Infinity": return Double.NEGATIVE_INFINITY;
                    default: break;
                }
            }
            throw error("\"" + where + "\": expected a number, null, \"NaN\", \"Infinity\" or \"-Infinity\", got "
                    + describe(node));
        }

        private JsonNode require(JsonNode root, String field) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                throw error("missing field \"" + field + "\"");
            }
            return n;
        }

        private DataFileException error(String message) {
            return new DataFileException(file + ": " + message);
        }
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isArray()) {
            return "an array of " + node.size();
        }
        String text = node.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static ArrayNode vector(double[] v, int from, int len) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int i = from; i < from + len; i++) {
            a.add(v[i]);
        }
        return a;
    }

    /** Packed values in scikit-learn's nested shape for the covariance type. */
    private static ArrayNode shaped(double[] packed, CovarianceType type, int k, int d) {
        ArrayNode a = MAPPER.createArrayNode();
        switch (type) {
            case FULL:
                for (int c = 0; c < k; c++) {
                    ArrayNode m = a.addArray();
                    for (int i = 0; i < d; i++) {
                        m.add(vector(packed, (c * d + i) * d, d));
                    }
                }
                return a;
            case TIED:
                for (int i = 0; i < d; i++) {
                    a.add(vector(packed, i * d, d));
                }
                return a;
            case DIAG:
                for (int c = 0; c < k; c++) {
                    a.add(vector(packed, c * d, d));
                }
                return a;
            default:
                return vector(packed, 0, k);
        }
    }

    private static void putDouble(ObjectNode o, String field, double v) {
        if (Double.isNaN(v)) {
            o.putNull(field);
        } else if (Double.isInfinite(v)) {
            o.put(field, v > 0 ? "Infinity" : "-Infinity");
        } else {
            o.put(field, v);
        }
    }

    private static void addDouble(ArrayNode a, double v) {
        if (Double.isNaN(v)) {
            a.addNull();
        } else if (Double.isInfinite(v)) {
            a.add(v > 0 ? "Infinity" : "-Infinity");
        } else {
            a.add(v);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
