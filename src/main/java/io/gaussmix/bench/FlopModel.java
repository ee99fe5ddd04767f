package io.gaussmix.bench;

import io.gaussmix.CovarianceType;

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

    /** GFLOP/s for {@code flops} done in {@code seconds}; NaN when the time is not positive. */
    public static double gflops(double flops, double seconds) {
        return seconds > 0 ? flops / seconds / 1e9 : Double.NaN;
    }

    /** A one-line statement of the model for a covariance type, for reports. */
    public static String describe(CovarianceType type) {
        return (type == CovarianceType.FULL || type == CovarianceType.TIED) ? "F = 2*N*K*D^2" : "F = 6*N*K*D";
    }
}
