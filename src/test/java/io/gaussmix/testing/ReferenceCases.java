package io.gaussmix.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gaussmix.data.Matrix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * scikit-learn 1.2.1's reference fits (copied from shared/reference into test resources, with the
 * script that made them): datasets, starting models and results after 15 EM iterations.
 */
public final class ReferenceCases {
    private static final String ROOT = "/reference/";
    private static JsonNode root;

    private ReferenceCases() {
    }

    public static synchronized JsonNode json() {
        if (root == null) {
            try (InputStream in = ReferenceCases.class.getResourceAsStream(ROOT + "reference.json")) {
                root = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /** Every entry of "cases". */
    public static List<JsonNode> cases() {
        List<JsonNode> out = new ArrayList<>();
        json().get("cases").forEach(out::add);
        return out;
    }

    /** A reference dataset (a headerless CSV of float64 values printed with 17 digits). */
    public static Matrix dataset(String file) {
        List<double[]> rows = new ArrayList<>();
        try (InputStream in = ReferenceCases.class.getResourceAsStream(ROOT + file);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    String[] cells = line.split(",");
                    double[] row = new double[cells.length];
                    for (int i = 0; i < cells.length; i++) {
                        row[i] = Double.parseDouble(cells[i].trim());
                    }
                    rows.add(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Matrix.of(rows.toArray(new double[0][]));
    }

    /** A JSON array of any nesting, flattened row-major. */
    public static double[] flat(JsonNode node) {
        List<Double> out = new ArrayList<>();
        flatten(node, out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void flatten(JsonNode node, List<Double> out) {
        if (node.isArray()) {
            node.forEach(n -> flatten(n, out));
        } else {
            out.add(node.asDouble());
        }
    }

    /** A JSON array of arrays as double[][]. */
    public static double[][] rows(JsonNode node) {
        double[][] out = new double[node.size()][];
        for (int i = 0; i < node.size(); i++) {
            out[i] = flat(node.get(i));
        }
        return out;
    }
}
