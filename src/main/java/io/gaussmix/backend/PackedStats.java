package io.gaussmix.backend;

import io.gaussmix.CovarianceType;
import io.gaussmix.math.SufficientStats;

/**
 * The statistics layout both device backends' kernels write, one array of doubles:
 * {@code [0]} the log-likelihood, then {@code nk} (K), {@code sumDiff} (K*D), then the second
 * moments: for FULL and TIED each component's upper triangle packed row by row
 * ({@code (i, j)} with {@code i <= j} at {@link #packedIndex}, D(D+1)/2 values), for DIAG and
 * SPHERICAL the K*D squares. Packed rather than square: the lower triangle is a mirror, so the
 * partials, their reduction and the copy back to the host cost half as much.
 */
public final class PackedStats {
    private PackedStats() {
    }

    /** Second-moment values per component: D(D+1)/2 for FULL and TIED, D otherwise. */
    public static long secondMoments(CovarianceType type, int d) {
        return isSquare(type) ? (long) d * (d + 1) / 2 : d;
    }

    /** Doubles in the whole layout: 1 + K + K*D + K * {@link #secondMoments}. */
    public static long length(CovarianceType type, int k, int d) {
        return 1 + k + (long) k * d + k * secondMoments(type, d);
    }

    /** Offset of (i, j), i <= j, inside one component's packed upper triangle (the kernels compute the same). */
    public static long packedIndex(int i, int j, int d) {
        return (long) i * (2L * d - i + 1) / 2 + (j - i);
    }

    /** The statistics the layout holds, both triangles filled; {@code totalWeight} comes from the host. */
    public static SufficientStats unpack(double[] packed, CovarianceType type, int k, int d, double totalWeight) {
        SufficientStats s = new SufficientStats(type, k, d);
        s.logLikelihood = packed[0];
        s.totalWeight = totalWeight;
        System.arraycopy(packed, 1, s.nk, 0, k);
        System.arraycopy(packed, 1 + k, s.sumDiff, 0, k * d);
        int e = 1 + k + k * d;
        if (!isSquare(type)) {
            System.arraycopy(packed, e, s.sumSq, 0, k * d);
            return s;
        }
        for (int c = 0; c < k; c++) {
            int base = c * d * d;
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++, e++) {
                    s.sumSq[base + i * d + j] = packed[e];
                }
            }
        }
        s.mirrorUpper();
        return s;
    }

    private static boolean isSquare(CovarianceType type) {
        return type == CovarianceType.FULL || type == CovarianceType.TIED;
    }
}
