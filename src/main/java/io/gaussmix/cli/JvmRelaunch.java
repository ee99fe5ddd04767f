package io.gaussmix.cli;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Precision;
import io.gaussmix.backend.SignalChaining;
import io.gaussmix.io.NpyReader;

import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Gives a plain {@code java -jar gaussmix.jar} what {@code bin/gaussmix} sets up: the Vector API kernels
 * ({@code --add-modules jdk.incubator.vector}) and the JVM's signal chaining ({@code LD_PRELOAD} of
 * libjsig, see {@link SignalChaining}), by running the command once more in a child JVM that has them.
 *
 * <p>Why a second JVM: both must be in place when the JVM starts. No jar-manifest attribute adds a
 * module ({@code Add-Opens}/{@code Add-Exports} only open modules already resolved, and a
 * {@code Launcher-Agent-Class} runs after the boot layer is fixed), and libjsig must interpose
 * {@code sigaction} before the JVM installs its handlers. The relaunch costs one JVM start-up (0.06 to
 * 0.15 s on a 2-core machine) and happens only for commands that run kernels, only when something is
 * missing.
 *
 * <p>The two processes behave as one: stdin, stdout and stderr are inherited, the child's exit code is
 * the parent's, SIGTERM/SIGINT of the parent (its shutdown hook) terminate the child, and the child
 * halts by itself when the parent dies in any way (kill -9 included), so that no orphaned fit replaces
 * an output file later.
 */
final class JvmRelaunch {
    /** Set in the child to the parent's pid: the child never relaunches and watches that process. */
    static final String PARENT_PID = "GAUSSMIX_PARENT_PID";

    /** Commands whose work runs on a backend's kernels (and may build OpenCL kernels). */
    private static final Set<String> KERNEL_COMMANDS = Set.of("fit", "select", "bench", "score", "predict", "impute");
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    /**
     * JIT options of a kernel command's JVM: the child's here, and {@code bin/gaussmix}'s, which must list the same (a
     * test compares them). C2 compiles the float64 CPU kernels after 2% of the calls and loop iterations it would
     * otherwise wait for, so that the background warm-up ({@link io.gaussmix.backend.cpu.KernelWarmUp}) gets them
     * compiled while the data load instead of during the first EM pass: on 2 cores iteration 1 took 0.29 s instead of
     * 0.77 and the whole fit 2.28 s instead of 2.66 at N = 2e5, D = 64, K = 8 (N = 1e6, D = 16: 0.25 instead of
     * 0.45 s, 1.97 instead of 2.26; benchmarks/RESULTS.md, "Issue 12, round 4"). Only these classes: with the whole
     * package scaled, the float32 kernels ({@code Float32Triangular}), compiled that early, ran a fit 3x slower in 4
     * of 9 processes (their tiles' stores after the loop compiled as boxing calls), where at the default thresholds
     * and with these four alone none of 40 processes did (18 float32, 22 float64, at D = 16, 64 and 100). Only the
     * compile time moves: every result keeps its bits (the kernels give the same bits at every tier).
     * {@code Tier4BackEdgeThreshold}, 25x its default for every method (so 20,000 loop iterations for these four): C2
     * compiled the kernels' long loops twice, on-stack while a call was running and then whole (0.49 CPU s of on-stack
     * compiles in a D = 64 fit, 0.21 s with it); now their calls reach the whole-method threshold first. Iteration 1
     * then took 0.17 s instead of 0.38 at D = 64 and 0.16 instead of 0.31 at D = 16, and a float32 D = 64 fit 1.97 s
     * instead of 2.24; a loop of the command's own code still goes on-stack after a million iterations, a few
     * milliseconds (a 60-row, D = 2000 fit measured the same). {@code quiet}: without it the JVM prints each command
     * on stdout, which is data for some commands.
     */
    static final List<String> JIT_OPTIONS = List.of("-XX:CompileCommand=quiet",
            "-XX:CompileCommand=CompileThresholdScaling,io.gaussmix.backend.cpu.VectorTriangular::*,0.02",
            "-XX:CompileCommand=CompileThresholdScaling,io.gaussmix.backend.cpu.LaneStatistics::*,0.02",
            "-XX:CompileCommand=CompileThresholdScaling,io.gaussmix.backend.cpu.VectorExp::*,0.02",
            "-XX:CompileCommand=CompileThresholdScaling,io.gaussmix.backend.cpu.TriangularPass::*,0.02",
            "-XX:Tier4BackEdgeThreshold=1000000");
    /**
     * More JIT options of a fit's JVM (fit, select; also in {@code bin/gaussmix}): C1 compiles a method after 20x the
     * calls it would otherwise wait for (the four kernel classes above, scaled, after 80). A fit's start-up runs much
     * code a few hundred to a few thousand times (picocli, reading the start model's JSON, the JDK's own start-up),
     * which C1 then compiled for little use: 1,400 C1 compiles in the first 0.8 s, 0.48 CPU s, with C2 compiling the
     * kernels beside them on 2 cores. A fit of N = 2e5, D = 64, K = 8 took 1.98 s instead of 2.11 (3.6 CPU s instead
     * of 3.9), N = 1e6, D = 16 1.67 instead of 1.80 (benchmarks/RESULTS.md, "Issue 12, round 5"). Not for score and
     * predict, which start no kernel warm-up: their one pass then ran 0.1 s longer (0.77 s instead of 0.66), its
     * code longer interpreted.
     */
    static final List<String> FIT_JIT_OPTIONS = List.of("-XX:Tier3InvocationThreshold=4000",
            "-XX:Tier3MinInvocationThreshold=2000", "-XX:Tier3CompileThreshold=40000");
    /** How often the child checks that its parent is alive. */
    private static final long WATCH_MILLIS = 100;
    /** How long the parent's shutdown hook waits for the terminated child before killing it. */
    private static final long STOP_SECONDS = 10;

