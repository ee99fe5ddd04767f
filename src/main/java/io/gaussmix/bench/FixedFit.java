package io.gaussmix.bench;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitListener;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;

/**
 * A whole fit with a fixed iteration count (tol = 0, so it never stops early) from given starting
 * parameters: what the JMH {@code FitBenchmark} and the peer comparison time for gaussmix.
 */
public final class FixedFit {
    private FixedFit() {
    }

    /** The starting parameters as a model (not fitted). */
    public static GaussianMixtureModel model(MixtureParams p) {
        int k = p.components();
        int d = p.dimensions();
        double[][] means = new double[k][d];
        for (int c = 0; c < k; c++) {
            System.arraycopy(p.means(), c * d, means[c], 0, d);
        }
        return GaussianMixtureModel.of(CovarianceType.of(p.type()), p.weights(), means, p.covariances(), FitSummary.notFitted());
    }

    /**
     * Runs exactly {@code iterations} EM iterations from {@code start}.
     *
     * @param precision null for the backend's default
     */
    public static GaussianMixtureModel fit(Matrix x, GaussianMixtureModel start, BackendType backend,
                                           Precision precision, int iterations, double regCovar) {
        return fit(x, start, backend, precision, iterations, regCovar, FitListener.NONE);
    }

    /** As above, reporting progress (e.g. the time of every iteration) to {@code listener}. */
    public static GaussianMixtureModel fit(Matrix x, GaussianMixtureModel start, BackendType backend,
                                           Precision precision, int iterations, double regCovar,
                                           FitListener listener) {
        GaussianMixture.Builder b = GaussianMixture.builder()
                .listener(listener)
                .initialModel(start)
                .maxIter(iterations)
                .tol(0)
                .regCovar(regCovar)
                .backend(backend);
        if (precision != null) {
            b.precision(precision);
        }
        return b.build().fit(x);
    }
}
