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
 * component whose g is 0 on the whole block is skipped, as before. The triangle is covered by 4 x 4 tiles of
 * entries (a..a+3, j..j+3), 16 accumulators, 4 + 4 vector loads and 4 subtractions per 16 FMAs; the diagonal
 * tile of features a..a+3 computes only its 10 entries on and above the diagonal (at D = 16 a row executes the
 * triangle's 136 products) and, from the same x - mu_k, writes their g (x - mu_k) for the tiles to its right
 * and adds the first moments. One thread, N = 1e6, D = 16, K = 8, the statistics of a pass took 0.100-0.109 s
 * with tiles of 2 rows by 6, 4 or 2 columns (8 loads and 6 subtractions per 12 FMAs, 144 products, 15 tiles per
 * component) and a weighting pass of their own, 0.089-0.091 with these tiles and that pass, 0.079-0.083 with
 * the weighting in the diagonal tiles (benchmarks/RESULTS.md, round 10): the loads, the subtractions and each
 * tile's fixed cost (its accumulators loaded and stored once per block) bound them, not the FMAs.
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
    /** Per component, entry (a, j) at ((c dp + a) dp + j) L: L lane partials; only j >= a is written. */
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
            int base = c * dp * dp * L;
            for (int a = 0; a < d; a += 4) {
                diagonal4x4(xT, gT, rows, a, c, base);
                for (int j = a + 4; j < dp; j += 4) {
                    tile4x4(xT, rows, a, j, c, base);
                }
            }
        }
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

    /** Entries (a..a+3, j0..j0+3), j0 > a: sT of features a..a+3 (their diagonal tile wrote it) times xT - m. */
    private void tile4x4(double[] xT, int rows, int a, int j0, int c, int base) {
        int p0 = base + (a * dp + j0) * L;
        int p1 = p0 + dp * L;
        int p2 = p1 + dp * L;
        int p3 = p2 + dp * L;
        DoubleVector c00 = DoubleVector.fromArray(S, acc, p0), c01 = DoubleVector.fromArray(S, acc, p0 + L);
        DoubleVector c02 = DoubleVector.fromArray(S, acc, p0 + 2 * L), c03 = DoubleVector.fromArray(S, acc, p0 + 3 * L);
        DoubleVector c10 = DoubleVector.fromArray(S, acc, p1), c11 = DoubleVector.fromArray(S, acc, p1 + L);
        DoubleVector c12 = DoubleVector.fromArray(S, acc, p1 + 2 * L), c13 = DoubleVector.fromArray(S, acc, p1 + 3 * L);
        DoubleVector c20 = DoubleVector.fromArray(S, acc, p2), c21 = DoubleVector.fromArray(S, acc, p2 + L);
        DoubleVector c22 = DoubleVector.fromArray(S, acc, p2 + 2 * L), c23 = DoubleVector.fromArray(S, acc, p2 + 3 * L);
        DoubleVector c30 = DoubleVector.fromArray(S, acc, p3), c31 = DoubleVector.fromArray(S, acc, p3 + L);
        DoubleVector c32 = DoubleVector.fromArray(S, acc, p3 + 2 * L), c33 = DoubleVector.fromArray(S, acc, p3 + 3 * L);
        int mj = c * dp + j0;
        DoubleVector m0 = DoubleVector.broadcast(S, shifted[mj]);
        DoubleVector m1 = DoubleVector.broadcast(S, shifted[mj + 1]);
        DoubleVector m2 = DoubleVector.broadcast(S, shifted[mj + 2]);
        DoubleVector m3 = DoubleVector.broadcast(S, shifted[mj + 3]);
        int sa = a * n;
        int dj = j0 * n;
        for (int r = 0; r < rows; r += L) {
            DoubleVector x0 = DoubleVector.fromArray(S, xT, dj + r).sub(m0);
            DoubleVector x1 = DoubleVector.fromArray(S, xT, dj + n + r).sub(m1);
            DoubleVector x2 = DoubleVector.fromArray(S, xT, dj + 2 * n + r).sub(m2);
            DoubleVector x3 = DoubleVector.fromArray(S, xT, dj + 3 * n + r).sub(m3);
            DoubleVector g = DoubleVector.fromArray(S, sT, sa + r);
            c00 = g.fma(x0, c00); c01 = g.fma(x1, c01); c02 = g.fma(x2, c02); c03 = g.fma(x3, c03);
            g = DoubleVector.fromArray(S, sT, sa + n + r);
            c10 = g.fma(x0, c10); c11 = g.fma(x1, c11); c12 = g.fma(x2, c12); c13 = g.fma(x3, c13);
            g = DoubleVector.fromArray(S, sT, sa + 2 * n + r);
            c20 = g.fma(x0, c20); c21 = g.fma(x1, c21); c22 = g.fma(x2, c22); c23 = g.fma(x3, c23);
            g = DoubleVector.fromArray(S, sT, sa + 3 * n + r);
            c30 = g.fma(x0, c30); c31 = g.fma(x1, c31); c32 = g.fma(x2, c32); c33 = g.fma(x3, c33);
        }
        c00.intoArray(acc, p0); c01.intoArray(acc, p0 + L); c02.intoArray(acc, p0 + 2 * L); c03.intoArray(acc, p0 + 3 * L);
        c10.intoArray(acc, p1); c11.intoArray(acc, p1 + L); c12.intoArray(acc, p1 + 2 * L); c13.intoArray(acc, p1 + 3 * L);
        c20.intoArray(acc, p2); c21.intoArray(acc, p2 + L); c22.intoArray(acc, p2 + 2 * L); c23.intoArray(acc, p2 + 3 * L);
        c30.intoArray(acc, p3); c31.intoArray(acc, p3 + L); c32.intoArray(acc, p3 + 2 * L); c33.intoArray(acc, p3 + 3 * L);
    }

    /**
     * Features a..a+3 of component c: sT = g (xT - m) for the tiles right of the diagonal, the lane sums of sT (the
     * first moments), and the entries (a..a+3, a..a+3) on and above the diagonal (10 accumulators), in one pass over
     * the rows.
     */
    private void diagonal4x4(double[] xT, double[] gT, int rows, int a, int c, int base) {
        int p0 = base + (a * dp + a) * L;
        int p1 = p0 + dp * L;
        int p2 = p1 + dp * L;
        int p3 = p2 + dp * L;
        DoubleVector c00 = DoubleVector.fromArray(S, acc, p0), c01 = DoubleVector.fromArray(S, acc, p0 + L);
        DoubleVector c02 = DoubleVector.fromArray(S, acc, p0 + 2 * L), c03 = DoubleVector.fromArray(S, acc, p0 + 3 * L);
        DoubleVector c11 = DoubleVector.fromArray(S, acc, p1 + L);
        DoubleVector c12 = DoubleVector.fromArray(S, acc, p1 + 2 * L), c13 = DoubleVector.fromArray(S, acc, p1 + 3 * L);
        DoubleVector c22 = DoubleVector.fromArray(S, acc, p2 + 2 * L), c23 = DoubleVector.fromArray(S, acc, p2 + 3 * L);
        DoubleVector c33 = DoubleVector.fromArray(S, acc, p3 + 3 * L);
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
            DoubleVector x0 = DoubleVector.fromArray(S, xT, o + r).sub(m0);
            DoubleVector x1 = DoubleVector.fromArray(S, xT, o + n + r).sub(m1);
            DoubleVector x2 = DoubleVector.fromArray(S, xT, o + 2 * n + r).sub(m2);
            DoubleVector x3 = DoubleVector.fromArray(S, xT, o + 3 * n + r).sub(m3);
            DoubleVector g = x0.mul(gv);
            g.intoArray(sT, o + r);
            s0 = g.add(s0);   // the sums as the argument, not the receiver: VectorTriangular's class comment
            c00 = g.fma(x0, c00); c01 = g.fma(x1, c01); c02 = g.fma(x2, c02); c03 = g.fma(x3, c03);
            g = x1.mul(gv);
            g.intoArray(sT, o + n + r);
            s1 = g.add(s1);
            c11 = g.fma(x1, c11); c12 = g.fma(x2, c12); c13 = g.fma(x3, c13);
            g = x2.mul(gv);
            g.intoArray(sT, o + 2 * n + r);
            s2 = g.add(s2);
            c22 = g.fma(x2, c22); c23 = g.fma(x3, c23);
            g = x3.mul(gv);
            g.intoArray(sT, o + 3 * n + r);
            s3 = g.add(s3);
            c33 = g.fma(x3, c33);
        }
        s0.intoArray(sum, so);
        s1.intoArray(sum, so + L);
        s2.intoArray(sum, so + 2 * L);
        s3.intoArray(sum, so + 3 * L);
        c00.intoArray(acc, p0); c01.intoArray(acc, p0 + L); c02.intoArray(acc, p0 + 2 * L); c03.intoArray(acc, p0 + 3 * L);
        c11.intoArray(acc, p1 + L); c12.intoArray(acc, p1 + 2 * L); c13.intoArray(acc, p1 + 3 * L);
        c22.intoArray(acc, p2 + 2 * L); c23.intoArray(acc, p2 + 3 * L);
        c33.intoArray(acc, p3 + 3 * L);
    }
}
