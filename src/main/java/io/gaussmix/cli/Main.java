package io.gaussmix.cli;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.InitMethod;
import io.gaussmix.WeightPrior;
import io.gaussmix.backend.Precision;
import io.gaussmix.io.ModelJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code gaussmix} command: fits, scores and samples Gaussian mixture models from the shell.
 * Subcommands: fit, score, predict, sample, select, impute, kl, convert, devices, bench (and help).
 *
 * <p>Exit codes: 0 on success, 2 for a usage error (bad or missing arguments), 1 for any other
 * failure. Every error is one line on stderr, {@code gaussmix: error: <message>}; the hidden option
 * {@code --debug} adds the stack trace.
 */
@Command(name = "gaussmix", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Gaussian mixture models fitted by EM on the CPU, OpenCL or CUDA.")
public final class Main implements Runnable {
    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(FitCommand.class, ScoreCommand.class,
            PredictCommand.class, SampleCommand.class, SelectCommand.class, ImputeCommand.class, KlCommand.class,
            ConvertCommand.class, DevicesCommand.class, BenchCommand.class, CommandLine.HelpCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debug;

    /**
     * Entry point: runs the command line and exits with its status. A plain {@code java -jar} first
     * runs the command in a child JVM with the Vector API and signal chaining ({@link JvmRelaunch}).
     */
    public static void main(String[] args) throws Exception {
        JvmRelaunch.watchParentIfChild();
        if (JvmRelaunch.needed(args)) {
            System.exit(JvmRelaunch.run(args));
        }
        if (JvmRelaunch.fits(args) && JvmRelaunch.mayRunTriangularKernels(args)) {
            io.gaussmix.backend.cpu.KernelWarmUp.startInBackground(JvmRelaunch.asksFloat32(args),
                    JvmRelaunch.npyColumns(args));
        }
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line in-process with the given streams (for tests and embedding).
     *
     * @return the exit code: 0 success, 1 failure, 2 usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        System.setProperty("java.awt.headless", "true");
        PrintWriter outWriter = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CommandLine cl = commandLine(args);
        cl.setOut(outWriter);
        cl.setErr(errWriter);
        ErrorHandler handler = new ErrorHandler(hasDebug(args));
        cl.setParameterExceptionHandler(handler);
        cl.setExecutionExceptionHandler(handler);
        Inputs.takeNotes(); // none left over from an earlier run on this thread
        try {
            int code = cl.execute(args);
            List<String> notes = Inputs.takeNotes();
            if (code == 0 && !has(args, "--quiet")) {
                notes.forEach(note -> errWriter.println("gaussmix: note: " + note));
            }
            return code;
        } catch (OutOfMemoryError e) {
            // picocli passes Errors through; what the heap could not hold is released by now.
            errWriter.println("gaussmix: error: out of memory (the JVM's heap is "
                    + io.gaussmix.io.Memory.text(Runtime.getRuntime().maxMemory())
                    + "): run java with a larger heap, e.g. java -Xmx8g -jar gaussmix.jar (bin/gaussmix: GAUSSMIX_JAVA_OPTS=-Xmx8g)");
            return ErrorHandler.FAILURE;
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /** The configured picocli command tree with every subcommand, with converters for the engine's enums. */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command tree for these arguments: when the first one that is not an option names a subcommand (other than
     * help, which needs the others), only that one is registered. picocli builds each subcommand's model from its
     * annotations by reflection when it is registered, and the ten of them took 0.14 s of a cold JVM's start, the
     * named one alone 0.10 s; what the command parses, runs and prints is the same.
     */
    static CommandLine commandLine(String[] args) {
        String named = commandName(args);
        CommandLine cl = new CommandLine(new Main());
        SUBCOMMANDS.stream()
                .filter(c -> c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(named))
                .findFirst()
                .ifPresentOrElse(cl::addSubcommand, () -> SUBCOMMANDS.forEach(cl::addSubcommand));
        // Enums without a parse method of their own (MissingPolicy, ModelSelection.Criterion): bic = BIC.
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(CovarianceType.class, converter(CovarianceType::parse));
        cl.registerConverter(InitMethod.class, converter(InitMethod::parse));
        cl.registerConverter(BackendType.class, converter(BackendType::parse));
        cl.registerConverter(Precision.class, converter(Precision::parse));
        cl.registerConverter(WeightPrior.class, converter(WeightPrior::parse));
        return cl;
    }

    /** The subcommand's name: the first argument that is not an option ("" when there is none). */
    static String commandName(String[] args) {
        return Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
    }

    private static <T> CommandLine.ITypeConverter<T> converter(Function<String, T> parse) {
        return s -> {
            try {
                return parse.apply(s);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        };
    }

    private static boolean hasDebug(String[] args) {
        return has(args, "--debug");
    }

    /** Whether {@code option} is among the options (before any "--"). */
    private static boolean has(String[] args, String option) {
        for (String a : args) {
            if ("--".equals(a)) {
                return false;
            }
            if (option.equals(a)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: one of fit, score, predict, sample, select, impute, kl, devices, bench");
    }

    /** The version line of {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gaussmix " + ModelJson.GAUSSMIX_VERSION + " (Java " + System.getProperty("java.version")
                    + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")"};
        }
    }
}
