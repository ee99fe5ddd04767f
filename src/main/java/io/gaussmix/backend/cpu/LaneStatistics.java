package io.gaussmix.backend.cpu;

import io.gaussmix.math.SufficientStats;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The statistics phase of {@link VectorTriangular} for small D (padded stride at most 16), where the
 * row-major phase spent more time packing each kept row (then x - mu_k and g (x - mu_k), two stores per
 * vector) than in its rank update; packing sqrt(g) (x - mu_k) once, it still takes 0.087 s against 0.053 here
 * (N = 1e6, D = 16, K = 8, one thread). Here the statistics read the feature-major block of shifted rows that the
 * Mahalanobis term already transposed (xT, one row of the block per lane) and keep per-lane
 * partial sums: lane l of entry (a, j) adds the block rows r = l (mod L), in row order, by one FMA
 * each ({@link DoubleLanes}: L = 4 or 8); {@link #finish} adds the L lanes pairwise, (l0 + l1) + (l2 + l3)
 * at L = 4, once per unit. Every order is
 * fixed by the rows' positions in their unit, so the sums repeat to the bit on any thread count and
 * for any streamed window; they differ from the row-major kernels' only by the order of float64 additions.
 *
 * <p>Only g (x - mu_k) is stored per component; the tiles subtract mu_k from xT themselves, on the adders that their
 * FMAs leave idle. Storing x - mu_k as well made the statistics 0.060 s instead of 0.053: the packing is bound by
 * its 64-byte stores, which straddle cache lines (benchmarks/RESULTS.md, "Issue 12, round 6").
 *
 * <p>Rows with g = 0 are not skipped (a lane cannot skip a row); their terms are exact zeros. A
 * component whose g is 0 on the whole block is skipped, as before. The triangle is covered by tiles
 * of 2 rows a, a + 1 by 6, 4 or 2 columns from a: 12 accumulators, 2 + 6 vector loads and 6 subtractions per 12
 * FMAs, and only entry (a + 1, a) of each tile below the diagonal (at D = 16, 144 products per 4 rows for
 * the 136 of the triangle).
 */
final class LaneStatistics {
    private static final VectorSpecies<Double> S = DoubleLanes.SPECIES;
    private static final int L = DoubleLanes.LENGTH;

    /** Widest padded stride handled here: beyond it the row-major kernels' skipping of g = 0 rows pays. */
    static final int MAX_STRIDE = 16;

    private final int k;
    private final int d;
    private final int dp;
    /** Rows per block: the stride of the feature-major blocks. */
    private final int n;
    /** Per component, entry (a, j) at ((c dp + a) dp + j) L: L lane partials; only j >= a - 1 is written. */
    private final double[] acc;
    /** Per component and feature a, at (c dp + a) L: lane partials of sum g d_a. */
    private final double[] sum;
    /** mu_c - center per component, rows of dp (zero past D): the statistics are about each component's mean. */
    private final double[] shifted;
    /** g (x - mu_c) for the current component, feature-major as xT. */
    private final double[] sT;
    /** The block's sum of g per component. */
    private final double[] weight;

    /** {@code shiftedMeans}: mu_c - center (K x D), the rows' shift in the xT that {@link #accumulate} reads. */
    LaneStatistics(int k, int d, int dp, int rows, double[] shiftedMeans) {
        this.k = k;
        this.d = d;
        this.dp = dp;
        this.n = rows;
        this.shifted = new double[k * dp];
        for (int c = 0; c < k; c++) {
            System.arraycopy(shiftedMeans, c * d, shifted, c * dp, d);
        }
        this.sT = new double[MAX_STRIDE * rows];
        this.weight = new double[k];
        this.acc = new double[k * dp * dp * L];
        this.sum = new double[k * dp * L];
    }

    /**
     * Adds the block's terms for every component, given xT = its b rows minus the mixture's mean, feature-major
     * (dp x rows; features past D are 0, rows past b stale but finite) and its responsibilities component-major,
     * gT[c * rows + r] (0 past row b up to b rounded up to L). Each N_c goes straight into {@code nk}: the block's g
     * added in row order, then added to nk.
     */
    void accumulate(double[] xT, double[] gT, int b, double[] nk) {
        // All components in one loop over the rows: K independent chains of adds, where one component at a time
        // waited on each add's latency.
        Arrays.fill(weight, 0.0);
        for (int r = 0; r < b; r++) {
            for (int c = 0; c < k; c++) {
                weight[c] += gT[c * n + r];
            }
        }
        int rows = (b + L - 1) & ~(L - 1);
        for (int c = 0; c < k; c++) {
            nk[c] += weight[c];
            if (weight[c] == 0) {   // g >= 0: no row has weight (a NaN is kept)
                continue;
            }
            int a = 0;
            for (; a + 4 <= d; a += 4) {
                weigh4(xT, gT, c, a, rows);
            }
            for (; a < d; a++) {
                weigh1(xT, gT, c, a, rows);
            }
            int base = c * dp * dp * L;
            for (a = 0; a < d; a += 2) {
                int j = a;
                for (; j + 6 <= dp; j += 6) {
                    tile2x6(xT, rows, a, j, c, base);
                }
                if (dp - j == 4) {
                    tile2x4(xT, rows, a, j, c, base);
                } else if (dp - j == 2) {
                    tile2x2(xT, rows, a, j, c, base);
                }
            }
        }
    }

    /**
     * Features a..a+3 of component c: sT = g (xT - m) and the lane sums of sT, in one pass over the rows. Four
     * features at a time keep four sums in flight: one feature's sum alone is a chain of dependent adds.
     */
    private void weigh4(double[] xT, double[] gT, int c, int a, int rows) {
        int mu = c * dp + a;
        DoubleVector m0 = DoubleVector.broadcast(S, shifted[mu]);
        DoubleVector m1 = DoubleVector.broadcast(S, shifted[mu + 1]);
        DoubleVector m2 = DoubleVector.broadcast(S, shifted[mu + 2]);
        DoubleVector m3 = DoubleVector.broadcast(S, shifted[mu + 3]);
        int so = mu * L;
        DoubleVector s0 = DoubleVector.fromArray(S, sum, so);
        DoubleVector s1 = DoubleVector.fromArray(S, sum, so + L);
        DoubleVector s2 = DoubleVector.fromArray(S, sum, so + 2 * L);
        DoubleVector s3 = DoubleVector.fromArray(S, sum, so + 3 * L);
        int o = a * n;
        for (int r = 0; r < rows; r += L) {
            DoubleVector gv = DoubleVector.fromArray(S, gT, c * n + r);
            DoubleVector v = DoubleVector.fromArray(S, xT, o + r).sub(m0).mul(gv);
            v.intoArray(sT, o + r);
            s0 = v.add(s0);   // the sums as the argument, not the receiver: VectorTriangular's class comment
            v = DoubleVector.fromArray(S, xT, o + n + r).sub(m1).mul(gv);
            v.intoArray(sT, o + n + r);
            s1 = v.add(s1);
            v = DoubleVector.fromArray(S, xT, o + 2 * n + r).sub(m2).mul(gv);
            v.intoArray(sT, o + 2 * n + r);
            s2 = v.add(s2);
            v = DoubleVector.fromArray(S, xT, o + 3 * n + r).sub(m3).mul(gv);
            v.intoArray(sT, o + 3 * n + r);
            s3 = v.add(s3);
        }
        s0.intoArray(sum, so);
        s1.intoArray(sum, so + L);
        s2.intoArray(sum, so + 2 * L);
        s3.intoArray(sum, so + 3 * L);
    }

    /** {@link #weigh4} for the one feature a (D not a multiple of 4). */
    private void weigh1(double[] xT, double[] gT, int c, int a, int rows) {
        DoubleVector m = DoubleVector.broadcast(S, shifted[c * dp + a]);
        int so = (c * dp + a) * L;
        DoubleVector s = DoubleVector.fromArray(S, sum, so);
        int o = a * n;
        for (int r = 0; r < rows; r += L) {
            DoubleVector v = DoubleVector.fromArray(S, xT, o + r).sub(m).mul(DoubleVector.fromArray(S, gT, c * n + r));
            v.intoArray(sT, o + r);
            s = v.add(s);
        }
        s.intoArray(sum, so);
    }

    /**
     * Adds the lanes, in a fixed order, into {@code s.sumDiff} and the upper triangles of {@code s.sumSq}, and
     * sets them back to 0 for the next unit.
     */
    void finish(SufficientStats s) {
        for (int c = 0; c < k; c++) {
            for (int a = 0; a < d; a++) {
                s.sumDiff[c * d + a] += lanes(sum, (c * dp + a) * L);
                for (int j = a; j < d; j++) {
                    s.sumSq[c * d * d + a * d + j] = lanes(acc, ((c * dp + a) * dp + j) * L);
                }
            }
        }
        Arrays.fill(acc, 0.0);
        Arrays.fill(sum, 0.0);
    }

    private static double lanes(double[] v, int o) {
        double low = (v[o] + v[o + 1]) + (v[o + 2] + v[o + 3]);
        return L == 4 ? low : low + ((v[o + 4] + v[o + 5]) + (v[o + 6] + v[o + 7]));
    }

    /** Entries (a, j0..j0+5) and (a + 1, j0..j0+5). */
    private void tile2x6(double[] xT, int rows, int a, int j0, int c, int base) {
        int p = base + (a * dp + j0) * L;
        int q = p + dp * L;
        DoubleVector c0 = DoubleVector.fromArray(S, acc, p);
        DoubleVector c1 = DoubleVector.fromArray(S, acc, p + L);
        DoubleVector c2 = DoubleVector.fromArray(S, acc, p + 2 * L);
        DoubleVector c3 = DoubleVector.fromArray(S, acc, p + 3 * L);
        DoubleVector c4 = DoubleVector.fromArray(S, acc, p + 4 * L);
        DoubleVector c5 = DoubleVector.fromArray(S, acc, p + 5 * L);
        DoubleVector e0 = DoubleVector.fromArray(S, acc, q);
        DoubleVector e1 = DoubleVector.fromArray(S, acc, q + L);
        DoubleVector e2 = DoubleVector.fromArray(S, acc, q + 2 * L);
        DoubleVector e3 = DoubleVector.fromArray(S, acc, q + 3 * L);
        DoubleVector e4 = DoubleVector.fromArray(S, acc, q + 4 * L);
        DoubleVector e5 = DoubleVector.fromArray(S, acc, q + 5 * L);
        int mj = c * dp + j0;
        DoubleVector m0 = DoubleVector.broadcast(S, shifted[mj]);
        DoubleVector m1 = DoubleVector.broadcast(S, shifted[mj + 1]);
        DoubleVector m2 = DoubleVector.broadcast(S, shifted[mj + 2]);
        DoubleVector m3 = DoubleVector.broadcast(S, shifted[mj + 3]);
        DoubleVector m4 = DoubleVector.broadcast(S, shifted[mj + 4]);
        DoubleVector m5 = DoubleVector.broadcast(S, shifted[mj + 5]);
        int sa = a * n;
        int dj = j0 * n;
        for (int r = 0; r < rows; r += L) {
            DoubleVector s0 = DoubleVector.fromArray(S, sT, sa + r);
            DoubleVector s1 = DoubleVector.fromArray(S, sT, sa + n + r);
            DoubleVector x = DoubleVector.fromArray(S, xT, dj + r).sub(m0);
            c0 = s0.fma(x, c0); e0 = s1.fma(x, e0);
            x = DoubleVector.fromArray(S, xT, dj + n + r).sub(m1);
            c1 = s0.fma(x, c1); e1 = s1.fma(x, e1);
            x = DoubleVector.fromArray(S, xT, dj + 2 * n + r).sub(m2);
            c2 = s0.fma(x, c2); e2 = s1.fma(x, e2);
            x = DoubleVector.fromArray(S, xT, dj + 3 * n + r).sub(m3);
            c3 = s0.fma(x, c3); e3 = s1.fma(x, e3);
            x = DoubleVector.fromArray(S, xT, dj + 4 * n + r).sub(m4);
            c4 = s0.fma(x, c4); e4 = s1.fma(x, e4);
            x = DoubleVector.fromArray(S, xT, dj + 5 * n + r).sub(m5);
            c5 = s0.fma(x, c5); e5 = s1.fma(x, e5);
        }
        c0.intoArray(acc, p); c1.intoArray(acc, p + L); c2.intoArray(acc, p + 2 * L);
        c3.intoArray(acc, p + 3 * L); c4.intoArray(acc, p + 4 * L); c5.intoArray(acc, p + 5 * L);
        e0.intoArray(acc, q); e1.intoArray(acc, q + L); e2.intoArray(acc, q + 2 * L);
        e3.intoArray(acc, q + 3 * L); e4.intoArray(acc, q + 4 * L); e5.intoArray(acc, q + 5 * L);
    }

    /** Entries (a, j0..j0+3) and (a + 1, j0..j0+3). */
    private void tile2x4(double[] xT, int rows, int a, int j0, int c, int base) {
        int p = base + (a * dp + j0) * L;
        int q = p + dp * L;
        DoubleVector c0 = DoubleVector.fromArray(S, acc, p);
        DoubleVector c1 = DoubleVector.fromArray(S, acc, p + L);
        DoubleVector c2 = DoubleVector.fromArray(S, acc, p + 2 * L);
        DoubleVector c3 = DoubleVector.fromArray(S, acc, p + 3 * L);
        DoubleVector e0 = DoubleVector.fromArray(S, acc, q);
        DoubleVector e1 = DoubleVector.fromArray(S, acc, q + L);
        DoubleVector e2 = DoubleVector.fromArray(S, acc, q + 2 * L);
        DoubleVector e3 = DoubleVector.fromArray(S, acc, q + 3 * L);
        int mj = c * dp + j0;
        DoubleVector m0 = DoubleVector.broadcast(S, shifted[mj]);
        DoubleVector m1 = DoubleVector.broadcast(S, shifted[mj + 1]);
        DoubleVector m2 = DoubleVector.broadcast(S, shifted[mj + 2]);
        DoubleVector m3 = DoubleVector.broadcast(S, shifted[mj + 3]);
        int sa = a * n;
        int dj = j0 * n;
        for (int r = 0; r < rows; r += L) {
            DoubleVector s0 = DoubleVector.fromArray(S, sT, sa + r);
            DoubleVector s1 = DoubleVector.fromArray(S, sT, sa + n + r);
            DoubleVector x = DoubleVector.fromArray(S, xT, dj + r).sub(m0);
            c0 = s0.fma(x, c0); e0 = s1.fma(x, e0);
            x = DoubleVector.fromArray(S, xT, dj + n + r).sub(m1);
            c1 = s0.fma(x, c1); e1 = s1.fma(x, e1);
            x = DoubleVector.fromArray(S, xT, dj + 2 * n + r).sub(m2);
            c2 = s0.fma(x, c2); e2 = s1.fma(x, e2);
            x = DoubleVector.fromArray(S, xT, dj + 3 * n + r).sub(m3);
            c3 = s0.fma(x, c3); e3 = s1.fma(x, e3);
        }
        c0.intoArray(acc, p); c1.intoArray(acc, p + L); c2.intoArray(acc, p + 2 * L); c3.intoArray(acc, p + 3 * L);
        e0.intoArray(acc, q); e1.intoArray(acc, q + L); e2.intoArray(acc, q + 2 * L); e3.intoArray(acc, q + 3 * L);
    }

    /** Entries (a, j0), (a, j0 + 1), (a + 1, j0), (a + 1, j0 + 1). */
    private void tile2x2(double[] xT, int rows, int a, int j0, int c, int base) {
        int p = base + (a * dp + j0) * L;
        int q = p + dp * L;
        DoubleVector c0 = DoubleVector.fromArray(S, acc, p);
        DoubleVector c1 = DoubleVector.fromArray(S, acc, p + L);
        DoubleVector e0 = DoubleVector.fromArray(S, acc, q);
        DoubleVector e1 = DoubleVector.fromArray(S, acc, q + L);
        int mj = c * dp + j0;
        DoubleVector m0 = DoubleVector.broadcast(S, shifted[mj]);
        DoubleVector m1 = DoubleVector.broadcast(S, shifted[mj + 1]);
        int sa = a * n;
        int dj = j0 * n;
        for (int r = 0; r < rows; r += L) {
            DoubleVector s0 = DoubleVector.fromArray(S, sT, sa + r);
            DoubleVector s1 = DoubleVector.fromArray(S, sT, sa + n + r);
            DoubleVector x0 = DoubleVector.fromArray(S, xT, dj + r).sub(m0);
            DoubleVector x1 = DoubleVector.fromArray(S, xT, dj + n + r).sub(m1);
            c0 = s0.fma(x0, c0); e0 = s1.fma(x0, e0);
            c1 = s0.fma(x1, c1); e1 = s1.fma(x1, e1);
        }
        c0.intoArray(acc, p); c1.intoArray(acc, p + L);
        e0.intoArray(acc, q); e1.intoArray(acc, q + L);
    }
}
