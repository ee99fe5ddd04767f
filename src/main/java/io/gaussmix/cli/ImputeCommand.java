package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.io.CsvData;
import io.gaussmix.io.CsvWriter;
import io.gaussmix.io.MissingValues;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code gaussmix impute}: fills missing entries with their conditional expectation under a model. */
@Command(name = "impute", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Fill the missing entries of INPUT (empty cells, NA, NaN) with their conditional expectation",
                "under MODEL: the per-component conditional means weighted by the row's responsibilities,",
                "which are computed from the row's observed values. Observed values are copied unchanged."})
public final class ImputeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelAndInput args;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.csv", required = true, description = "The completed data (CSV).")
    Path output;

    @Option(names = "--proba-out", paramLabel = "FILE.csv",
            description = "Also write each row's responsibilities (N x K, header p0,p1,...).")
    Path probaOut;

    @Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        args.files(spec.commandLine()).output("-o", output).output("--proba-out", probaOut).check();
        GaussianMixtureModel model = args.model();
        CsvData data = Inputs.dataWithHeader(args.input, MissingValues.ALLOW_NAN);
        GaussianMixtureModel.Imputation result = model.imputeWithResponsibilities(data.matrix());
        write(output, () -> CsvWriter.writeFinite(output, result.completed(), data.header()));
        if (probaOut != null) {
            List<String> header = new ArrayList<>();
            for (int c = 0; c < model.components(); c++) {
                header.add("p" + c);
            }
            write(probaOut, () -> CsvWriter.writeFinite(probaOut, result.responsibilities(), header));
        }
        return 0;
    }

    private interface Write {
        void run() throws IOException;
    }

    private static void write(Path target, Write w) {
        try {
            w.run();
        } catch (IOException e) {
            throw Inputs.cannotWrite(target, e);
        }
    }
}
