package io.gaussmix.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitListener;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.backend.Availability;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.backend.Backends;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.AtomicFiles;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.ModelJson;
import io.gaussmix.io.NpyReader;
import io.gaussmix.io.NpyWriter;
import io.gaussmix.math.MixtureParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The Java side of the prepared GPU run ({@code benchmarks/gpu/run.sh}, which the GPU machine runs
 * without Maven, through {@code .device/java.sh io.gaussmix.bench.GpuRun ...}):
 * <pre>
 *   prepare DIR NxDxK TYPE       DIR/data.npy (float64, overlapping clusters) and DIR/start.json, the
 *                                common start of every peer (means = random rows, weights 1/K, the
 *                                data covariance in TYPE's shape)
 *   probe                        the CUDA provider's own probe, then opening the backend (PTX JIT)
 *   measure DIR BACKEND OUT.json [--iters M] [--passes R] [--warmup W] [--precision P]
 *                                pass timings (median of R, fewer if slow, after W warm-ups; and the same pass on
 *                                {@value #FIXED_ROWS} rows: the fixed cost), then a fit of exactly M
 *                                iterations from the start, its model written next to OUT.json
 * </pre>
 * Pass times are the wall time of {@link Backend#accumulate}, which is synchronous (it returns the
 * reduced statistics): kernels plus the parameter upload, the reduction and the download. CUDA events
 * around the kernels alone would need a hook inside the backend.
 *
 * <p>Fit iterations are timed from {@link FitListener#onIteration} (each E+M iteration: pass, host
 * M-step, the float32 guard); the median skips the first iteration, as every peer's does.
 */
public final class GpuRun {
    /** Rows of the small pass whose time stands for the per-pass fixed cost. */
    static final int FIXED_ROWS = 4096;
    /** The CUDA backend's choice of tiled kernel (io.gaussmix.backend.cuda.TiledKernel), passed with -D. */
    private static final String TILED_KERNEL_PROPERTY = "gaussmix.cuda.tiledKernel";
    /** The CUDA backend's choice of float32 DIAG/SPHERICAL kernel (io.gaussmix.backend.cuda.DiagKernel). */
    private static final String DIAG_KERNEL_PROPERTY = "gaussmix.cuda.diagKernel";
    /** Seconds of timed passes per measurement at most (see {@link #timePasses}). */
    static final double PASS_BUDGET_S = 10;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GpuRun() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args));
    }

    /** Runs one command; the exit status: 0 done, 2 bad arguments, 3 the backend is unavailable here. */
    static int run(String... args) throws IOException {
        try {
            if (args.length == 0) {
                throw new UsageError("no command");
            }
            List<String> rest = Arrays.asList(args).subList(1, args.length);
            return switch (args[0]) {
                case "prepare" -> prepare(rest);
                case "probe" -> probe();
                case "measure" -> measure(rest);
                default -> throw new UsageError("unknown command '" + args[0] + "'");
            };
        } catch (IllegalArgumentException e) {   // a usage error, or a bad backend, precision or type name
            System.err.println("GpuRun: " + e.getMessage() + (e instanceof UsageError ? "; usage: prepare DIR NxDxK TYPE"
                    + " | probe | measure DIR BACKEND OUT.json [--iters M] [--passes R] [--warmup W] [--precision P]" : ""));
            return 2;
        } catch (RuntimeException e) {
            // The trace for the log, then one line last: run.sh shows a failed step's last line.
            e.printStackTrace();
            System.err.println("GpuRun " + args[0] + " failed: " + e);
            return 1;
        }
    }

    /** A command line GpuRun cannot run: reported as one line with the usage. */
    static final class UsageError extends IllegalArgumentException {
        UsageError(String message) {
            super(message);
        }
    }

    // ---------------------------------------------------------------------------------- prepare

    private static int prepare(List<String> a) throws IOException {
        if (a.size() != 3) {
            throw new UsageError("prepare takes DIR NxDxK TYPE");
        }
        Path dir = Path.of(a.get(0));
        int[] ndk = parseSize(a.get(1));
        CovarianceType type = CovarianceType.parse(a.get(2));
        long t0 = System.nanoTime();
        int n = ndk[0];
        int d = ndk[1];
        int k = ndk[2];
        long seed = 42L + 1_000_003L * n + 1009L * d + k;
        Matrix x = BenchData.sample(n, d, Math.min(k, 16), seed, BenchData.Clusters.OVERLAPPING);
        MixtureParams start = BenchData.passParams(x, type, k, seed + 1);
        Files.createDirectories(dir);
        NpyWriter.write(dir.resolve("data.npy"), x);
        StartFile.write(dir.resolve("start.json"), start);
        ObjectNode c = JSON.createObjectNode();
        c.put("n", n).put("d", d).put("k", k).put("type", type.id()).put("seed", seed).put("clusters", "overlapping");
        writeJson(dir.resolve("case.json"), c);
        System.out.printf(Locale.ROOT, "prepared %s: %dx%dx%d %s in %.1f s%n", dir, n, d, k, type.id(),
                (System.nanoTime() - t0) * 1e-9);
        return 0;
    }

    static int[] parseSize(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split("x");
        if (p.length != 3) {
            throw new UsageError("a size is NxDxK, e.g. 1e6x64x16, got '" + s + "'");
        }
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            double x;
            try {
                x = Double.parseDouble(p[i]);
            } catch (NumberFormatException e) {
                x = 0;
            }
            if (x < 1 || x != Math.rint(x) || x > Integer.MAX_VALUE) {
                throw new UsageError("a size is NxDxK of positive integers, got '" + s + "'");
            }
            v[i] = (int) x;
        }
        return v;
    }

    // ------------------------------------------------------------------------------------ probe

    /** Prints what the CUDA provider itself reports, then opens device 0 once; 3 when CUDA cannot run. */
    private static int probe() {
        System.out.println("java " + System.getProperty("java.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " processors, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        Availability a = Backends.provider(BackendType.CUDA).availability();
        System.out.println("cuda provider: " + (a.available() ? "available" : "unavailable: " + a.reason()));
        if (!a.available()) {
            return 3;
        }
        for (int i = 0; i < a.devices().size(); i++) {
            System.out.println("  device " + i + ": " + a.devices().get(i));
        }
        long t0 = System.nanoTime();
        try (Backend b = Backends.open(BackendType.CUDA, BackendOptions.DEFAULT, System.out::println)) {
            System.out.printf(Locale.ROOT, "opened %s in %.2f s (module load and PTX JIT included)%n",
                    b.description(), (System.nanoTime() - t0) * 1e-9);
        }
        return 0;
    }

    // ---------------------------------------------------------------------------------- measure

    private static int measure(List<String> a) throws IOException {
        if (a.size() < 3) {
            throw new UsageError("measure takes DIR BACKEND OUT.json [options]");
        }
        Path dir = Path.of(a.get(0));
        BackendType backend = BackendType.parse(a.get(1));
        Path out = Path.of(a.get(2));
        int iters = 5;
        int passes = 10;
        int warmup = 3;
        Precision precision = null;
        for (int i = 3; i < a.size(); i += 2) {
            if (i + 1 >= a.size()) {
                throw new UsageError("option " + a.get(i) + " needs a value");
            }
            String v = a.get(i + 1);
            switch (a.get(i)) {
                case "--iters" -> iters = count(a.get(i), v, 1);
                case "--passes" -> passes = count(a.get(i), v, 0);
                case "--warmup" -> warmup = count(a.get(i), v, 0);
                case "--precision" -> precision = Precision.parse(v);
                default -> throw new UsageError("unknown option " + a.get(i));
            }
        }
        Matrix x = NpyReader.read(dir.resolve("data.npy"), MissingValues.REJECT);
        MixtureParams start = StartFile.read(dir.resolve("start.json"));
        ObjectNode r = JSON.createObjectNode();
        r.put("backend", backend.id());
        r.put("n", x.rows()).put("d", x.cols()).put("k", start.components()).put("type", start.type().id());
        r.put("credited_flops", FlopModel.passFlops(CovarianceType.of(start.type()), x.rows(), x.cols(), start.components()));
        r.put("credited_model", FlopModel.describe(CovarianceType.of(start.type())));
        if (backend == BackendType.CUDA) {
            CovarianceType type = CovarianceType.of(start.type());
            // The backend runs the second and third tiled kernels only where they fit (CudaKernelWork#passFlopsV2).
            String tiled = System.getProperty(TILED_KERNEL_PROPERTY, "v1").trim().toLowerCase(Locale.ROOT);
            boolean v3 = tiled.equals("v3") && precision != Precision.FLOAT64
                    && start.components() <= CudaKernelWork.V3_MAX_COMPONENTS;
            boolean v2 = tiled.equals("v2") && precision != Precision.FLOAT64
                    && start.components() <= CudaKernelWork.V2_MAX_COMPONENTS;
            boolean diagTiled = "tiled".equalsIgnoreCase(System.getProperty(DIAG_KERNEL_PROPERTY, "simple").trim())
                    && precision != Precision.FLOAT64 && (type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL);
            r.put("tiled_kernel", v3 ? "v3" : v2 ? "v2" : "v1");
            r.put("diag_kernel", diagTiled ? "tiled" : "simple");
            r.put("executed_flops", diagTiled ? CudaKernelWork.passFlopsDiagTiled(x.rows(), x.cols(), start.components())
                    : v3 ? CudaKernelWork.passFlopsV3(type, x.rows(), x.cols(), start.components())
                    : v2 ? CudaKernelWork.passFlopsV2(type, x.rows(), x.cols(), start.components())
                    : CudaKernelWork.passFlops(type, x.rows(), x.cols(), start.components()));
            r.put("executed_model", diagTiled ? CudaKernelWork.describeDiagTiled() : v3 ? CudaKernelWork.describeV3()
                    : v2 ? CudaKernelWork.describeV2() : CudaKernelWork.describe());
        }
        BackendOptions options = new BackendOptions(0, precision, 0);
        try {
            if (passes > 0) {
                r.set("pass", timePasses(backend, options, x, start, warmup, passes));
                if (x.rows() > FIXED_ROWS) {
                    r.set("fixed", timePasses(backend, options, x.rowRange(0, FIXED_ROWS), start, warmup, passes));
                }
            }
            r.set("fit", timeFit(x, start, backend, precision, iters, out));
        } catch (BackendUnavailableException e) {
            r.put("unavailable", e.getMessage());
            writeJson(out, r);
            System.out.println(backend.id() + ": unavailable: " + e.getMessage());
            return 3;
        }
        writeJson(out, r);
        JsonNode pass = r.path("pass");
        JsonNode fit = r.path("fit");
        System.out.printf(Locale.ROOT, "%s %dx%dx%d %s: pass %s ms (fixed %s ms), fit %.4g s/iteration, lower bound %.8f (%s)%n",
                backend.id(), x.rows(), x.cols(), start.components(), start.type().id(),
                pass.has("median_s") ? String.format(Locale.ROOT, "%.3f", 1e3 * pass.get("median_s").asDouble()) : "-",
                r.has("fixed") ? String.format(Locale.ROOT, "%.3f", 1e3 * r.get("fixed").get("median_s").asDouble()) : "-",
                fit.get("median_iteration_s").asDouble(), fit.get("lower_bound").asDouble(), fit.get("description").asText());
        return 0;
    }

    private static int count(String option, String value, int min) {
        try {
            int v = Integer.parseInt(value);
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageError(option + " needs an integer >= " + min + ", got '" + value + "'");
    }

    /**
     * Warm-up passes, then up to {@code repeats} timed ones, but no more than fit in
     * {@value #PASS_BUDGET_S} s by the last warm-up's time (at least 3): a kernel far slower than
     * expected then still leaves the fit its share of the step's time box.
     */
    private static ObjectNode timePasses(BackendType backend, BackendOptions options, Matrix x, MixtureParams p,
                                         int warmup, int repeats) {
        PassTimer.Result res;
        try (PassTimer.Session s = new PassTimer.Session(backend, options, x)) {
            PassTimer.Result last = PassTimer.time(s, x.rows(), p, Math.max(warmup - 1, 0), 1, null);
            int r = (int) Math.max(Math.min(repeats, Math.floor(PASS_BUDGET_S / last.median())), Math.min(3, repeats));
            res = PassTimer.time(s, x.rows(), p, 0, r, null);
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("description", res.backend());
        o.put("rows", x.rows()).put("warmup", Math.max(warmup, 1)).put("repeats", res.seconds().length);
        o.put("median_s", res.median()).put("min_s", res.min()).put("mean_log_lik", res.meanLogLik());
        ArrayNode all = o.putArray("seconds");
        for (double s : res.seconds()) {
            all.add(s);
        }
        o.put("timing", "wall time of Backend.accumulate (synchronous), after warm-up");
        return o;
    }

    private static ObjectNode timeFit(Matrix x, MixtureParams start, BackendType backend, Precision precision,
                                      int iters, Path out) throws IOException {
        List<Long> elapsed = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        FitListener listener = new FitListener() {
            @Override
            public void onIteration(IterationEvent e) {
                elapsed.add(e.elapsedNanos());
            }

            @Override
            public void onNote(String message) {
                notes.add(message);
            }
        };
        long t0 = System.nanoTime();
        GaussianMixtureModel m = FixedFit.fit(x, FixedFit.model(start), backend, precision, iters, 1e-6, listener);
        double total = (System.nanoTime() - t0) * 1e-9;
        Path modelFile = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + "-model.json");
        ModelJson.write(modelFile, m);
        double[] per = new double[elapsed.size()];
        for (int i = 0; i < per.length; i++) {
            per[i] = (elapsed.get(i) - (i == 0 ? 0 : elapsed.get(i - 1))) * 1e-9;
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("description", m.summary().backend());
        o.put("iterations", m.summary().iterations());
        o.put("total_s", total);
        o.put("median_iteration_s", medianAfterFirst(per));
        ArrayNode it = o.putArray("iteration_s");
        for (double s : per) {
            it.add(s);
        }
        o.put("lower_bound", m.summary().lowerBound());
        o.put("model", modelFile.getFileName().toString());
        ArrayNode n = o.putArray("notes");
        notes.forEach(n::add);
        return o;
    }

    /** Median of the values after the first (which carries warm-up costs); of all when there is one. */
    static double medianAfterFirst(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        return PassTimer.median(v.length == 1 ? v : Arrays.copyOfRange(v, 1, v.length));
    }

    private static void writeJson(Path file, ObjectNode node) throws IOException {
        AtomicFiles.write(file, o -> o.write(JSON.writeValueAsBytes(node)));
    }
}
