package io.gaussmix.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberOutput;
import io.gaussmix.BayesianFit;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.Intervention;
import io.gaussmix.OnlineGaussianMixture;
import io.gaussmix.StandardErrors;
import io.gaussmix.parallel.UnitWorkers;

import java.io.IOException;

/** Writing a model for {@link ModelJson}, token by token: the schema's field order and shapes, once. */
final class ModelJsonWriter {
    /**
     * Matrices of at least this many numbers have them formatted on the shared pool before they are
     * written: the shortest round-trip decimal of each double is most of the cost of a large model's
     * file (8e6 numbers at D = 2000), and it is the same text on any number of threads.
     */
    static final int PARALLEL_NUMBERS = 1 << 15;
    /** Numbers formatted per round: bounds the strings held at once (a few MB), whatever D. */
    private static final int ROUND_NUMBERS = 1 << 16;
    /** Numbers per task on the pool. */
    private static final int UNIT_NUMBERS = 4096;

    private ModelJsonWriter() {
    }

    /** The one place that knows the schema's field order and shapes. */
    static void write(JsonGenerator g, GaussianMixtureModel model) throws IOException {
        write(g, model, null);
    }

    /**
     * As {@link #write(JsonGenerator, GaussianMixtureModel)}; for a variational fit ({@code bayes} not
     * null, its model being {@code model}) also its prior and variational parameters, in scikit-learn's
     * names. Readers take such a file as the plain mixture it also is.
     */
    static void write(JsonGenerator g, GaussianMixtureModel model, BayesianFit bayes) throws IOException {
        write(g, model, bayes, null);
    }

