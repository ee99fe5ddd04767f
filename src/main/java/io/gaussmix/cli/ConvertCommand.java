package io.gaussmix.cli;

import io.gaussmix.io.CsvToNpy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code gaussmix convert}: a CSV file of any size into a {@code .npy} file, with constant memory. */
@Command(name = "convert", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Convert a CSV file of any size into a .npy file, with constant memory.",
                "float64, or float32 with --float32; .npy is the format large data are read from in windows.",
                "The CSV rules and errors are those of every other command; missing values are errors."})
public final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT.csv", description = "The CSV file to convert.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUTPUT.npy", description = "The .npy file to write (atomically).")
    Path output;

    @Option(names = "--float32", description = "Store float32 (half the size; every value must fit float32).")
    boolean float32;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
    boolean quiet;

    @Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        new FileArguments(spec.commandLine()).input("INPUT.csv", input).output("OUTPUT.npy", output).check();
        CsvToNpy.Result r;
        try {
            r = CsvToNpy.convert(input, output, float32);
        } catch (IOException e) {
            throw Inputs.cannotWrite("OUTPUT.npy " + output, e);
        }
        if (!quiet) {
            spec.commandLine().getOut().println("wrote " + output + ": " + r.rows() + " rows x " + r.cols()
                    + " columns, " + (float32 ? "float32" : "float64")
                    + (r.header().isEmpty() ? "" : " (the first line was a header: " + r.header().size() + " names, not data)"));
        }
        return 0;
    }
}
