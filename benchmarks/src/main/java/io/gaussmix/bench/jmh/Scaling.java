package io.gaussmix.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.bench.BenchData;
import io.gaussmix.bench.PassTimer;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the CPU backend's time per pass grows with N, D and K: three sweeps around a base size, each
 * varying one of them, timed with {@link PassTimer} (the bench code). One JSON line per point is
 * appended to the output file as soon as it is measured; points already there are not re-run.
 * {@link #fit} fits a power law t = c * x^b per sweep and {@code PeerReport} flags departures.
 *
 * <p>Usage: {@code Scaling --out scaling.jsonl [--base 100000x16x8] [--cov full] [--repeats 5]}.
 * The sweeps: N = base/8 .. base*8 (x2 steps, capped at 1e6), D = 4 .. 128 (x2; base D included),
 * K = 2 .. 64 (x2).
 */
public final class Scaling {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Scaling() {
    }

    public static void main(String[] args) throws IOException {
        Path out = null;
        int n = 100_000;
        int d = 16;
        int k = 8;
        int repeats = 5;
        double maxSeconds = 30;
        CovarianceType type = CovarianceType.FULL;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--base" -> {
                    String[] p = args[++i].toLowerCase(Locale.ROOT).split("x");
                    n = (int) Double.parseDouble(p[0]);
                    d = Integer.parseInt(p[1]);
                    k = Integer.parseInt(p[2]);
                }
                case "--cov" -> type = CovarianceType.parse(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--max-pass-s" -> maxSeconds = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out FILE is required");
        }
        List<int[]> points = new ArrayList<>();
        for (int f = n / 8; f <= Math.min(n * 8L, 1_000_000L); f *= 2) {
            points.add(new int[]{'n', f, d, k});
        }
        for (int dd = 4; dd <= 128; dd *= 2) {
            points.add(new int[]{'d', n, dd, k});
        }
        if (Integer.bitCount(d) != 1) {
            points.add(new int[]{'d', n, d, k});
        }
        for (int kk = 2; kk <= 64; kk *= 2) {
            points.add(new int[]{'k', n, d, kk});
        }
        List<JsonNode> done = read(out);
        for (int[] p : points) {
            String sweep = String.valueOf((char) p[0]);
            if (find(done, sweep, p[1], p[2], p[3], type) != null) {
                continue;
            }
            Matrix x = BenchData.sample(p[1], p[2], p[3]);
            MixtureParams params = BenchData.passParams(x, type, p[3], 7);
            // One untimed pass tells whether this point fits the per-pass budget.
            PassTimer.Result probe = PassTimer.time(BackendType.CPU, BackendOptions.DEFAULT, x, params, 1, 1, null);
            ObjectNode line = MAPPER.createObjectNode();
            line.put("sweep", sweep);
            line.put("n", p[1]);
            line.put("d", p[2]);
            line.put("k", p[3]);
            line.put("cov", type.id());
            if (probe.median() > maxSeconds) {
                line.put("status", "skipped");
                line.put("note", String.format(Locale.ROOT, "one pass took %.1f s (> %.0f s budget)", probe.median(), maxSeconds));
            } else {
                PassTimer.Result r = PassTimer.time(BackendType.CPU, BackendOptions.DEFAULT, x, params, 2, repeats, null);
                line.put("status", "ok");
                line.put("seconds", r.median());
                line.put("min_seconds", r.min());
                line.put("gflops", r.gflops());
                line.put("backend", r.backend());
            }
            Files.writeString(out, MAPPER.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.err.println("scaling: " + line);
        }
    }

    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (file != null && Files.exists(file)) {
            for (String s : Files.readAllLines(file)) {
                if (!s.isBlank()) {
                    out.add(MAPPER.readTree(s));
                }
            }
        }
        return out;
    }

    static JsonNode find(List<JsonNode> all, String sweep, int n, int d, int k, CovarianceType type) {
        for (JsonNode r : all) {
            if (sweep.equals(r.path("sweep").asText()) && r.path("n").asInt() == n && r.path("d").asInt() == d
                    && r.path("k").asInt() == k && type.id().equals(r.path("cov").asText())) {
                return r;
            }
        }
        return null;
    }

    /**
     * Least-squares fit of log t = log c + b log x.
     *
     * @return {c, b}
     */
    public static double[] fit(double[] x, double[] t) {
        int m = x.length;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < m; i++) {
            double lx = Math.log(x[i]);
            double ly = Math.log(t[i]);
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
        }
        double b = (m * sxy - sx * sy) / (m * sxx - sx * sx);
        double a = (sy - b * sx) / m;
        return new double[]{Math.exp(a), b};
    }
}
