package io.gaussmix.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM's signal chaining ({@code libjsig.so}). Some OpenCL implementations compile kernels with LLVM
 * inside the process (PoCL does), and LLVM installs its own SIGSEGV/SIGBUS handlers while compiling,
 * replacing the JVM's. The JVM raises SIGSEGV on purpose (safepoint polls, implicit null checks), so
 * the next one kills the process. With {@code libjsig.so} preloaded the JVM keeps its handlers and
 * chains to the others. {@code bin/gaussmix}, the CLI and the tests preload it; embedding applications
 * start the JVM with {@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so}.
 */
public final class SignalChaining {
    private SignalChaining() {
    }

    /** The JVM's signal-chaining library, or null where this JVM has none (not Linux, or not a HotSpot layout). */
    public static Path library() {
        Path p = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
        return Files.isRegularFile(p) ? p : null;
    }

    /** Whether libjsig is loaded into this process (read from /proc/self/maps; false where that is unreadable). */
    public static boolean active() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("libjsig.so");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether a native library that installs signal handlers could crash this JVM: libjsig exists but is not loaded. */
    public static boolean missing() {
        return library() != null && !active();
    }
}