    /** As {@link #write(JsonGenerator, GaussianMixtureModel, BayesianFit)}, with the standard errors when not null. */
    static void write(JsonGenerator g, GaussianMixtureModel model, BayesianFit bayes, StandardErrors errors)
            throws IOException {
        CovarianceType type = model.covarianceType();
        int k = model.components();
        int d = model.dimensions();
        g.writeStartObject();
        g.writeStringField("format", ModelJson.FORMAT);
        g.writeNumberField("version", ModelJson.VERSION);
        g.writeStringField("covarianceType", type.id());
        g.writeFieldName("weights");
        vector(g, model.params().weights(), 0, k);
        g.writeArrayFieldStart("means");
        for (int c = 0; c < k; c++) {
            vector(g, model.params().means(), c * d, d);
        }
        g.writeEndArray();
        g.writeFieldName("covariances");
        shaped(g, model.params().covariances(), type, k, d);
        FitSummary s = model.summary();
        g.writeBooleanField("converged", s.converged());
        g.writeNumberField("iterations", s.iterations());
        g.writeFieldName("lowerBound");
        special(g, s.lowerBound());
        g.writeArrayFieldStart("lowerBoundHistory");
        for (double v : s.lowerBoundHistory()) {
            special(g, v);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("interventions");
        for (Intervention i : s.interventions()) {
            g.writeStartObject();
            g.writeNumberField("iteration", i.iteration());
            g.writeNumberField("component", i.component());
            g.writeStringField("kind", i.kind().name());
            g.writeStringField("reason", i.reason());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("backend", s.backend());
        g.writeNumberField("rowsAllMissing", s.rowsAllMissing());
        if (s.online() != null) {
            online(g, s.online());
        }
        g.writeFieldName("precisionsCholesky");
        shaped(g, model.params().precisionCholesky(), type, k, d);
        if (bayes != null) {
            g.writeStringField("weightConcentrationPriorType", bayes.weightPrior().id());
            g.writeArrayFieldStart("weightConcentration");
            for (double[] row : bayes.weightConcentration()) {
                vector(g, row, 0, row.length);
            }
            g.writeEndArray();
            g.writeFieldName("meanPrecision");
            vector(g, bayes.meanPrecision(), 0, bayes.meanPrecision().length);
            g.writeFieldName("degreesOfFreedom");
            vector(g, bayes.degreesOfFreedom(), 0, bayes.degreesOfFreedom().length);
            g.writeNumberField("effectiveComponents", bayes.effectiveComponents());
        }
        if (errors != null) {
            standardErrors(g, errors, k, d);
        }
        g.writeStringField("createdBy", "gaussmix " + ModelJson.GAUSSMIX_VERSION);
        g.writeEndObject();
    }

    /** How an online model was fitted: {"method": "online", "batches", "rows", "t0", "alpha"}. */
    private static void online(JsonGenerator g, OnlineGaussianMixture.Progress p) throws IOException {
        g.writeObjectFieldStart("fit");
        g.writeStringField("method", "online");
        g.writeNumberField("batches", p.batches());
        g.writeNumberField("rows", p.rows());
        g.writeNumberField("t0", p.t0());
        g.writeNumberField("alpha", p.alpha());
        g.writeEndObject();
    }

    /** The optional "standardErrors" object: the parameters' shapes, then the conditions they were computed under. */
    private static void standardErrors(JsonGenerator g, StandardErrors se, int k, int d) throws IOException {
        g.writeObjectFieldStart("standardErrors");
        g.writeFieldName("weights");
        vector(g, se.weights(), 0, k);
        g.writeArrayFieldStart("means");
        for (double[] row : se.means()) {
            vector(g, row, 0, d);
        }
        g.writeEndArray();
        g.writeFieldName("covariances");
        shaped(g, se.covariances(), se.covarianceType(), k, d);
        g.writeNumberField("parameters", se.parameters());
        g.writeNumberField("rows", se.rows());
        g.writeNumberField("totalWeight", se.totalWeight());
        g.writeBooleanField("converged", se.converged());
        g.writeNumberField("maxNewtonStep", se.maxNewtonStep());
        g.writeStringField("method", ModelJson.STANDARD_ERRORS_METHOD);
        g.writeEndObject();
    }

    private static void vector(JsonGenerator g, double[] v, int from, int len) throws IOException {
        g.writeStartArray();
        for (int i = from; i < from + len; i++) {
            g.writeNumber(v[i]);
        }
        g.writeEndArray();
    }

    /** {@code rows} x {@code d} values from {@code packed[from..]} as an array of rows. */
    private static void rows(JsonGenerator g, double[] packed, int from, int rows, int d) throws IOException {
        g.writeStartArray();
        if ((long) rows * d < PARALLEL_NUMBERS) {
            for (int r = 0; r < rows; r++) {
                vector(g, packed, from + r * d, d);
            }
        } else {
            int roundRows = Math.max(1, ROUND_NUMBERS / d);
            String[] text = new String[roundRows * d];
            for (int r0 = 0; r0 < rows; r0 += roundRows) {
                int n = Math.min(roundRows, rows - r0) * d;
                int base = from + r0 * d;
                // The text g.writeNumber(double) would write (the factory enables the fast writer).
                UnitWorkers.shared().forEach(n, UNIT_NUMBERS, (a, b) -> {
                    for (int i = a; i < b; i++) {
                        text[i] = NumberOutput.toString(packed[base + i], true);
                    }
                });
                for (int i = 0; i < n; i += d) {
                    g.writeStartArray();
                    for (int j = i; j < i + d; j++) {
                        g.writeNumber(text[j]);
                    }
                    g.writeEndArray();
                }
            }
        }
        g.writeEndArray();
    }

    /** Packed values in scikit-learn's nested shape for the covariance type. */
    private static void shaped(JsonGenerator g, double[] packed, CovarianceType type, int k, int d) throws IOException {
        switch (type) {
            case FULL:
                g.writeStartArray();
                for (int c = 0; c < k; c++) {
                    rows(g, packed, c * d * d, d, d);
                }
                g.writeEndArray();
                return;
            case TIED:
                rows(g, packed, 0, d, d);
                return;
            case DIAG:
                g.writeStartArray();
                for (int c = 0; c < k; c++) {
                    vector(g, packed, c * d, d);
                }
                g.writeEndArray();
                return;
            default:
                vector(g, packed, 0, k);
        }
    }

    /** A summary value: NaN as null, infinities as the strings "Infinity" / "-Infinity". */
    private static void special(JsonGenerator g, double v) throws IOException {
        if (Double.isNaN(v)) {
            g.writeNull();
        } else if (Double.isInfinite(v)) {
            g.writeString(v > 0 ? "Infinity" : "-Infinity");
        } else {
            g.writeNumber(v);
        }
    }
}
