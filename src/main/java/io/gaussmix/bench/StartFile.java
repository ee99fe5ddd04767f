package io.gaussmix.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gaussmix.CovarianceType;
import io.gaussmix.math.MixtureParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared starting point of the peer comparison, written once and read by every peer. It uses the
 * required fields of the gaussmix model JSON ({@code format "gaussmix-model"}, {@code version 1},
 * {@code covarianceType}, {@code weights [K]}, {@code means [K][D]}, {@code covariances} in
 * scikit-learn's shape), so {@code gaussmix fit --init-model start.json} reads it as well; it also
 * reads the parameters back out of a fitted model file written by the CLI.
 */
public final class StartFile {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StartFile() {
    }

    public static void write(Path file, MixtureParams p) throws IOException {
        int k = p.components();
        int d = p.dimensions();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", "gaussmix-model");
        root.put("version", 1);
        root.put("covarianceType", p.type().id());
        ArrayNode w = root.putArray("weights");
        for (double v : p.weights()) {
            w.add(v);
        }
        ArrayNode means = root.putArray("means");
        for (int c = 0; c < k; c++) {
            ArrayNode row = means.addArray();
            for (int i = 0; i < d; i++) {
                row.add(p.means()[c * d + i]);
            }
        }
        ArrayNode covs = root.putArray("covariances");
        double[] cov = p.covariances();
        switch (p.structure()) {
            case FULL:
                for (int c = 0; c < k; c++) {
                    ArrayNode m = covs.addArray();
                    for (int i = 0; i < d; i++) {
                        ArrayNode row = m.addArray();
                        for (int j = 0; j < d; j++) {
                            row.add(cov[(c * d + i) * d + j]);
                        }
                    }
                }
                break;
            case TIED:
                for (int i = 0; i < d; i++) {
                    ArrayNode row = covs.addArray();
                    for (int j = 0; j < d; j++) {
                        row.add(cov[i * d + j]);
                    }
                }
                break;
            case DIAG:
                for (int c = 0; c < k; c++) {
                    ArrayNode row = covs.addArray();
                    for (int i = 0; i < d; i++) {
                        row.add(cov[c * d + i]);
                    }
                }
                break;
            default:
                for (double v : cov) {
                    covs.add(v);
                }
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        MAPPER.writeValue(tmp.toFile(), root);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads the parameters of a start file or of any gaussmix model JSON. */
    public static MixtureParams read(Path file) throws IOException {
        JsonNode root = MAPPER.readTree(file.toFile());
        CovarianceType type = CovarianceType.parse(root.get("covarianceType").asText());
        double[] w = flatten(root.get("weights"));
        double[] means = flatten(root.get("means"));
        double[] covs = flatten(root.get("covariances"));
        int d = means.length / w.length;
        return MixtureParams.of(type, w, means, covs, d);
    }

    private static double[] flatten(JsonNode n) {
        java.util.List<Double> out = new java.util.ArrayList<>();
        collect(n, out);
        double[] a = new double[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    private static void collect(JsonNode n, java.util.List<Double> out) {
        if (n.isArray()) {
            for (JsonNode c : n) {
                collect(c, out);
            }
        } else {
            out.add(n.asDouble());
        }
    }
}
