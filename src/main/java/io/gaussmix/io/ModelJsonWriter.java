package io.gaussmix.io;

import com.fasterxml.jackson.core.JsonGenerator;
import io.gaussmix.BayesianFit;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.Intervention;
import io.gaussmix.OnlineGaussianMixture;
import io.gaussmix.StandardErrors;

import java.io.IOException;

/** Writing a model for {@link ModelJson}, token by token: the schema's field order and shapes, once. */
final class ModelJsonWriter {
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

    /** Packed values in scikit-learn's nested shape for the covariance type. */
    private static void shaped(JsonGenerator g, double[] packed, CovarianceType type, int k, int d) throws IOException {
        switch (type) {
            case FULL:
                g.writeStartArray();
                for (int c = 0; c < k; c++) {
                    g.writeStartArray();
                    for (int i = 0; i < d; i++) {
                        vector(g, packed, (c * d + i) * d, d);
                    }
                    g.writeEndArray();
                }
                g.writeEndArray();
                return;
            case TIED:
                g.writeStartArray();
                for (int i = 0; i < d; i++) {
                    vector(g, packed, i * d, d);
                }
                g.writeEndArray();
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
