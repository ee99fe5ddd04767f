package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.RowSource;
import io.gaussmix.io.MissingValues;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code gaussmix impute}: fills missing entries with their conditional expectation under a model. */
@Command(name = "impute", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Fill the missing entries of INPUT (empty cells, NA, NaN) with their conditional expectation",
                "under MODEL: the per-component conditional means weighted by the row's responsibilities,",
                "which are computed from the row's observed values. Observed values are copied unchanged.",
                "The outputs are written as they are computed; a name ending in .npy gets a float64 .npy file."})
public final class ImputeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelAndInput args;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.csv|OUT.npy", required = true,
            description = "The completed data (CSV, or .npy when the name ends in .npy).")
    Path output;

    @Option(names = "--proba-out", paramLabel = "FILE.csv|FILE.npy",
            description = "Also write each row's responsibilities (N x K, header p0,p1,...).")
    Path probaOut;

    @Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        args.files(spec.commandLine()).output("-o", output).output("--proba-out", probaOut).check();
        GaussianMixtureModel model = args.model();
        try (ModelAndInput.Input in = args.open(MissingValues.ALLOW_NAN)) {
            RowSource x = in.rows();
            StreamedOutput.matrix(output, in.header(), x.rows(), x.cols(), completed -> {
                if (probaOut == null) {
                    model.imputeBlocks(x, false, block -> completed.accept(block.completed()));
                    return;
                }
                // Both files from one pass; each is committed only when the whole pass has succeeded for it.
                int k = model.components();
                StreamedOutput.matrix(probaOut, StreamedOutput.probabilityHeader(k), x.rows(), k,
                        proba -> model.imputeBlocks(x, true, block -> {
                            completed.accept(block.completed());
                            proba.accept(block.responsibilities());
                        }));
            });
        }
        return 0;
    }
}
