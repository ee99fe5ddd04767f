package io.gaussmix.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gaussmix.CovarianceType;
import io.gaussmix.bench.FlopModel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result file ({@code -rf json -rff FILE}) into a markdown table with the time per
 * op and the GFLOP/s of the FLOP model: a pass is {@code FlopModel.passFlops}, a fit is that times
 * {@code iterations}, score/predict half a pass (the Mahalanobis term only).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.gaussmix.bench.jmh.JmhReport results.json [out.md]}
 */
public final class JmhReport {
    private JmhReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JmhReport JMH_RESULT.json [OUT.md]");
            System.exit(2);
        }
        JsonNode root = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        StringBuilder sb = new StringBuilder();
        sb.append("| benchmark | backend | N | D | K | cov | precision | time/op (ms) | ± (ms) | GFLOP/s |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode r : root) {
            String name = r.get("benchmark").asText();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            JsonNode p = r.path("params");
            int n = p.path("n").asInt();
            int d = p.path("d").asInt();
            int k = p.path("k").asInt();
            CovarianceType type = CovarianceType.parse(p.path("covariance").asText("full"));
            JsonNode m = r.get("primaryMetric");
            double ms = toMillis(m.get("score").asDouble(), m.get("scoreUnit").asText());
            double err = toMillis(m.path("scoreError").asDouble(Double.NaN), m.get("scoreUnit").asText());
            double flops = FlopModel.passFlops(type, n, d, k);
            if (name.startsWith("FitBenchmark")) {
                flops *= p.path("iterations").asInt(1);
            } else if (name.startsWith("ScoreBenchmark")) {
                flops *= 0.5;
            }
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %s | %s | %.3f | %.3f | %.2f |%n",
                    name, p.path("backend").asText("cpu"), n, d, k, type.id(), p.path("precision").asText("float64"),
                    ms, err, FlopModel.gflops(flops, ms / 1e3)));
        }
        PrintStream out = System.out;
        out.print(sb);
        if (args.length > 1) {
            Files.writeString(Path.of(args[1]), sb.toString());
        }
    }

    private static double toMillis(double v, String unit) {
        Map<String, Double> f = Map.of("ns/op", 1e-6, "us/op", 1e-3, "ms/op", 1.0, "s/op", 1e3);
        Double scale = f.get(unit);
        if (scale == null) {
            throw new IllegalArgumentException("unexpected JMH unit " + unit + " (run with -bm avgt)");
        }
        return v * scale;
    }

}
