package io.gaussmix.spark;

import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.RowSource;
import io.gaussmix.em.Float32Guard;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

import java.util.function.Function;

/**
 * The executors' passes seen from the driver as one {@link Backend}, so that the library's own
 * {@link Float32Guard} stands around a float32 fit on Spark: before every pass it predicts the float32 error
 * and, above its limit, {@linkplain #reopen reopens} the cluster in float64 (a second {@link DistributedPass},
 * with cache entries of its own). The rows are already cached on the executors, so {@link #load} only hands
 * back a placeholder of the stand-in rows the guard is given ({@link DistributedFit}).
 */
final class ClusterBackend implements Backend {
    private final DistributedPass pass;
    private final Precision precision;
    private final Function<Precision, DistributedPass> passIn;

    /** @param passIn makes the cluster's pass in a precision (the caller releases what it makes) */
    ClusterBackend(Precision precision, Function<Precision, DistributedPass> passIn) {
        this.precision = precision;
        this.passIn = passIn;
        this.pass = passIn.apply(precision);
    }

    @Override
    public String description() {
        return pass.description() + " (" + precision.id() + ")";
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public Backend reopen(Precision other) {
        if (other == precision) {
            throw new BackendUnavailableException(description() + " runs in " + other.id() + " already");
        }
        return new ClusterBackend(other, passIn);
    }

    @Override
    public LoadedData load(RowSource x, RowSource sampleWeights) {
        return new LoadedData() {
            @Override
            public long rows() {
                return x.rows();
            }

            @Override
            public int cols() {
                return x.cols();
            }

            @Override
            public RowSource source() {
                return x;
            }

            @Override
            public RowSource sampleWeights() {
                return sampleWeights;
            }

            @Override
            public void close() {
                // The executors' rows are released with the fit's passes.
            }
        };
    }

    @Override
    public SufficientStats accumulate(LoadedData data, MixtureParams params) {
        return pass.accumulate(params);
    }

    @Override
    public void logDensities(LoadedData data, MixtureParams params, double[] out) {
        throw new UnsupportedOperationException("the cluster's passes give statistics only");
    }

    @Override
    public void close() {
        // What the passes hold on the executors is released by DistributedFit, with the cached blocks.
    }
}
