package io.gaussmix.cli;

import io.gaussmix.OnlineGaussianMixture;
import picocli.CommandLine.Option;

/** {@code fit --online}'s options; their defaults are {@link OnlineGaussianMixture}'s constants. */
public final class OnlineOptions {
    @Option(names = "--online", description = {"Fit by online (stepwise) EM: the file is read batch by batch, "
            + "one EM step per batch, in constant memory (.npy; a CSV is read into memory first)."})
    boolean enabled;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "" + OnlineGaussianMixture.DEFAULT_BATCH_SIZE,
            description = "Rows per online EM step (with --online; default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "1",
            description = "Passes over the file (with --online; default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--step-offset", paramLabel = "T0", defaultValue = "" + OnlineGaussianMixture.DEFAULT_T0,
            description = "Step size (t + T0)^-ALPHA of batch t (with --online; default T0: ${DEFAULT-VALUE}).")
    double t0;

    @Option(names = "--step-exponent", paramLabel = "ALPHA", defaultValue = "" + OnlineGaussianMixture.DEFAULT_ALPHA,
            description = "ALPHA in (0.5, 1] (with --online; default: ${DEFAULT-VALUE}).")
    double alpha;
}
