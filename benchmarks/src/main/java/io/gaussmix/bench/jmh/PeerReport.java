package io.gaussmix.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes benchmarks/RESULTS.md and its PNG charts (XChart) from the comparison's JSONL results and the
 * CPU scaling sweeps. Options: {@code --results peers.jsonl --scaling scaling.jsonl --out RESULTS.md
 * --charts DIR [--label TEXT] [--machine TEXT] [--command TEXT] [--jmh TABLE.md] [--append A.md,B.md]}.
 */
public final class PeerReport {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A point departing from its sweep's fitted power law by more than this is flagged. */
    static final double DEPARTURE = 0.30;

    private static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("gaussmix-cpu", "gaussmix cpu (library fit)");
        NAMES.put("gaussmix-pass-cpu", "gaussmix cpu, fused pass only (bench code)");
        NAMES.put("gaussmix-cli", "gaussmix CLI (whole process, cpu)");
        NAMES.put("gaussmix-opencl", "gaussmix opencl (library fit)");
        NAMES.put("gaussmix-pass-opencl", "gaussmix opencl, fused pass only");
        NAMES.put("gaussmix-cuda", "gaussmix cuda (library fit)");
        NAMES.put("gaussmix-pass-cuda", "gaussmix cuda, fused pass only");
        NAMES.put("sklearn", "scikit-learn");
        NAMES.put("smile", "Smile");
        NAMES.put("commons-math", "Apache Commons Math");
        NAMES.put("spark-rdd", "Spark MLlib, RDD API");
        NAMES.put("spark-ml", "Spark ML, DataFrame API");
    }

    private PeerReport() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path out = Path.of(o.getOrDefault("out", "RESULTS.md"));
        Path charts = Path.of(o.getOrDefault("charts", "results"));
        Files.createDirectories(charts);
        String rel = out.toAbsolutePath().getParent().relativize(charts.toAbsolutePath()).toString();
        List<JsonNode> rows = latest(read(o.get("results")));
        List<JsonNode> scaling = read(o.get("scaling"));

        StringBuilder md = new StringBuilder();
        md.append("# gaussmix benchmark results\n\n");
        if (o.containsKey("label")) {
            md.append("> **").append(o.get("label")).append("**\n\n");
        }
        md.append("- Machine: ").append(o.getOrDefault("machine", "(not recorded)")).append('\n');
        boolean gpu = rows.stream().anyMatch(r -> r.path("peer").asText().equals("gaussmix-cuda") && ok(r));
        md.append(gpu ? "- GPU: the gaussmix cuda rows ran on the GPU their note names; every other figure is from this machine's CPU\n"
                : "- GPU: none; no figure here comes from a GPU machine (the CUDA rows say why they did not run)\n");
        md.append("- Date: ").append(o.getOrDefault("date", java.time.ZonedDateTime.now().toString())).append('\n');
        if (o.containsKey("versions")) {
            md.append("- Versions: ").append(o.get("versions")).append('\n');
        }
        if (o.containsKey("command")) {
            md.append("- Command: `").append(o.get("command")).append("`\n");
        }
        md.append("\nProtocol: same data (seeded mixture, `BenchData`), same start for every peer that accepts one "
                + "(k-means++ means from seed 7, weights 1/K, covariances = data covariance + 1e-6 I, in `start.json`), "
                + "full covariance, float64. Each peer fits 2 iterations, then 2 + iters iterations, from that start, "
                + "after an untimed warm-up fit on the first max(2000, 8*K*D) rows (gaussmix and Spark: then one on all rows, "
                + "as long as the timed one); the (short, long) pair is timed up to 3 times while the pairs take under 20 s "
                + "and the pair with the smallest difference counts; **s/iter = (long - short) / iters**, the marginal cost "
                + "per EM iteration without fixed costs (loading, JVM/Spark start-up, scikit-learn's init estimate). "
                + "\"ratio\" = peer s/iter / gaussmix-cpu s/iter (> 1: gaussmix is faster). "
                + "\"mean log-lik\" = the peer's final parameters (after 2 + iters iterations) scored by gaussmix's own "
                + "`GaussianMixtureModel.score`; the same EM from the same start should agree to ~1e-6. "
                + "GFLOP/s uses F = 2*N*K*D^2 per iteration (README.md): a nominal rate. gaussmix's CPU backend skips the "
                + "statistics update of a (row, component) whose responsibility is exactly 0, so on well-separated "
                + "data its nominal rate exceeds the arithmetic it executes: its rows also give the executed rate "
                + "(N*K + kept pairs) * D^2 per iteration, with the pairs kept at the final parameters "
                + "(`FlopModel.executedPassFlops`). The data are overlapping clusters (component means about 3 "
                + "standard deviations apart, random covariances: `BenchData.Clusters.OVERLAPPING`) unless the "
                + "label says otherwise.\n\n");
        md.append("Tribuo's GMM is not compared: it is not released on Maven Central (it exists only on Tribuo's main "
                + "branch), so it is not built here.\n\n");

        // ---- per-size tables
        Set<String> sizes = new LinkedHashSet<>();
        rows.sort((a, b) -> Double.compare(flops(a), flops(b)));
        for (JsonNode r : rows) {
            sizes.add(key(r));
        }
        summary(md, rows, sizes);
        for (String size : sizes) {
            List<JsonNode> at = new ArrayList<>();
            for (JsonNode r : rows) {
                if (key(r).equals(size)) {
                    at.add(r);
                }
            }
            at.sort((a, b) -> Integer.compare(order(a.path("peer").asText()), order(b.path("peer").asText())));
            JsonNode first = at.get(0);
            md.append(String.format(Locale.ROOT, "## N=%s, D=%d, K=%d, full, float64\n\n",
                    human(first.get("n").asInt()), first.get("d").asInt(), first.get("k").asInt()));
            double ref = Double.NaN;
            double refLl = Double.NaN;
            for (JsonNode r : at) {
                if (r.path("peer").asText().equals("gaussmix-cpu") && ok(r)) {
                    ref = r.get("per_iter_s").asDouble();
                    refLl = r.path("loglik").asDouble(Double.NaN);
                }
            }
            md.append("| peer (version) | s/iter | ratio vs gaussmix-cpu | mean log-lik (gaussmix scorer) | GFLOP/s (gaussmix cpu: nominal / executed) | iterations | note |\n");
            md.append("|---|---|---|---|---|---|---|\n");
            for (JsonNode r : at) {
                String peer = r.path("peer").asText();
                String name = NAMES.getOrDefault(peer, peer);
                String ver = r.path("version").asText("");
                md.append("| ").append(name).append(ver.isEmpty() ? "" : " " + ver).append(" | ");
                if (ok(r)) {
                    double s = r.get("per_iter_s").asDouble();
                    md.append(String.format(Locale.ROOT, "%.4g | %s | %s | %s | %s | ", s,
                            Double.isFinite(ref) ? String.format(Locale.ROOT, "%.2f", s / ref) : "n/a",
                            r.hasNonNull("loglik") ? String.format(Locale.ROOT, "%.6f", r.get("loglik").asDouble()) : "n/a",
                            rate(r),
                            r.has("iters") ? (r.path("short_iters").asInt() + " / " + (r.path("short_iters").asInt()
                                    + r.path("iters").asInt())) : "pass"));
                } else if ("ok".equals(r.path("status").asText()) && r.hasNonNull("loglik")) {
                    // Ran, but no usable s/iter (stopped early, or timer noise): the log-likelihood still counts.
                    md.append(String.format(Locale.ROOT, "— | — | %.6f | — | %s | ", r.get("loglik").asDouble(),
                            r.has("iterations_run") ? r.path("short_iters").asInt() + " / " + r.get("iterations_run").asInt()
                                    + " (asked " + (r.path("short_iters").asInt() + r.path("iters").asInt()) + ")"
                                    : r.path("short_iters").asInt() + " / " + (r.path("short_iters").asInt() + r.path("iters").asInt())));
                } else {
                    md.append("— | — | — | — | — | ");
                }
                String note = r.path("note").asText("").replace("|", "/");
                if ("ok".equals(r.path("status").asText()) && r.hasNonNull("loglik") && Double.isFinite(refLl)
                        && Math.abs(r.get("loglik").asDouble() - refLl) > 1e-4 * Math.abs(refLl) + 1e-6) {
                    note = String.format(Locale.ROOT, "**final log-lik differs from gaussmix's by %+.4g** (not the same EM result); ",
                            r.get("loglik").asDouble() - refLl) + note;
                }
                md.append(note).append(" |\n");
            }
            for (JsonNode r : at) {
                if (r.hasNonNull("start_loglik")) {
                    md.append(String.format(Locale.ROOT, "\nStart mean log-lik: %.6f.%n",
                            r.get("start_loglik").asDouble()));
                    break;
                }
            }
            md.append('\n');
        }

        // ---- charts: time per iteration vs N (one chart per D), GFLOP/s vs D
        TreeSet<Integer> ds = new TreeSet<>();
        for (JsonNode r : rows) {
            if (ok(r)) {
                ds.add(r.get("d").asInt());
            }
        }
        if (!ds.isEmpty()) {
            md.append("## Charts\n\n");
        }
        for (int d : ds) {
            XYChart c = chart("Time per EM iteration vs N (D=" + d + ", full, float64)", "N (rows)", "seconds per iteration");
            c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
            for (String peer : peers(rows)) {
                TreeMap<Double, Double> pts = new TreeMap<>();
                for (JsonNode r : rows) {
                    if (ok(r) && r.get("d").asInt() == d && r.path("peer").asText().equals(peer)) {
                        pts.put(r.get("n").asDouble(), r.get("per_iter_s").asDouble());
                    }
                }
                add(c, NAMES.getOrDefault(peer, peer), pts);
            }
            String f = "time-vs-n-d" + d + ".png";
            save(c, charts.resolve(f));
            md.append("![time per iteration vs N, D=").append(d).append("](").append(rel).append('/').append(f).append(")\n\n");
        }
        if (ds.size() > 0) {
            XYChart c = chart("GFLOP/s vs D (largest N measured per peer; F = 2*N*K*D^2)", "D (features)", "GFLOP/s");
            // Linear axes: the grid has few D values within one decade, which a log axis would leave unlabelled.
            c.getStyler().setYAxisMin(0.0);
            for (String peer : peers(rows)) {
                TreeMap<Double, Double> pts = new TreeMap<>();
                TreeMap<Double, Double> bestN = new TreeMap<>();
                for (JsonNode r : rows) {
                    if (ok(r) && r.path("peer").asText().equals(peer) && r.path("gflops").asDouble() > 0) {
                        double d = r.get("d").asDouble();
                        double n = r.get("n").asDouble();
                        if (n >= bestN.getOrDefault(d, 0.0)) {
                            bestN.put(d, n);
                            pts.put(d, r.get("gflops").asDouble());
                        }
                    }
                }
                add(c, NAMES.getOrDefault(peer, peer), pts);
            }
            save(c, charts.resolve("gflops-vs-d.png"));
            md.append("![GFLOP/s vs D](").append(rel).append("/gflops-vs-d.png)\n\n");
        }

        // ---- scaling
        if (!scaling.isEmpty()) {
            md.append("## Scaling of the CPU backend (fused pass, bench code)\n\n").append(measured(o.get("scaling")));
            md.append("Each sweep varies one of N, D, K around the base size and fits t = c * x^b by least squares "
                    + "in log-log space. Expected: b = 1 for N and K, b = 2 for D (full covariance; the O(N K D) "
                    + "and O(N K) terms pull it below 2 at small D). Points more than "
                    + Math.round(DEPARTURE * 100) + "% from the fitted law are flagged. The CPU backend runs its plain "
                    + "kernels below N*K*D^2 = 2^26 and its Vector API kernels above (`CpuBackend.VECTOR_MIN_WORK`), "
                    + "so the small sizes of a sweep sit on a slower curve: departures across that boundary are the "
                    + "kernel switch, and the growth within one kernel family is the one to compare with the "
                    + "expected exponent.\n\n");
            for (String sweep : new String[]{"n", "d", "k"}) {
                List<JsonNode> pts = new ArrayList<>();
                for (JsonNode r : scaling) {
                    if (sweep.equals(r.path("sweep").asText()) && "ok".equals(r.path("status").asText())) {
                        pts.add(r);
                    }
                }
                pts.sort((a, b) -> Double.compare(a.get(sweep).asDouble(), b.get(sweep).asDouble()));
                if (pts.size() < 2) {
                    continue;
                }
                double[] x = new double[pts.size()];
                double[] t = new double[pts.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = pts.get(i).get(sweep).asDouble();
                    t[i] = pts.get(i).get("seconds").asDouble();
                }
                double[] ct = Scaling.fit(x, t);
                JsonNode p0 = pts.get(0);
                String fixed = switch (sweep) {
                    case "n" -> "D=" + p0.get("d").asInt() + ", K=" + p0.get("k").asInt();
                    case "d" -> "N=" + human(p0.get("n").asInt()) + ", K=" + p0.get("k").asInt();
                    default -> "N=" + human(p0.get("n").asInt()) + ", D=" + p0.get("d").asInt();
                };
                String expected = sweep.equals("d") ? (p0.path("cov").asText().matches("full|tied") ? "2" : "1") : "1";
                md.append(String.format(Locale.ROOT, "### t vs %s (%s, %s): fitted exponent b = %.2f (expected %s)%n%n",
                        sweep.toUpperCase(Locale.ROOT), fixed, p0.path("cov").asText(), ct[1], expected));
                md.append("| ").append(sweep.toUpperCase(Locale.ROOT))
                        .append(" | ms/pass (median) | power law (ms) | departure | GFLOP/s | flag |\n|---|---|---|---|---|---|\n");
                XYChart c = chart("CPU pass time vs " + sweep.toUpperCase(Locale.ROOT) + " (" + fixed + ")",
                        sweep.toUpperCase(Locale.ROOT), "seconds per pass");
                c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
                TreeMap<Double, Double> meas = new TreeMap<>();
                TreeMap<Double, Double> law = new TreeMap<>();
                for (int i = 0; i < x.length; i++) {
                    double pred = ct[0] * Math.pow(x[i], ct[1]);
                    double dev = t[i] / pred - 1;
                    meas.put(x[i], t[i]);
                    law.put(x[i], pred);
                    md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %+.0f%% | %.2f | %s |%n",
                            human((int) x[i]), t[i] * 1e3, pred * 1e3, dev * 100,
                            pts.get(i).path("gflops").asDouble(), Math.abs(dev) > DEPARTURE ? "**departs**" : ""));
                }
                for (JsonNode r : scaling) {
                    if (sweep.equals(r.path("sweep").asText()) && !"ok".equals(r.path("status").asText())) {
                        md.append("| ").append(human(r.get(sweep).asInt())).append(" | — | — | — | — | ")
                                .append(r.path("note").asText()).append(" |\n");
                    }
                }
                add(c, "measured", meas);
                XYSeries s = add(c, String.format(Locale.ROOT, "fit: b = %.2f", ct[1]), law);
                if (s != null) {
                    s.setMarker(SeriesMarkers.NONE);
                }
                String f = "scaling-" + sweep + ".png";
                save(c, charts.resolve(f));
                md.append("\n![scaling in ").append(sweep.toUpperCase(Locale.ROOT)).append("](").append(rel).append('/')
                        .append(f).append(")\n\n");
            }
        }

        if (o.containsKey("jmh") && Files.exists(Path.of(o.get("jmh")))) {
            md.append("## JMH quick profile\n\n").append(measured(o.get("jmh")))
                    .append(Files.readString(Path.of(o.get("jmh")))).append('\n');
        }
        // Sections other scripts wrote (e.g. run-missing.sh), appended as they are.
        for (String extra : o.getOrDefault("append", "").split(",")) {
            if (!extra.isBlank() && Files.exists(Path.of(extra))) {
                md.append('\n').append(Files.readString(Path.of(extra))).append('\n');
            }
        }
        Files.writeString(out, md.toString());
        System.err.println("wrote " + out + " and charts in " + charts);
    }

    /** Peers in the summary, with how gaussmix's CPU backend is compared with them. */
    private static final String[] SUMMARY_PEERS = {"sklearn", "smile", "commons-math", "spark-rdd", "spark-ml"};

    /**
     * One line per size: gaussmix-cpu's s/iter (library and whole CLI process) and each peer's s/iter divided
     * by it, marked when the peer's final log-likelihood is not the exact EM's (a fast wrong answer).
     */
    private static void summary(StringBuilder md, List<JsonNode> rows, Set<String> sizes) {
        md.append("## Summary: how many times faster gaussmix's CPU backend is, per EM iteration\n\n");
        md.append("Peer s/iter divided by gaussmix-cpu's (library fit) s/iter; in brackets the same for the whole "
                + "`java -jar gaussmix.jar fit` process. \u2020 = the peer's final log-likelihood is not the exact EM's "
                + "(see its table). Goals (issues 2 and 5): at least 2x scikit-learn (10x at D=16, 4x at D=64) and "
                + "20x every Java peer.\n\n");
        md.append("| size | gaussmix-cpu s/iter |");
        for (String p : SUMMARY_PEERS) {
            md.append(' ').append(NAMES.getOrDefault(p, p)).append(" |");
        }
        md.append("\n|---|---|").append("---|".repeat(SUMMARY_PEERS.length)).append('\n');
        for (String size : sizes) {
            JsonNode cpu = find(rows, size, "gaussmix-cpu");
            JsonNode cli = find(rows, size, "gaussmix-cli");
            if (cpu == null || !ok(cpu)) {
                continue;
            }
            double ref = cpu.get("per_iter_s").asDouble();
            double refLl = cpu.path("loglik").asDouble(Double.NaN);
            md.append(String.format(Locale.ROOT, "| N=%s, D=%d | %.4g |", human(cpu.get("n").asInt()),
                    cpu.get("d").asInt(), ref));
            for (String p : SUMMARY_PEERS) {
                JsonNode r = find(rows, size, p);
                if (r == null || !ok(r)) {
                    md.append(" \u2014 |");
                    continue;
                }
                double t = r.get("per_iter_s").asDouble();
                boolean wrong = r.hasNonNull("loglik") && Double.isFinite(refLl)
                        && Math.abs(r.get("loglik").asDouble() - refLl) > 1e-4 * Math.abs(refLl) + 1e-6;
                md.append(String.format(Locale.ROOT, " %.1fx", t / ref));
                if (p.equals("sklearn") && cli != null && ok(cli)) {
                    md.append(String.format(Locale.ROOT, " (%.1fx)", t / cli.get("per_iter_s").asDouble()));
                }
                md.append(wrong ? " \u2020 |" : " |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    /** The nominal GFLOP/s, and for gaussmix's CPU rows the executed one after a slash. */
    private static String rate(JsonNode r) {
        String nominal = String.format(Locale.ROOT, "%.2f", r.path("gflops").asDouble(Double.NaN));
        String peer = r.path("peer").asText();
        boolean cpu = peer.equals("gaussmix-cpu") || peer.equals("gaussmix-pass-cpu") || peer.equals("gaussmix-cli");
        return cpu && r.hasNonNull("executed_gflops")
                ? nominal + String.format(Locale.ROOT, " / %.2f", r.get("executed_gflops").asDouble()) : nominal;
    }

    private static JsonNode find(List<JsonNode> rows, String size, String peer) {
        for (JsonNode r : rows) {
            if (key(r).equals(size) && r.path("peer").asText().equals(peer)) {
                return r;
            }
        }
        return null;
    }

    private static List<JsonNode> read(String file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (file == null || !Files.exists(Path.of(file))) {
            return out;
        }
        for (String s : Files.readAllLines(Path.of(file))) {
            if (!s.isBlank()) {
                out.add(MAPPER.readTree(s));
            }
        }
        return out;
    }

    /** The last line per (peer, size). */
    private static List<JsonNode> latest(List<JsonNode> all) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode r : all) {
            m.put(r.path("peer").asText() + "@" + key(r), r);
        }
        return new ArrayList<>(m.values());
    }

    private static String key(JsonNode r) {
        return r.path("n").asInt() + "x" + r.path("d").asInt() + "x" + r.path("k").asInt();
    }

    private static double flops(JsonNode r) {
        return r.path("n").asDouble() * r.path("k").asDouble() * Math.pow(r.path("d").asDouble(), 2) + r.path("n").asDouble() * 1e-9;
    }

    private static boolean ok(JsonNode r) {
        return "ok".equals(r.path("status").asText()) && r.hasNonNull("per_iter_s") && r.get("per_iter_s").asDouble() > 0;
    }

    private static int order(String peer) {
        int i = 0;
        for (String p : NAMES.keySet()) {
            if (p.equals(peer)) {
                return i;
            }
            i++;
        }
        return i;
    }

    private static List<String> peers(List<JsonNode> rows) {
        TreeSet<String> s = new TreeSet<>((a, b) -> order(a) != order(b) ? Integer.compare(order(a), order(b)) : a.compareTo(b));
        for (JsonNode r : rows) {
            if (ok(r)) {
                s.add(r.path("peer").asText());
            }
        }
        return new ArrayList<>(s);
    }

    static String human(int n) {
        if (n >= 1000 && n % 1000 == 0) {
            int e = 0;
            int m = n;
            while (m % 10 == 0) {
                m /= 10;
                e++;
            }
            return m == 1 ? "1e" + e : (m + "e" + e);
        }
        return String.valueOf(n);
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        c.getStyler().setMarkerSize(8);
        return c;
    }

    private static XYSeries add(XYChart c, String name, TreeMap<Double, Double> pts) {
        if (pts.isEmpty()) {
            return null;
        }
        double[] xs = new double[pts.size()];
        double[] ys = new double[pts.size()];
        int i = 0;
        for (Map.Entry<Double, Double> e : pts.entrySet()) {
            xs[i] = e.getKey();
            ys[i++] = e.getValue();
        }
        return c.addSeries(name, xs, ys);
    }

    private static void save(XYChart c, Path file) throws IOException {
        if (c.getSeriesMap().isEmpty()) {
            return;
        }
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** When a section's input was last written: the scaling sweeps and JMH are not re-run with the peers. */
    private static String measured(String file) throws IOException {
        return "Measured " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
                .format(Files.getLastModifiedTime(Path.of(file)).toInstant()) + ".\n\n";
    }
}