    private JvmRelaunch() {
    }

    /**
     * Whether the command is a fit (fit, select): long enough on the CPU that compiling the kernels
     * in the background while it reads its data pays ({@link io.gaussmix.backend.cpu.KernelWarmUp}).
     */
    static boolean fits(String[] args) {
        String command = Main.commandName(args);
        return command.equals("fit") || command.equals("select");
    }

    /** Whether this command, in this JVM, runs slower or less safely than it would in a relaunched one. */
    static boolean needed(String[] args) {
        String command = Main.commandName(args);
        if (!KERNEL_COMMANDS.contains(command) || System.getenv(PARENT_PID) != null) {
            return false;
        }
        return vectorModuleMissing() || SignalChaining.missing() && !cpuOnly(args);
    }

    /** Whether the Vector API module exists in this runtime but was not added at start-up. */
    static boolean vectorModuleMissing() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()
                && ModuleFinder.ofSystem().find(VECTOR_MODULE).isPresent();
    }

    /** Whether the arguments pin the run to the CPU backend (which builds no OpenCL kernels). */
    static boolean cpuOnly(String[] args) {
        return "cpu".equals(optionValue(args, "--backend"));
    }

    /** Whether the arguments say {@code --precision float32} (the background warm-up's kernels). */
    static boolean asksFloat32(String[] args) {
        String value = optionValue(args, "--precision");
        try {
            return value != null && Precision.parse(value) == Precision.FLOAT32;
        } catch (IllegalArgumentException e) {
            return false;   // picocli reports it
        }
    }

    /**
     * Whether the fit may run the triangular (FULL, TIED) kernels that the background warm-up compiles: not
     * when {@code --covariance-type} (fit) or {@code --covariance-types} (select) names only DIAG or
     * SPHERICAL (a fit from a diagonal {@code --init-model} without the option still warms up: a hint only).
     */
    static boolean mayRunTriangularKernels(String[] args) {
        String types = optionValue(args, "--covariance-type");
        if (types == null) {
            types = optionValue(args, "--covariance-types");
        }
        if (types == null) {
            return true;
        }
        for (String t : types.split(",")) {
            try {
                CovarianceType type = CovarianceType.parse(t.trim());
                if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                return false;   // picocli reports it
            }
        }
        return false;
    }

    /** Options of fit and select whose value may be an .npy file other than the data. */
    private static final Set<String> NPY_VALUED_OPTIONS = Set.of("--weights", "--init-labels");

    /**
     * The column count of the data file when it is an .npy (the first argument that names one and is
     * not an option's value), for the background warm-up; empty when there is none or it cannot be read.
     */
    static OptionalInt npyColumns(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (NPY_VALUED_OPTIONS.contains(args[i])) {
                i++;
            } else if (!args[i].startsWith("-") && args[i].toLowerCase(Locale.ROOT).endsWith(".npy")) {
                return NpyReader.columns(Path.of(args[i]));
            }
        }
        return OptionalInt.empty();
    }

    /**
     * The value of {@code --name v} or {@code --name=v}, the first given, or null: a first look at the
     * arguments before picocli parses them (which fails a command that repeats the option).
     */
    private static String optionValue(String[] args, String name) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith(name + "=")) {
                return args[i].substring(name.length() + 1);
            }
            if (args[i].equals(name) && i + 1 < args.length) {
                return args[i + 1];
            }
        }
        return null;
    }

    /** Runs the command in a child JVM with what this one lacks; returns the child's exit code. */
    static int run(String[] args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(childCommand(args)).inheritIO();
        if (SignalChaining.missing()) {
            String preload = System.getenv("LD_PRELOAD");
            pb.environment().put("LD_PRELOAD", SignalChaining.library() + (preload == null ? "" : ":" + preload));
        }
        pb.environment().put(PARENT_PID, Long.toString(ProcessHandle.current().pid()));
        Process child = pb.start();
        // SIGTERM, SIGINT (and System.exit) run the hooks: the child stops with us.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(child), "gaussmix-stop-child"));
        return child.waitFor();
    }

    static List<String> childCommand(String[] args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JIT_OPTIONS);
        if (fits(args)) {
            cmd.addAll(FIT_JIT_OPTIONS);
        }
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (vectorModuleMissing()) {
            cmd.add("--add-modules=" + VECTOR_MODULE);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void stop(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
        }
    }

    /**
     * In a relaunched child: halts this JVM as soon as the parent that started it is gone. Polling
     * {@link ProcessHandle#parent()} (the child is re-parented when its parent dies) because
     * {@code onExit()} of a process that is not one's own child polls too, at intervals growing to 5 s.
     */
    static void watchParentIfChild() {
        String parent = System.getenv(PARENT_PID);
        if (parent == null) {
            return;
        }
        long expected;
        try {
            expected = Long.parseLong(parent.trim());
        } catch (NumberFormatException e) {
            return;
        }
        Thread watch = new Thread(() -> {
            while (true) {
                Optional<ProcessHandle> p = ProcessHandle.current().parent();
                if (p.isEmpty() || p.get().pid() != expected || !p.get().isAlive()) {
                    System.err.println("gaussmix: the launching process " + expected + " ended; stopping");
                    // halt, not exit: nothing may be written after the user stopped the command.
                    Runtime.getRuntime().halt(ErrorHandler.FAILURE);
                }
                try {
                    Thread.sleep(WATCH_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "gaussmix-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
