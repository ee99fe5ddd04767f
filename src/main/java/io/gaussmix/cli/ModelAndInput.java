package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import picocli.CommandLine;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** The {@code MODEL.json INPUT} positionals of the commands that apply a saved model to data. */
public final class ModelAndInput {
    @Parameters(index = "0", paramLabel = "MODEL.json", description = "A model saved by 'gaussmix fit'.")
    Path modelFile;

    @Parameters(index = "1", paramLabel = "INPUT", description = "Data file (.csv or .npy) with the model's D columns.")
    Path input;

    /** The two inputs, for the output checks of {@link FileArguments}. */
    FileArguments files(CommandLine cl) {
        return new FileArguments(cl).input("MODEL.json", modelFile).input("INPUT", input);
    }

    /** The model, read and checked. */
    GaussianMixtureModel model() {
        return Inputs.model(modelFile);
    }
}
