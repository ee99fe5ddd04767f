package io.gaussmix.bench.jmh.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.bench.BenchData;
import io.gaussmix.bench.FixedFit;
import io.gaussmix.bench.FlopModel;
import io.gaussmix.bench.PassTimer;
import io.gaussmix.bench.StartFile;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.NpyReader;
import io.gaussmix.io.NpyWriter;
import io.gaussmix.math.MixtureParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Java side of benchmarks/run-peers.sh. Subcommands (options as {@code --name value}):
 * <ul>
 *   <li>{@code prepare --dir DIR --n N --d D --k K [--seed 7] [--clusters overlapping|separated]}: writes
 *       DIR/data.npy (seeded mixture rows, overlapping clusters unless asked: {@link BenchData.Clusters})
 *       and DIR/start.json (the common start: k-means++ means from the seed, weights 1/K, covariances =
 *       data covariance + 1e-6 I), once; a second call with the same size and clusters does nothing.</li>
 *   <li>{@code gate --dir DIR --peer P --results F [--iters 5 --cap-s 600 --force]}: exit 0 = measure it;
 *       11 = already in F; 10 = skipped, because the peer's last smaller size predicts more than the cap
 *       (the "skipped" line is written to F).</li>
 *   <li>{@code run --dir DIR --peer P --results F [--iters 5 ...]}: measures a Java peer in process
 *       (gaussmix-cpu|opencl|cuda, gaussmix-pass-cpu|opencl|cuda, smile, commons-math, spark-rdd, spark-ml)
 *       and appends one line to F. Runs the gate first.</li>
 *   <li>{@code record --dir DIR --peer P --version V --results F --short-s A --long-s B --model M.json
 *       [--iters 5 --status ok --note TEXT]}: appends a line for a peer timed outside the JVM
 *       (scikit-learn, the gaussmix CLI), scoring M.json with gaussmix's scorer.</li>
 *   <li>{@code spark-opens}: prints Spark's --add-opens list for Java 17.</li>
 * </ul>
 * Timing protocol (every peer): an untimed warm-up fit on the first max(2000, 8*K*D) rows, a short fit of
 * {@value #SHORT} iterations and a long fit of {@value #SHORT} + iters iterations from the same start,
 * repeated up to {@value #PAIRS} times while the pairs take under {@value #PAIR_BUDGET_S} s (the pair with
 * the smallest difference counts); s/iter = (long - short) / iters, the marginal cost, free of fixed
 * costs (loading, set-up, init).
 * The log-likelihood is that of the long fit's parameters under gaussmix's own scorer.
 */
public final class PeerMain {
    /** Iterations of the short fit (Commons Math cannot run fewer than 2). */
    static final int SHORT = 2;
    /** Timed (short, long) pairs at most, while the pairs so far took less than PAIR_BUDGET_S. */
    static final int PAIRS = 3;
    static final double PAIR_BUDGET_S = 20;

    private PeerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: PeerMain prepare|gate|run|record|spark-opens [--option value ...]");
            System.exit(2);
        }
        Map<String, String> o = options(args);
        switch (args[0]) {
            case "prepare" -> prepare(o);
            case "gate" -> System.exit(gate(o));
            case "run" -> run(o);
            case "record" -> record(o);
            case "spark-opens" -> System.out.println(String.join(" ",
                    org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions().split("\\s+")));
            default -> {
                System.err.println("unknown subcommand " + args[0]);
                System.exit(2);
            }
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got " + args[i]);
            }
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                o.put(key, args[++i]);
            } else {
                o.put(key, "true");
            }
        }
        return o;
    }

    private static String req(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return v;
    }

    private static int intOpt(Map<String, String> o, String key, int dflt) {
        return o.containsKey(key) ? (int) Double.parseDouble(o.get(key)) : dflt;
    }

    // ---------------------------------------------------------------- prepare

    static void prepare(Map<String, String> o) throws IOException {
        Path dir = Path.of(req(o, "dir"));
        int n = intOpt(o, "n", 0);
        int d = intOpt(o, "d", 0);
        int k = intOpt(o, "k", 0);
        long seed = Long.parseLong(o.getOrDefault("seed", "7"));
        BenchData.Clusters clusters = BenchData.Clusters.valueOf(o.getOrDefault("clusters", "overlapping")
                .toUpperCase(Locale.ROOT));
        Path meta = dir.resolve("meta.json");
        String want = String.format(Locale.ROOT, "{\"n\":%d,\"d\":%d,\"k\":%d,\"seed\":%d,\"clusters\":\"%s\"}", n, d, k,
                seed, clusters.name().toLowerCase(Locale.ROOT));
        if (Files.exists(meta) && Files.readString(meta).trim().equals(want)
                && Files.exists(dir.resolve("data.npy")) && Files.exists(dir.resolve("start.json"))) {
            System.err.println("prepare: " + dir + " already holds N=" + n + " D=" + d + " K=" + k + ", " + clusters);
            return;
        }
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        Matrix x = BenchData.sample(n, d, k, seed, clusters);
        NpyWriter.write(dir.resolve("data.npy"), x);
        MixtureParams start = BenchData.peerStart(x, k, seed);
        StartFile.write(dir.resolve("start.json"), start);
        Files.writeString(meta, want + "\n");
        System.err.printf(Locale.ROOT, "prepare: N=%d D=%d K=%d written to %s in %.1f s%n", n, d, k, dir,
                (System.nanoTime() - t0) * 1e-9);
    }

    record Size(Path dir, int n, int d, int k) {
        static Size of(Map<String, String> o) throws IOException {
            Path dir = Path.of(req(o, "dir"));
            JsonNode m = Results.MAPPER.readTree(dir.resolve("meta.json").toFile());
            return new Size(dir, m.get("n").asInt(), m.get("d").asInt(), m.get("k").asInt());
        }

        double flops() {
            return FlopModel.passFlops(CovarianceType.FULL, n, d, k);
        }
    }

    // ---------------------------------------------------------------- gate

    /** 0 = go, 10 = skipped by prediction (line written), 11 = already measured. */
    static int gate(Map<String, String> o) throws IOException {
        Size s = Size.of(o);
        String peer = req(o, "peer");
        Path results = Path.of(req(o, "results"));
        int iters = intOpt(o, "iters", 5);
        double cap = Double.parseDouble(o.getOrDefault("cap-s", "600"));
        List<JsonNode> all = Results.read(results);
        JsonNode done = Results.find(all, peer, s.n, s.d, s.k);
        // "unavailable" and "failed" are retried on the next run (a backend or the CLI may have appeared since).
        String doneStatus = done == null ? "" : done.path("status").asText();
        if (done != null && !o.containsKey("force") && !doneStatus.equals("unavailable") && !doneStatus.equals("failed")) {
            System.err.println("gate: " + peer + " N=" + s.n + " D=" + s.d + " K=" + s.k + " already in " + results
                    + " (" + done.path("status").asText() + "); --force or FORCE=1 to redo");
            return 11;
        }
        // The largest smaller size this peer already has a verdict on.
        JsonNode prev = null;
        double prevFlops = 0;
        for (JsonNode r : all) {
            if (!peer.equals(r.path("peer").asText()) || r.path("status").asText().matches("unavailable|failed")) {
                continue;
            }
            double f = FlopModel.passFlops(CovarianceType.FULL, r.path("n").asInt(), r.path("d").asInt(), r.path("k").asInt());
            if (f < s.flops() && f > prevFlops) {
                prev = r;
                prevFlops = f;
            }
        }
        if (prev == null) {
            return 0;
        }
        String st = prev.path("status").asText();
        String reason = null;
        double predicted = Double.NaN;
        if (st.equals("skipped") || st.equals("timeout")) {
            predicted = prev.path("predicted_s").asDouble(Double.NaN) * s.flops() / prevFlops;
            reason = "a smaller size was already " + st;
        } else if (st.equals("ok") && prev.hasNonNull("per_iter_s")) {
            double scale = s.flops() / prevFlops;
            double perIter = prev.get("per_iter_s").asDouble() * scale;
            double fixed = Math.max(0, prev.path("fixed_s").asDouble(0)) * (double) s.n * s.d / (prev.get("n").asDouble() * prev.get("d").asDouble());
            predicted = perIter * (SHORT + SHORT + iters) + 2 * fixed;
            if (predicted > cap) {
                reason = "predicted from N=" + prev.get("n").asInt() + " D=" + prev.get("d").asInt();
            }
        }
        if (reason == null) {
            return 0;
        }
        ObjectNode line = Results.line(peer, prev.path("version").asText(""), s.n, s.d, s.k, "skipped");
        Results.putNumber(line, "predicted_s", predicted);
        line.put("note", String.format(Locale.ROOT, "skipped: predicted %s for %d+%d iterations (cap %.0f s; %s)",
                Double.isFinite(predicted) ? String.format(Locale.ROOT, "%.0f s", predicted) : "over the cap",
                SHORT, SHORT + iters, cap, reason));
        Results.append(results, line);
        System.err.println("gate: " + peer + " N=" + s.n + " D=" + s.d + ": " + line.get("note").asText());
        return 10;
    }

    // ---------------------------------------------------------------- run

    static Peer peer(String name) {
        return switch (name) {
            case "gaussmix-cpu" -> new GaussmixPeer(BackendType.CPU);
            case "gaussmix-opencl" -> new GaussmixPeer(BackendType.OPENCL);
            case "gaussmix-cuda" -> new GaussmixPeer(BackendType.CUDA);
            case "smile" -> new SmilePeer();
            case "commons-math" -> new CommonsMathPeer();
            case "spark-rdd" -> new SparkPeers.Rdd();
            case "spark-ml" -> new SparkPeers.DataFrame();
            default -> throw new IllegalArgumentException("unknown peer " + name);
        };
    }

    static void run(Map<String, String> o) throws Exception {
        int g = gate(o);
        if (g != 0) {
            return;
        }
        Size s = Size.of(o);
        String name = req(o, "peer");
        Path results = Path.of(req(o, "results"));
        int iters = intOpt(o, "iters", 5);
        Matrix x = NpyReader.read(s.dir.resolve("data.npy"), MissingValues.REJECT);
        MixtureParams start = StartFile.read(s.dir.resolve("start.json"));

        if (name.startsWith("gaussmix-pass-")) {
            BackendType t = BackendType.parse(name.substring("gaussmix-pass-".length()));
            ObjectNode line;
            try {
                // Warm-up on a prefix (JIT), then as many warm-up passes on all rows as the fits' warm-up
                // has iterations (the full-size kernels finish compiling), then the timed passes.
                PassTimer.time(t, BackendOptions.DEFAULT, x.rows() > 2000 ? x.rowRange(0, 2000) : x, start, 10, 1, null);
                PassTimer.Result r = PassTimer.time(t, BackendOptions.DEFAULT, x, start, SHORT + iters,
                        Math.max(iters, 5), null);
                line = Results.line(name, FixedFit.class.getPackage().getImplementationVersion() == null
                        ? "0.1.0-SNAPSHOT" : FixedFit.class.getPackage().getImplementationVersion(), s.n, s.d, s.k, "ok");
                line.put("per_iter_s", r.median());
                line.put("gflops", r.gflops());
                putExecuted(line, s, r.median(), x, start);
                line.put("note", "fused E+M pass only (bench code, median of " + r.seconds().length + "): " + r.backend());
            } catch (BackendUnavailableException e) {
                line = Results.line(name, "", s.n, s.d, s.k, "unavailable");
                line.put("note", firstLine(e.getMessage()));
            }
            Results.append(results, line);
            System.err.println("run: " + line);
            return;
        }

        Peer p;
        try {
            p = peer(name);
        } catch (BackendUnavailableException e) {
            ObjectNode line = Results.line(name, "", s.n, s.d, s.k, "unavailable");
            line.put("note", firstLine(e.getMessage()));
            Results.append(results, line);
            System.err.println("run: " + line);
            return;
        }
        try (p) {
            // Warm-up on a prefix, untimed: JIT compilation and lazy initialisation out of the way.
            // The prefix has at least 8*K*D rows so that no component of the start is starved of rows
            // (a peer without covariance regularisation would fail on a singular covariance).
            int warmRows = Math.min(x.rows(), Math.max(2000, 8 * s.k * s.d));
            Matrix warm = warmRows < x.rows() ? x.rowRange(0, warmRows) : x;
            p.load(warm);
            try {
                p.fit(start, SHORT);
            } catch (RuntimeException e) {
                System.err.println("warm-up fit failed (ignored): " + e);
            }
            if (warm != x) {
                p.load(x);
            }
            if (p.warmUpOnAllRows()) {
                // As long as the timed long fit: a short one can leave the JIT still compiling the
                // full-size kernels when the timed fits start, which inflated s/iter by up to 1.8x.
                p.fit(start, SHORT + iters);
            }
            // Up to PAIRS timed (short, long) pairs while they take under PAIR_BUDGET_S; the pair with the
            // smallest difference is kept: JIT compilation (a compiler thread competes with the workers
            // on few cores) and GC pauses only ever add time.
            double shortS = 0;
            double longS = Double.POSITIVE_INFINITY;
            double spent = 0;
            MixtureParams fin = null;
            for (int pair = 0; pair < PAIRS && (pair == 0 || spent < PAIR_BUDGET_S); pair++) {
                long t0 = System.nanoTime();
                p.fit(start, SHORT);
                double sh = (System.nanoTime() - t0) * 1e-9;
                t0 = System.nanoTime();
                fin = p.fit(start, SHORT + iters);
                double lo = (System.nanoTime() - t0) * 1e-9;
                spent += sh + lo;
                if (lo - sh < longS - shortS) {
                    shortS = sh;
                    longS = lo;
                }
            }
            int ran = p.iterationsRun();
            ObjectNode line = Results.line(name, p.version(), s.n, s.d, s.k, "ok");
            fill(line, s, iters, shortS, longS, fin, x, start, p.note());
            if (ran >= 0 && ran != SHORT + iters) {
                // The peer stopped on its own: the difference is not the cost of `iters` iterations.
                line.put("iterations_run", ran);
                line.remove("per_iter_s");
                line.remove("gflops");
                line.put("note", "stopped after " + ran + " of " + (SHORT + iters) + " iterations (no s/iter); "
                        + line.path("note").asText());
            }
            Results.append(results, line);
            System.err.println("run: " + line);
        } catch (RuntimeException | OutOfMemoryError e) {
            ObjectNode line = Results.line(name, "", s.n, s.d, s.k, "failed");
            line.put("note", "failed: " + e.getClass().getSimpleName() + ": " + firstLine(String.valueOf(e.getMessage())));
            Results.append(results, line);
            System.err.println("run: " + line);
            e.printStackTrace();
        }
    }

    static void fill(ObjectNode line, Size s, int iters, double shortS, double longS, MixtureParams fin, Matrix x,
                     MixtureParams start, String note) {
        double perIter = (longS - shortS) / iters;
        line.put("iters", iters);
        line.put("short_iters", SHORT);
        line.put("short_s", shortS);
        line.put("long_s", longS);
        line.put("per_iter_s", perIter);
        line.put("fixed_s", shortS - SHORT * perIter);
        Results.putNumber(line, "gflops", FlopModel.gflops(s.flops(), perIter));
        double ll = Double.NaN;
        try {
            putExecuted(line, s, perIter, x, fin);
        } catch (RuntimeException e) {
            // Unusable final parameters: reported below with the log-likelihood.
        }
        String extra = perIter > 0 ? "" : "; the long fit took no longer than the short one (timer noise at this size): "
                + "no s/iter";
        try {
            ll = FixedFit.model(fin).score(x);
        } catch (RuntimeException e) {
            extra = "; final parameters unusable: " + firstLine(String.valueOf(e.getMessage()));
        }
        Results.putNumber(line, "loglik", ll);
        Results.putNumber(line, "start_loglik", FixedFit.model(start).score(x));
        line.put("note", note + extra);
    }

    /**
     * The (row, component) pairs with a responsibility above 0 under p, per row, and the executed GFLOP/s
     * of gaussmix's CPU backend at that rate (it skips the statistics of the other pairs; the other peers
     * execute the nominal F whatever the data). Taken at the final parameters: EM converges towards them,
     * so the earlier iterations keep somewhat more pairs.
     */
    static void putExecuted(ObjectNode line, Size s, double perIter, Matrix x, MixtureParams p) {
        long kept = FlopModel.keptResponsibilities(x, p);
        line.put("kept_per_row", kept / (double) s.n);
        Results.putNumber(line, "executed_gflops",
                FlopModel.gflops(FlopModel.executedPassFlops(CovarianceType.FULL, s.n, s.d, s.k, kept), perIter));
    }

    // ---------------------------------------------------------------- record

    static void record(Map<String, String> o) throws IOException {
        Size s = Size.of(o);
        String name = req(o, "peer");
        Path results = Path.of(req(o, "results"));
        String status = o.getOrDefault("status", "ok");
        ObjectNode line = Results.line(name, o.getOrDefault("version", ""), s.n, s.d, s.k, status);
        if (!status.equals("ok")) {
            line.put("note", o.getOrDefault("note", status));
            if (o.containsKey("predicted-s")) {
                line.put("predicted_s", Double.parseDouble(o.get("predicted-s")));
            }
            Results.append(results, line);
            System.err.println("record: " + line);
            return;
        }
        int iters = intOpt(o, "iters", 5);
        Matrix x = NpyReader.read(s.dir.resolve("data.npy"), MissingValues.REJECT);
        MixtureParams start = StartFile.read(s.dir.resolve("start.json"));
        MixtureParams fin = StartFile.read(Path.of(req(o, "model")));
        fill(line, s, iters, Double.parseDouble(req(o, "short-s")), Double.parseDouble(req(o, "long-s")), fin, x,
                start, o.getOrDefault("note", ""));
        Results.append(results, line);
        System.err.println("record: " + line);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
