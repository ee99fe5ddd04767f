package io.gaussmix.cli;

import io.gaussmix.backend.SignalChaining;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Started as plain {@code java -jar gaussmix.jar} for a command that may compile OpenCL kernels, the
 * CLI runs itself again, once, with the JVM's signal chaining preloaded (see {@link SignalChaining}):
 * without it an OpenCL compiler that installs signal handlers (PoCL's LLVM) can crash the JVM.
 * {@code bin/gaussmix} preloads it already, so it never relaunches.
 */
final class SignalChainingRelaunch {
    /** Set in the relaunched process, so it never relaunches again. */
    static final String MARKER = "GAUSSMIX_SIGNAL_CHAINING";

    /** Commands that open a backend (and so may build OpenCL kernels). */
    private static final Set<String> DEVICE_COMMANDS = Set.of("fit", "select", "bench");

    private SignalChainingRelaunch() {
    }

    /** Whether these arguments may build OpenCL kernels in a JVM that lacks signal chaining. */
    static boolean needed(String[] args) {
        return args.length > 0 && DEVICE_COMMANDS.contains(args[0]) && !cpuOnly(args)
                && System.getenv(MARKER) == null && SignalChaining.missing();
    }

    /** Whether the arguments pin the run to the CPU backend. */
    static boolean cpuOnly(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--backend=cpu") || args[i].equals("--backends=cpu")
                    || ((args[i].equals("--backend") || args[i].equals("--backends")) && i + 1 < args.length
                    && args[i + 1].equals("cpu"))) {
                return true;
            }
        }
        return false;
    }

    /** Runs this CLI again with the same JVM options and arguments, libjsig preloaded; returns its exit code. */
    static int relaunch(String[] args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        String preload = System.getenv("LD_PRELOAD");
        pb.environment().put("LD_PRELOAD", SignalChaining.library() + (preload == null ? "" : ":" + preload));
        pb.environment().put(MARKER, "1");
        return pb.start().waitFor();
    }
}
