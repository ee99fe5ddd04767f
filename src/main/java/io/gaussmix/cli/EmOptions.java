package io.gaussmix.cli;

import io.gaussmix.GaussianMixture;
import io.gaussmix.InitMethod;
import picocli.CommandLine.Option;

/**
 * The EM settings shared by {@code fit} and {@code select}; their defaults are the estimator's own
 * ({@link GaussianMixture}'s {@code DEFAULT_*} constants), stated once.
 */
public final class EmOptions {
    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "" + GaussianMixture.DEFAULT_MAX_ITER,
            description = "Maximum EM iterations per initialisation (default: ${DEFAULT-VALUE}).")
    int maxIter;

    @Option(names = "--tol", paramLabel = "T", defaultValue = "" + GaussianMixture.DEFAULT_TOL,
            description = "Convergence threshold on the change of the mean log-likelihood per sample "
                    + "(default: ${DEFAULT-VALUE}; 0 = always run --max-iter).")
    double tol;

    @Option(names = "--reg-covar", paramLabel = "R", defaultValue = "" + GaussianMixture.DEFAULT_REG_COVAR,
            description = "Added to every covariance diagonal in every M-step (default: ${DEFAULT-VALUE}).")
    double regCovar;

    @Option(names = "--n-init", paramLabel = "N", defaultValue = "" + GaussianMixture.DEFAULT_N_INIT,
            description = "Initialisations to run; the best final lower bound is kept (default: ${DEFAULT-VALUE}).")
    int nInit;

    // No defaultValue: picocli shows the field's initial value, the estimator's constant.
    @Option(names = "--init", paramLabel = "kmeans++|kmeans|random|random-from-data",
            description = "How starting parameters are chosen (default: ${DEFAULT-VALUE}).")
    InitMethod init = GaussianMixture.DEFAULT_INIT;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + GaussianMixture.DEFAULT_SEED,
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /** Applies these settings to {@code b}; the builder validates them (IllegalArgumentException). */
    GaussianMixture.Builder apply(GaussianMixture.Builder b) {
        return b.tol(tol).regCovar(regCovar).maxIter(maxIter).nInit(nInit).init(init).seed(seed);
    }
}
