package io.gaussmix.cli;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.backend.Precision;
import io.gaussmix.bench.BenchData;
import io.gaussmix.bench.FlopModel;
import io.gaussmix.bench.PassTimer;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code gaussmix bench}: a quick, human-facing timing of the fused E+M pass on each backend for a
 * few sizes. It runs the same code as the JMH {@code PassBenchmark} ({@link BenchData} for the data
 * and parameters, {@link PassTimer.Session#pass} for the pass) but times with {@code System.nanoTime},
 * the median of R passes after a warm-up; use the JMH module (benchmarks/) for careful numbers.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Time one EM iteration's fused pass per backend on seeded synthetic data.",
                "Prints a table per backend (ms per pass and GFLOP/s under the FLOP model of benchmarks/README.md); "
                        + "a backend that cannot run here is skipped with the reason."})
public final class BenchCommand implements Callable<Integer> {
    /** The default sizes: a few seconds per backend on a 2-core machine. */
    private static final String DEFAULT_SIZES = "10000x16x8,100000x16x8,100000x64x8,100000x16x64";
    /** --quick: well under ten seconds on the CPU backend. */
    private static final String QUICK_SIZES = "5000x8x4,20000x16x8,20000x32x16";

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", split = ",", paramLabel = "cpu|opencl|cuda",
            description = "Backends to time, comma separated (default: ${DEFAULT-VALUE}).",
            defaultValue = "cpu,opencl,cuda")
    List<BackendType> backends;

    @Option(names = "--sizes", split = ",", paramLabel = "NxDxK",
            description = "Sizes as NxDxK, comma separated (default: " + DEFAULT_SIZES + "; with --quick: "
                    + QUICK_SIZES + ").")
    List<String> sizes;

    @Option(names = "--quick", description = "Smaller default sizes and fewer repeats.")
    boolean quick;

    @Option(names = "--covariance-type", paramLabel = "full|tied|diag|spherical", defaultValue = "full",
            description = "Covariance structure (default: ${DEFAULT-VALUE}).")
    CovarianceType covarianceType;

    @Option(names = "--precision", paramLabel = "float32|float64",
            description = "Arithmetic of the per-row pass (default: each backend's own; float32 also on the CPU).")
    Precision precision;

    @Option(names = "--repeats", paramLabel = "R", description = "Timed passes per size; the median is shown (default: 5, 3 with --quick).")
    Integer repeats;

    @Option(names = "--warmup", paramLabel = "W", description = "Untimed passes first (default: 2, 1 with --quick).")
    Integer warmup;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "0", description = "CPU threads (0 = all processors).")
    int threads;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the data and parameters (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quiet", description = "No progress bar on stderr.")
    boolean quiet;

    @Mixin
    DebugOption debug;

    /** One size to time. */
    record Size(int n, int d, int k) {
        static Size parse(String s, CommandLine cl) {
            String[] p = s.trim().toLowerCase(Locale.ROOT).split("x");
            if (p.length != 3) {
                throw new CommandLine.ParameterException(cl,
                        "a size is NxDxK, e.g. 100000x16x8, got '" + s + "'");
            }
            try {
                Size z = new Size(parseCount(p[0]), parseCount(p[1]), parseCount(p[2]));
                if (z.n < 1 || z.d < 1 || z.k < 1 || z.k > z.n) {
                    throw new NumberFormatException();
                }
                return z;
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(cl,
                        "a size is NxDxK with 1 <= K <= N, e.g. 100000x16x8 or 1e5x16x8, got '" + s + "'");
            }
        }

        private static int parseCount(String t) {
            double v = Double.parseDouble(t);
            if (v != Math.rint(v) || v > Integer.MAX_VALUE) {
                throw new NumberFormatException(t);
            }
            return (int) v;
        }

        @Override
        public String toString() {
            return n + "x" + d + "x" + k;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CovarianceType type = covarianceType;
        int r = repeats != null ? repeats : (quick ? 3 : 5);
        int w = warmup != null ? warmup : (quick ? 1 : 2);
        if (r < 1 || w < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--repeats must be >= 1 and --warmup >= 0");
        }
        List<Size> grid = new ArrayList<>();
        for (String s : sizes != null ? sizes : List.of((quick ? QUICK_SIZES : DEFAULT_SIZES).split(","))) {
            grid.add(Size.parse(s, spec.commandLine()));
        }
        List<BackendType> types = List.copyOf(new java.util.LinkedHashSet<>(backends));
        if (types.contains(BackendType.AUTO)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--backend auto cannot be timed: name the "
                    + "backends (cpu, opencl, cuda)");
        }
        BackendOptions options = new BackendOptions(0, precision, threads);

        Progress bar = new Progress(err, grid.size() * types.size() * (r + w), !quiet);
        Map<BackendType, List<String>> rows = new LinkedHashMap<>();
        Map<BackendType, String> skipped = new LinkedHashMap<>();
        Map<BackendType, String> described = new LinkedHashMap<>();
        for (BackendType t : types) {
            rows.put(t, new ArrayList<>());
        }
        for (Size z : grid) {
            Matrix x = BenchData.sample(z.n, z.d, z.k);
            MixtureParams p = BenchData.passParams(x, type, z.k, seed);
            for (BackendType t : types) {
                int base = bar.done;
                if (skipped.containsKey(t)) {
                    bar.set(base + r + w, t.id() + " skipped");
                    continue;
                }
                try {
                    bar.set(base, t.id() + " " + z);
                    PassTimer.Result res = PassTimer.time(t, options, x, p, w, r,
                            i -> bar.set(base + i, t.id() + " " + z));
                    described.putIfAbsent(t, res.backend());
                    rows.get(t).add(String.format(Locale.ROOT, "%9d %5d %6d %10.3f %10.3f %9.2f %14.6f",
                            z.n, z.d, z.k, res.median() * 1e3, res.min() * 1e3, res.gflops(), res.meanLogLik()));
                } catch (BackendUnavailableException e) {
                    skipped.put(t, oneLine(e.getMessage()));
                    bar.set(base + r + w, t.id() + " skipped");
                }
            }
        }
        bar.finish();

        out.printf(Locale.ROOT, "gaussmix bench: %s covariance, median of %d passes after %d warm-up (%s per pass)%n",
                type.id(), r, w, FlopModel.describe(type));
        for (BackendType t : types) {
            out.println();
            if (skipped.containsKey(t) && rows.get(t).isEmpty()) {
                out.println(t.id() + ": skipped: " + skipped.get(t));
                continue;
            }
            out.println(t.id() + ": " + described.getOrDefault(t, t.id()));
            out.println("        N     D      K  ms/pass(med)   ms(min)   GFLOP/s   mean log-lik");
            for (String line : rows.get(t)) {
                out.println(line);
            }
        }
        out.flush();
        return skipped.size() == types.size() ? 2 : 0;
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "unavailable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A one-line progress bar on stderr, redrawn with a carriage return. */
    static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final boolean enabled;
        private final long t0 = System.nanoTime();
        int done;

        Progress(PrintWriter err, int total, boolean enabled) {
            this.err = err;
            this.total = Math.max(total, 1);
            this.enabled = enabled;
        }

        void set(int value, String label) {
            done = Math.min(value, total);
            if (!enabled) {
                return;
            }
            int width = 30;
            int filled = (int) ((long) done * width / total);
            String b = "#".repeat(filled) + " ".repeat(width - filled);
            err.printf(Locale.ROOT, "\r[%s] %3d%% %5.1fs %-28s", b, 100L * done / total,
                    (System.nanoTime() - t0) * 1e-9, label.length() > 28 ? label.substring(0, 28) : label);
            err.flush();
        }

        void finish() {
            if (enabled) {
                set(total, "done");
                err.println();
                err.flush();
            }
        }
    }
}
