package io.gaussmix.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.Intervention;
import io.gaussmix.OnlineGaussianMixture;
import io.gaussmix.StandardErrors;
import io.gaussmix.math.NotPositiveDefiniteException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading one model file for {@link ModelJson}: strict JSON (one value, unique keys, located syntax
 * errors), then the schema, field by field; every error message starts with the file name.
 */
final class ModelJsonReader {
    /** Drops the top-level "precisionsCholesky" while parsing (reading recomputes the factors). */
    private static final TokenFilter SKIP_FACTORS = new TokenFilter() {
        @Override
        public TokenFilter includeProperty(String name) {
            return "precisionsCholesky".equals(name) ? null : TokenFilter.INCLUDE_ALL;
        }
    };

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    private final Path file;
    private final Consumer<String> notes;

    private ModelJsonReader(Path file, Consumer<String> notes) {
        this.file = file;
        this.notes = notes;
    }

    GaussianMixtureModel model(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw error("not a gaussmix model (expected a JSON object)");
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isTextual() || !ModelJson.FORMAT.equals(format.asText())) {
            throw error("not a gaussmix model (\"format\" is " + (format == null ? "missing" : format)
                    + ", expected \"" + ModelJson.FORMAT + "\")");
        }
        JsonNode version = require(root, "version");
        if (!version.isIntegralNumber() || version.asLong() != ModelJson.VERSION) {
            throw error("unsupported model version " + version + " (this gaussmix reads version " + ModelJson.VERSION + ")");
        }
        JsonNode typeNode = require(root, "covarianceType");
        CovarianceType type;
        try {
            type = CovarianceType.parse(typeNode.asText());
        } catch (IllegalArgumentException e) {
            throw error("\"covarianceType\": " + e.getMessage());
        }
        double[] weights = weights(require(root, "weights"));
        int k = weights.length;
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

    /** Finite, >= 0, a positive sum; divided by that sum, with a note when it was not 1. */
    private double[] weights(JsonNode node) {
        double[] w = numbers(node, "weights", -1);
        if (w.length == 0) {
            throw error("\"weights\" is empty: a model needs at least one component");
        }
        double max = 0;
        for (int c = 0; c < w.length; c++) {
            if (w[c] < 0) {
                throw error("\"weights[" + c + "]\" is " + w[c] + ": weights must be >= 0");
            }
            max = Math.max(max, w[c]);
        }
        if (max == 0) {
            throw error("\"weights\" are all 0: they must have a positive sum");
        }
        // Sum the weights divided by the largest, so that huge weights cannot overflow the sum.
        double scaledSum = 0;
        for (double v : w) {
            scaledSum += v / max;
        }
        double sum = scaledSum * max;
        if (!(Math.abs(sum - 1) <= ModelJson.WEIGHT_SUM_TOLERANCE)) {
            double[] normalised = new double[w.length];
            for (int c = 0; c < w.length; c++) {
                normalised[c] = w[c] / max / scaledSum;
            }
            notes.accept(file + ": \"weights\" sum to " + (Double.isFinite(sum) ? sum : "more than 1.8e308")
                    + ", not 1: divided by their sum (" + preview(normalised) + ")");
            return normalised;
        }
        return w;
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
        return new FitSummary(converged, iterations, lowerBound, history, interventions, backend, rowsAllMissing,
                online(root.get("fit")));
    }

    /** The optional "fit" object of an online model (null: a batch fit, or a file written before it existed). */
    private OnlineGaussianMixture.Progress online(JsonNode fit) {
        if (fit == null || fit.isNull()) {
            return null;
        }
        if (!fit.isObject()) {
            throw error("\"fit\": expected an object, got " + describe(fit));
        }
        JsonNode method = fit.get("method");
        if (method == null || !"online".equals(method.asText())) {
            throw error("\"fit.method\" is " + (method == null ? "missing" : method)
                    + " (this gaussmix records only \"online\")");
        }
        long batches = count(fit.get("batches"), "fit.batches");
        long rows = count(fit.get("rows"), "fit.rows");
        return new OnlineGaussianMixture.Progress(batches, rows, number(fit.get("t0"), "fit.t0"),
                number(fit.get("alpha"), "fit.alpha"));
    }

