package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.CsvWriter;
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

/** {@code gaussmix predict}: writes each row's most probable component, or all responsibilities. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Write the most probable component of each row of INPUT (one label per line),",
                "or with --proba the N x K responsibilities under a header p0,p1,..."})
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelAndInput args;

    @Option(names = "--proba", description = "Write the responsibilities instead of labels.")
    boolean proba;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.csv", required = true, description = "Output CSV file.")
    Path output;

    @Mixin
    DebugOption debug;

    @Override
    public Integer call() {
        GaussianMixtureModel model = args.model();
        Matrix x = Inputs.data(args.input, args.err());
        try {
            if (proba) {
                List<String> header = new ArrayList<>();
                for (int c = 0; c < model.components(); c++) {
                    header.add("p" + c);
                }
                CsvWriter.write(output, model.predictProba(x), header);
            } else {
                CsvWriter.writeLabels(output, model.predict(x), null);
            }
        } catch (IOException e) {
            throw Inputs.cannotWrite(output, e);
        }
        return 0;
    }
}
