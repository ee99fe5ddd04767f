package io.gaussmix.bench;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.cpu.HostScorer;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;

import java.util.concurrent.atomic.LongAdder;

/**
 * The nominal floating-point work of one fused E+M pass, used to turn a time into GFLOP/s. It counts
 * only the dominant terms, so GFLOP/s compares runs of the same covariance type; it is not a count of
 * the instructions any backend executes.
 *
 * <ul>
 *   <li>FULL and TIED: {@code F = 2 N K D^2}: the triangular Mahalanobis product (D^2/2 multiply-adds
 *       = D^2 flops per row and component) plus the second-moment update (the symmetric rank-1 update
 *       of one triangle, again about D^2 flops). TIED is charged the same although its per-component
 *       solve shares one factor.</li>
 *   <li>DIAG and SPHERICAL: {@code F = 6 N K D}: per row, component and feature a subtraction, a
 *       scaling and a multiply-add for the Mahalanobis term (3), and a multiply-add for the first
 *       moment and a multiply plus multiply-add for the second moment (3).</li>
 * </ul>
 * The exp/log of the log-sum-exp (O(N K)) is not counted.
 *
 * <p>The CPU backend skips the statistics update of a (row, component) pair whose responsibility is
 * exactly 0, so on well-separated data it executes less than F: {@link #executedPassFlops} counts
 * what it executes given the number of pairs kept ({@link #keptResponsibilities}).
 */
public final class FlopModel {
    private FlopModel() {
    }

    /** Nominal flops of one pass over N rows, D features, K components. */
    public static double passFlops(CovarianceType type, long n, int d, int k) {
        double nk = (double) n * k;
        switch (type) {
            case FULL:
            case TIED:
                return 2.0 * nk * d * d;
            default:
                return 6.0 * nk * d;
        }
    }

    /**
     * The flops a pass executes when only {@code kept} of the N*K (row, component) pairs have a
     * responsibility above 0: the log densities of every pair, the statistics of the kept ones
     * (FULL and TIED: D^2 each; DIAG and SPHERICAL: 3 D each).
     */
    public static double executedPassFlops(CovarianceType type, long n, int d, int k, long kept) {
        double all = (double) n * k;
        switch (type) {
            case FULL:
            case TIED:
                return (all + kept) * d * d;
            default:
                return 3.0 * (all + kept) * d;
        }
    }

    /**
     * How many (row, component) pairs of x have a responsibility above 0 under p: those whose
     * exp(log p(x, k) - max_k log p(x, k)) does not underflow, the pairs the CPU backend's statistics
     * update does not skip.
     */
    public static long keptResponsibilities(Matrix x, MixtureParams p) {
        int k = p.components();
        LongAdder kept = new LongAdder();
        HostScorer.forEachBlock(x, p, (r0, b, logp) -> {
            long m = 0;
            for (int i = 0; i < b; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    max = Math.max(max, logp[i * k + c]);
                }
                for (int c = 0; c < k; c++) {
                    if (Math.exp(logp[i * k + c] - max) != 0) {
                        m++;
                    }
                }
            }
            kept.add(m);
        });
        return kept.sum();
    }

    /** GFLOP/s for {@code flops} done in {@code seconds}; NaN when the time is not positive. */
    public static double gflops(double flops, double seconds) {
        return seconds > 0 ? flops / seconds / 1e9 : Double.NaN;
    }

    /** A one-line statement of the model for a covariance type, for reports. */
    public static String describe(CovarianceType type) {
        return (type == CovarianceType.FULL || type == CovarianceType.TIED) ? "F = 2*N*K*D^2" : "F = 6*N*K*D";
    }
}