    private long count(JsonNode node, String where) {
        if (node == null || !node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 0) {
            throw error("\"" + where + "\": expected a whole number >= 0, got " + describe(node));
        }
        return node.asLong();
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
            throw error("\"" + where + "\" is not a finite number (it overflows a double to " + v + ")");
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

    /** Reads and checks the model file {@code file}; see {@link ModelJson#read(Path, Consumer)}. */
    static GaussianMixtureModel read(JsonFactory factory, Path file, Consumer<String> notes) {
        return new ModelJsonReader(file, notes).model(root(factory, file));
    }

    // ---- The optional "standardErrors" object (fit --standard-errors) ----

    /** The file's standard errors, checked against its model; see {@link ModelJson#readStandardErrors}. */
    static Optional<StandardErrors> readStandardErrors(JsonFactory factory, Path file) {
        JsonNode root = root(factory, file);
        ModelJsonReader reader = new ModelJsonReader(file, note -> { });
        GaussianMixtureModel model = reader.model(root);
        JsonNode node = root.get("standardErrors");
        return node == null || node.isNull() ? Optional.empty() : Optional.of(reader.standardErrors(node, model));
    }

    private StandardErrors standardErrors(JsonNode node, GaussianMixtureModel model) {
        if (!node.isObject()) {
            throw error("\"standardErrors\": expected an object, got " + describe(node));
        }
        int k = model.components();
        int d = model.dimensions();
        double[] weights = numbers(require(node, "weights"), "standardErrors.weights", k);
        JsonNode meansNode = require(node, "means");
        if (!meansNode.isArray() || meansNode.size() != k) {
            throw error("\"standardErrors.means\": expected " + k + " rows, got " + describe(meansNode));
        }
        double[][] means = new double[k][];
        for (int c = 0; c < k; c++) {
            means[c] = numbers(meansNode.get(c), "standardErrors.means[" + c + "]", d);
        }
        double[] cov = inStandardErrors(() -> covariances(require(node, "covariances"), model.covarianceType(), k, d));
        JsonNode rows = require(node, "rows");
        JsonNode parameters = require(node, "parameters");
        if (!rows.isIntegralNumber() || !parameters.isIntegralNumber()) {
            throw error("\"standardErrors\": \"rows\" and \"parameters\" must be integers, got " + rows + " and "
                    + parameters);
        }
        try {
            return StandardErrors.of(model.covarianceType(), weights, means, cov, parameters.asLong(), rows.asInt(),
                    number(require(node, "totalWeight"), "standardErrors.totalWeight"),
                    node.path("converged").asBoolean(false),
                    special(node.get("maxNewtonStep"), "standardErrors.maxNewtonStep"));
        } catch (IllegalArgumentException e) {
            throw error("\"standardErrors\": " + oneLine(e.getMessage()));
        }
    }

    /** Runs a reader of the model's own fields on a field of "standardErrors", saying so in its error. */
    private <T> T inStandardErrors(Supplier<T> read) {
        try {
            return read.get();
        } catch (DataFileException e) {
            String prefix = file + ": ";
            String m = e.getMessage();
            throw error("in \"standardErrors\": " + (m.startsWith(prefix) ? m.substring(prefix.length()) : m));
        }
    }

    /** The file's JSON tree (one object, unique keys), or a located one-line error. */
    private static JsonNode root(JsonFactory factory, Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFileException("model file not found: " + file, e);
        } catch (AccessDeniedException e) {
            throw new DataFileException("cannot read " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new DataFileException("cannot read " + file + ": " + oneLine(String.valueOf(e.getMessage())), e);
        }
        return parse(factory, file, bytes);
    }

    /** Exactly one JSON value, keys unique per object; syntax errors located by line and column. */
    private static JsonNode parse(JsonFactory factory, Path file, byte[] bytes) {
        // The precision factors are recomputed from the covariances: skip them instead of building their D x D tree.
        try (JsonParser raw = factory.createParser(bytes);
             JsonParser parser = new FilteringParserDelegate(raw, SKIP_FACTORS, TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH,
                     true)) {
            JsonNode root;
            try {
                root = tree(parser);
            } catch (StreamReadException e) {
                throw new DataFileException(file + ": not a valid JSON model file: " + syntaxError(e)
                        + " at " + where(e.getLocation()), e);
            }
            if (root != null) {
                try {
                    // On the raw parser: the filter would drop a trailing empty object.
                    if (raw.nextToken() != null) {
                        throw trailing(file, root, raw.currentTokenLocation(), null);
                    }
                } catch (StreamReadException e) {
                    throw trailing(file, root, e.getLocation(), e);
                }
            }
            return root;
        } catch (IOException e) {
            throw new DataFileException("cannot read " + file + ": " + oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    /**
     * The JSON value at the parser's current token (or its first, before any) as a tree, null for no
     * value; numbers as a databind tree reads them (int, long or big integer, and floats as doubles). The
     * parser is left on the value's last token. (The parser limits the nesting depth, hence the recursion's.)
     */
    static JsonNode tree(JsonParser p) throws IOException {
        if (p.currentToken() == null && p.nextToken() == null) {
            return null;
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (p.currentToken()) {
            case START_OBJECT: {
                ObjectNode o = nodes.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, tree(p));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = nodes.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(tree(p));
                }
                return a;
            }
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT: return nodes.numberNode(p.getIntValue());
                    case LONG: return nodes.numberNode(p.getLongValue());
                    default: return nodes.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return nodes.numberNode(p.getDoubleValue());
            case VALUE_STRING:
                return nodes.textNode(p.getText());
            case VALUE_TRUE:
                return nodes.booleanNode(true);
            case VALUE_FALSE:
                return nodes.booleanNode(false);
            case VALUE_NULL:
                return nodes.nullNode();
            default:
                throw new JsonParseException(p, "unexpected " + p.currentToken());
        }
    }

    private static DataFileException trailing(Path file, JsonNode root, JsonLocation at, Throwable cause) {
        return new DataFileException(file + ": unexpected text after the " + (root.isObject() ? "model's closing '}'"
                : "first JSON value") + " at " + where(at)
                + " (a model file holds one JSON object)", cause);
    }

    /** Jackson's description of a syntax error, without its location and the names of its switches. */
    private static String syntaxError(StreamReadException e) {
        String m = oneLine(e.getOriginalMessage());
        Matcher dup = DUPLICATE.matcher(m);
        if (dup.find()) {
            return "duplicate key \"" + dup.group(1) + "\"";
        }
        int cut = m.length();
        for (String internal : new String[] {"`", "[Source", " (start marker"}) {
            int i = m.indexOf(internal);
            cut = i > 0 ? Math.min(cut, i) : cut;
        }
        return m.substring(0, cut).replaceAll("[\\s:;,(]+$", "");
    }

    /** "line 3, column 14" (1-based), or "the end of the file" when Jackson gives no location. */
    private static String where(JsonLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return "the end of the file";
        }
        return "line " + at.getLineNr() + ", column " + at.getColumnNr();
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

    /** The first few values, for a message. */
    private static String preview(double[] v) {
        StringBuilder sb = new StringBuilder("now ");
        for (int i = 0; i < Math.min(v.length, 4); i++) {
            sb.append(i == 0 ? "" : ", ").append((float) v[i]);
        }
        return sb.append(v.length > 4 ? ", ..." : "").toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
