package io.gaussmix.backend;

import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.RowInformation;
import io.gaussmix.math.SufficientStats;

/**
 * The heavy per-row work of EM on one device: the seam between the host-side orchestration (which
 * owns the model, the loop and the float64 M-step) and the CPU, OpenCL and CUDA implementations.
 *
 * <p>A backend is confined to one thread at a time and owns whatever device resources it opened;
 * {@link #close()} releases them and is idempotent.
 */
public interface Backend extends AutoCloseable {

    /** One line naming the backend, device and precision, e.g. "cpu (float64)". */
    String description();

    /** The arithmetic precision of the per-row pass (float64 unless the backend was opened for float32). */
    default Precision precision() {
        return Precision.FLOAT64;
    }

    /**
     * Opens this backend's device again in another precision: a new backend, which the caller closes.
     *
     * @throws BackendUnavailableException when the device cannot run that precision
     */
    default Backend reopen(Precision precision) {
        throw new BackendUnavailableException(description() + " has no other precision");
    }

    /**
     * Makes the rows available for repeated passes (device backends upload them here, once per fit).
     * The rows are read during {@code load} and, when they are not resident, again during every pass, so
     * the caller keeps the source open until the {@code LoadedData} is closed; the backend never closes
     * the source.
     *
     * @param rows          the rows, N x D
     * @param sampleWeights null (all ones) or a one-column source of exactly {@code rows.rows()} non-negative
     *                      weights, read with the rows: in place when both are in memory, otherwise window by
     *                      window in step with the rows (so a streamed fit never holds N weights); it too
     *                      stays the caller's and open until the {@code LoadedData} is closed
     * @throws IllegalArgumentException when the weights are not one column of N ({@link RowSource#requireWeightsFor})
     */
    LoadedData load(RowSource rows, RowSource sampleWeights);

    /** In-memory weights (null: all ones): {@link #load(RowSource, RowSource)} of {@link RowSource#ofColumn}. */
    default LoadedData load(RowSource rows, double[] sampleWeights) {
        return load(rows, RowSource.ofColumn(sampleWeights));
    }

    /** The rows of one matrix: {@link #load(RowSource, RowSource)} of {@link RowSource#of(Matrix)}. */
    default LoadedData load(Matrix x, double[] sampleWeights) {
        return load(RowSource.of(x), RowSource.ofColumn(sampleWeights));
    }

    /**
     * The fused pass of one EM iteration: for every row the weighted log densities of all components
     * (Mahalanobis term through the precision Cholesky factor), their log-sum-exp, the row's
     * log-likelihood, and the responsibilities folded straight into the sufficient statistics
     * about {@code params.means()}. The N x K responsibilities are never stored.
     */
    SufficientStats accumulate(LoadedData data, MixtureParams params);

    /**
     * The weighted log densities {@code log pi_k + log N(x_n | mu_k, Sigma_k)} of every row and
     * component, written row-major N x K into {@code out} (used by predict, score and the tests).
     */
    void logDensities(LoadedData data, MixtureParams params, double[] out);

    /**
     * The N-dependent part of the observed information at {@code params} (standard errors): the rows' variance
     * of the complete-data score, P x P in the {@link io.gaussmix.math.ParameterLayout} coordinates, and the total
     * score; the complete-data information is formed on the host from {@link #accumulate}'s statistics. Meant
     * for float64: a device backend computes it in float64 (a float32 backend takes this default).
     *
     * <p>The default runs {@link RowInformation#onHost} on the shared host pool, over the rows of
     * {@link LoadedData#source()} (read into memory when the source is not one matrix), so every backend can.
     */
    default RowInformation rowInformation(LoadedData data, MixtureParams params) {
        RowSource source = data.source();
        Matrix x = source.asMatrix() != null ? source.asMatrix() : Matrix.copyOf(source);
        RowSource weights = data.sampleWeights();
        double[] w = weights == null ? null
                : (weights.asMatrix() != null ? weights.asMatrix() : Matrix.copyOf(weights)).data();
        return RowInformation.onHost(params, x, w);
    }

    /** Releases every resource this backend holds; safe to call twice. */
    @Override
    void close();
}
