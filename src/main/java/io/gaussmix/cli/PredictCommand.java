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

/** {@code gaussmix predict}: writes each row's most probable component, or all responsibilities. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Write the most probable component of each row of INPUT (one label per line),",
                "or with --proba the N x K responsibilities under a header p0,p1,...",
                "The output is written as it is computed; OUT ending in .npy gets a float64 .npy file."})
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelAndInput args;

    @Option(names = "--proba", description = "Write the responsibilities instead of labels.")
    boolean proba;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.csv|OUT.npy", required = true,
            description = "Output file: CSV, or .npy (float64) when the name ends in .npy.")
    Path output;

    @Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        args.files(spec.commandLine()).output("-o", output).check();
        GaussianMixtureModel model = args.model();
        try (ModelAndInput.Input in = args.open(MissingValues.REJECT)) {
            RowSource x = in.rows();
            if (proba) {
                int k = model.components();
                StreamedOutput.matrix(output, StreamedOutput.probabilityHeader(k), x.rows(), k,
                        sink -> model.scoreBlocks(x, true, block -> sink.accept(block.responsibilities())));
            } else {
                // A row with no finite log-likelihood would get an arbitrary label: an error, and nothing written.
                StreamedOutput.labels(output, x.rows(), sink -> model.scoreBlocks(x, false, block -> {
                    ScoreCommand.requireFiniteRows(block, args.input);
                    sink.accept(block.labels());
                }));
            }
        }
        return 0;
    }
}
