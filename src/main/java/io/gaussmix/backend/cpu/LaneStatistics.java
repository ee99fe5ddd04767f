package io.gaussmix.backend.cpu;

import io.gaussmix.math.SufficientStats;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The statistics phase of {@link VectorTriangular} for small D (padded stride at most 16), where the
 * row-major phase spent more time packing each kept row (then x - mu_k and g (x - mu_k), two stores per
 * vector) than in its rank update; packing sqrt(g) (x - mu_k) once, it still takes 0.087 s against 0.060 here
 * (N = 1e6, D = 16, K = 8, one thread). Here the statistics read the feature-major block of shifted rows that the
 * Mahalanobis term already transposed (dT: x - mu_k from it, one row of the block per lane) and keep per-lane
 * partial sums: lane l of entry (a, j) adds the block rows r = l (mod L), in row order, by one FMA
 * each ({@link DoubleLanes}: L = 4 or 8); {@link #finish} adds the L lanes pairwise, (l0 + l1) + (l2 + l3)
 * at L = 4, once per unit. Every order is
 * fixed by the rows' positions in their unit, so the sums repeat to the bit on any thread count and
 * for any streamed window; they differ from the row-major kernels' only by the order of float64 additions.
 *
 * <p>Rows with g = 0 are not skipped (a lane cannot skip a row); their terms are exact zeros. A
 * component whose g is 0 on the whole block is skipped, as before. The triangle is covered by tiles
 * of 2 rows a, a + 1 by 6, 4 or 2 columns from a: 12 accumulators, 2 + 6 vector loads per 12 FMAs,
 * and only entry (a + 1, a) of each tile below the diagonal (at D = 16, 144 products per 4 rows for
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
    /** g d for the current component, feature-major as dT. */
    private final double[] sT;
    /** The current component's responsibilities of the block's rows, zero past the block. */
    private final double[] g;

    LaneStatistics(int k, int d, int dp, int rows) {
        this.k = k;
        this.d = d;
        this.dp = dp;
        this.n = rows;
        this.sT = new double[MAX_STRIDE * rows];
        this.g = new double[rows];
        this.acc = new double[k * dp * dp * L];
        this.sum = new double[k * dp * L];
    }

    /**
     * Adds component c's terms of the block's b rows, given dT = x - mu_c feature-major (dp x rows) and
     * the block's responsibilities {@code resp} (b x K); N_c goes straight into {@code nk} (rows in order).
     */
    void accumulate(double[] dT, double[] resp, int b, int c, double[] nk) {
        double weight = 0;
        boolean any = false;
        for (int r = 0; r < b; r++) {
            double gr = resp[r * k + c];
            g[r] = gr;
            weight += gr;
            any |= gr != 0;
        }
        nk[c] += weight;
        if (!any) {
            return;
        }
        int rows = (b + L - 1) & ~(L - 1);
        for (int r = b; r < rows; r++) {
            g[r] = 0.0;
        }
        for (int a = 0; a < d; a++) {
            int o = a * n;
            DoubleVector s = DoubleVector.fromArray(S, sum, (c * dp + a) * L);
            for (int r = 0; r < rows; r += L) {
                DoubleVector v = DoubleVector.fromArray(S, dT, o + r).mul(DoubleVector.fromArray(S, g, r));
                v.intoArray(sT, o + r);
                s = v.add(s);   // s as the argument, not the receiver: VectorTriangular's class comment
            }
            s.intoArray(sum, (c * dp + a) * L);
        }
        int base = c * dp * dp * L;
        for (int a = 0; a < d; a += 2) {
            int j = a;
            for (; j + 6 <= dp; j += 6) {
                tile2x6(dT, rows, a, j, base);
            }
            if (dp - j == 4) {
                tile2x4(dT, rows, a, j, base);
            } else if (dp - j == 2) {
                tile2x2(dT, rows, a, j, base);
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

    /** Entries (a, j0..j0+5) and (a + 1, j0..j0+5). */
    private void tile2x6(double[] dT, int rows, int a, int j0, int base) {
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
        int sa = a * n;
        int dj = j0 * n;
        for (int r = 0; r < rows; r += L) {
            DoubleVector s0 = DoubleVector.fromArray(S, sT, sa + r);
            DoubleVector s1 = DoubleVector.fromArray(S, sT, sa + n + r);
            DoubleVector x = DoubleVector.fromArray(S, dT, dj + r);
            c0 = s0.fma(x, c0); e0 = s1.fma(x, e0);
            x = DoubleVector.fromArray(S, dT, dj + n + r);
            c1 = s0.fma(x, c1); e1 = s1.fma(x, e1);
            x = DoubleVector.fromArray(S, dT, dj + 2 * n + r);
            c2 = s0.fma(x, c2); e2 = s1.fma(x, e2);
            x = DoubleVector.fromArray(S, dT, dj + 3 * n + r);
            c3 = s0.fma(x, c3); e3 = s1.fma(x, e3);
            x = DoubleVector.fromArray(S, dT, dj + 4 * n + r);
            c4 = s0.fma(x, c4); e4 = s1.fma(x, e4);
            x = DoubleVector.fromArray(S, dT, dj + 5 * n + r);
            c5 = s0.fma(x, c5); e5 = s1.fma(x, e5);
        }
        c0.intoArray(acc, p); c1.intoArray(acc, p + L); c2.intoArray(acc, p + 2 * L);
        c3.intoArray(acc, p + 3 * L); c4.intoArray(acc, p + 4 * L); c5.intoArray(acc, p + 5 * L);
        e0.intoArray(acc, q); e1.intoArray(acc, q + L); e2.intoArray(acc, q + 2 * L);
        e3.intoArray(acc, q + 3 * L); e4.intoArray(acc, q + 4 * L); e5.intoArray(acc, q + 5 * L);
    }

    /** Entries (a, j0..j0+3) and (a + 1, j0..j0+3). */
    private void tile2x4(double[] dT, int rows, int a, int j0, int base) {
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
        int sa = a * n;
        int dj = j0 * n;
        for (int r = 0; r < rows; r += L) {
            DoubleVector s0 = DoubleVector.fromArray(S, sT, sa + r);
            DoubleVector s1 = DoubleVector.fromArray(S, sT, sa + n + r);
            DoubleVector x = DoubleVector.fromArray(S, dT, dj + r);
            c0 = s0.fma(x, c0); e0 = s1.fma(x, e0);
            x = DoubleVector.fromArray(S, dT, dj + n + r);
            c1 = s0.fma(x, c1); e1 = s1.fma(x, e1);
            x = DoubleVector.fromArray(S, dT, dj + 2 * n + r);
            c2 = s0.fma(x, c2); e2 = s1.fma(x, e2);
            x = DoubleVector.fromArray(S, dT, dj + 3 * n + r);
            c3 = s0.fma(x, c3); e3 = s1.fma(x, e3);
        }
        c0.intoArray(acc, p); c1.intoArray(acc, p + L); c2.intoArray(acc, p + 2 * L); c3.intoArray(acc, p + 3 * L);
        e0.intoArray(acc, q); e1.intoArray(acc, q + L); e2.intoArray(acc, q + 2 * L); e3.intoArray(acc, q + 3 * L);
    }

    /** Entries (a, j0), (a, j0 + 1), (a + 1, j0), (a + 1, j0 + 1). */
    private void tile2x2(double[] dT, int rows, int a, int j0, int base) {
        int p = base + (a * dp + j0) * L;
        int q = p + dp * L;
        DoubleVector c0 = DoubleVector.fromArray(S, acc, p);
        DoubleVector c1 = DoubleVector.fromArray(S, acc, p + L);
        DoubleVector e0 = DoubleVector.fromArray(S, acc, q);
        DoubleVector e1 = DoubleVector.fromArray(S, acc, q + L);
        int sa = a * n;
        int dj = j0 * n;
        for (int r = 0; r < rows; r += L) {
            DoubleVector s0 = DoubleVector.fromArray(S, sT, sa + r);
            DoubleVector s1 = DoubleVector.fromArray(S, sT, sa + n + r);
            DoubleVector x0 = DoubleVector.fromArray(S, dT, dj + r);
            DoubleVector x1 = DoubleVector.fromArray(S, dT, dj + n + r);
            c0 = s0.fma(x0, c0); e0 = s1.fma(x0, e0);
            c1 = s0.fma(x1, c1); e1 = s1.fma(x1, e1);
        }
        c0.intoArray(acc, p); c1.intoArray(acc, p + L);
        e0.intoArray(acc, q); e1.intoArray(acc, q + L);
    }
}
