package io.gaussmix.backend.cpu;

import io.gaussmix.math.MixtureParams;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FULL/TIED products in float32 with the Vector API ({@code --precision float32} on the CPU): vectors of
 * the float64 kernels' width ({@link DoubleLanes}: 256 or 512 bits) hold 8 or 16 floats instead of 4 or 8
 * doubles, so each FMA does twice the work (in cache 1.7-2.1x on both products at D = 16-100; a whole pass 1.4x at D = 64-100, none at D = 16: benchmarks/RESULTS.md). What is float32
 * and what is not:
 * <ul>
 *   <li>x - mu_k is formed in float64 and then rounded, so float32 never holds a value far from its
 *       component's mean (the error model of {@link io.gaussmix.em.Float32Guard} is about these values);</li>
 *   <li>y = (x - mu_k) U_k and its squared norm are float32 (U_k rounded once per pass); the log density,
 *       the log-sum-exp and the responsibilities are float64, as on the devices;</li>
 *   <li>each kept row is packed once as sqrt(g) (x - mu_k), formed in float64 and rounded; the second moments
 *       are summed in float32 registers over one block's kept rows (at most {@link CpuBackend#BLOCK}), then added
 *       into the float64 accumulators: float32 never carries a sum of more than 64 terms, and N_k and the first
 *       moments are float64 sums (of g, and of sqrt(g) times the float32 rows);</li>
 *   <li>rows of responsibility at most {@link #KEPT_ABOVE} are left out of the statistics (as rows of 0
 *       are in float64), so that no float32 subnormal slows the products.</li>
 * </ul>
 * Every order is fixed, so a pass is repeatable and independent of the thread count, as in float64.
 * Only {@link CpuBackend} creates it, through the base type, once it has seen the incubator module.
 */
final class Float32Triangular extends TriangularPass {
    private static final VectorSpecies<Float> S = DoubleLanes.LENGTH == 8 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    /**
     * The float64 side's vectors, of the float64 kernels' width ({@link DoubleLanes}: a second width of
     * doubles in one process slows every Vector API kernel after it), and the as many floats they round to
     * (the conversions between the precisions).
     */
    private static final VectorSpecies<Double> DS = DoubleLanes.SPECIES;
    private static final int DL = DoubleLanes.LENGTH;
    private static final VectorSpecies<Float> FS = DL == 8 ? FloatVector.SPECIES_256 : FloatVector.SPECIES_128;
    private static final int L = S.length();
    /** Rows per Mahalanobis tile: 4 vectors of rows. */
    private static final int STRIP = 4 * L;

    /** Row stride of the float32 row-major scratch: D rounded up to a whole vector. */
    private final int df;
    /** The factors of {@link TriangularPass#u}, rounded to float32 (same panel layout). */
    private final float[] u32;
    /** The block's rows minus {@link #center}, transposed (dp x blockRows), once per block. */
    private final double[] xT;
    /** The rows minus mu_c in float32, feature-major: the Mahalanobis input. */
    private final float[] dT;
    /** One Mahalanobis strip's squared norms on their way into {@link TriangularPass#maha}. */
    private final float[] norms = new float[STRIP];
    /**
     * Kept rows' sqrt(g) (x - mu_c), formed in float64 and rounded, row-major with stride df; columns D..df stay 0:
     * both sides of the rank update, as in {@link VectorTriangular}.
     */
    private final float[] kept;
    /** sqrt(g) of each kept row, for the first moments. */
    private final double[] rootG;
    /** One rank-update tile's float32 sums on their way into the float64 accumulators. */
    private final float[] tile = new float[4 * STRIP];
    private final double[] rowMax = new double[blockRows];

    /**
     * Responsibilities at most this leave their row out of the statistics. Java cannot flush float32
     * subnormals to zero, and a packed value (g d then, sqrt(g) d now) below 1.2e-38 is one: each FMA on it takes a
     * microcode assist (a fit at D = 64 slowed from 0.50 to 0.77 s per iteration as its responsibilities sharpened
     * past e^-87). A row of g <= 1e-30 changes N_k by at most 1e-30 of a row, and the moments by as little
     * relative to its spread; float32 itself is exact to 6e-8 only.
     */
    static final double KEPT_ABOVE = 1e-30;

    private Float32Triangular(MixtureParams p, double[] packedFactors) {
        super(p, packedFactors, KEPT_ABOVE, Math.max(PAD, DL), CpuBackend.BLOCK);
        df = (d + L - 1) / L * L;
        u32 = new float[packedFactors.length];
        for (int i = 0; i < u32.length; i++) {
            u32[i] = (float) packedFactors[i];
        }
        xT = new double[dp * blockRows];
        dT = new float[dp * blockRows];
        kept = new float[blockRows * df];
        rootG = new double[blockRows];
    }

    /** Factory typed as the base class, so callers' bytecode never mentions this class's type. */
    static TriangularPass create(MixtureParams p, double[] packedFactors) {
        return new Float32Triangular(p, packedFactors);
    }

    /**
     * dT = the block's rows minus mu_c, feature-major: the rows are transposed once per block (into float64
     * xT, shared by the K components, minus the {@link #center}), then each component subtracts its mean (minus the
     * center) and rounds, over contiguous memory. Rows past b up to the strip keep stale finite values, never read.
     */
    @Override
    void packAll(double[] x, int r0, int b, int c) {
        final int n = blockRows;
        if (c == 0) {
            transpose(x, r0, b, xT);
        }
        int mu = c * d;
        int rows = (b + DL - 1) & -DL;
        for (int i = 0; i < d; i++) {
            DoubleVector m = DoubleVector.broadcast(DS, shiftedMeans[mu + i]);
            int o = i * n;
            for (int r = 0; r < rows; r += DL) {
                narrow(DoubleVector.fromArray(DS, xT, o + r).sub(m)).intoArray(dT, o + r);
            }
        }
    }

    /** DL doubles rounded to DL floats. */
    private static FloatVector narrow(DoubleVector v) {
        return (FloatVector) v.convertShape(VectorOperators.D2F, FS, 0);
    }

    @Override
    double responsibilities(double[] logp, int b, double[] weights, int r0) {
        return VectorExp.responsibilities(logp, b, k, weights, r0, rowMax);
    }

    /** As {@link VectorTriangular}'s tile: 4 output features by 4L rows, the squared norms summed in float32. */
    @Override
    void mahalanobis(int rows, int uOff) {
        final int n = blockRows;
        int strips = (rows + STRIP - 1) / STRIP * STRIP;
        for (int r = 0; r < strips; r += STRIP) {
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
            for (int j0 = 0; j0 < d; j0 += 4) {
                FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
                FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
                FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
                FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
                int end = Math.min(j0 + 4, d);
                int pb = uOff + panelBase(j0);
                for (int i = 0; i < end; i++) {
                    int o = i * n + r;
                    FloatVector x0 = FloatVector.fromArray(S, dT, o);
                    FloatVector x1 = FloatVector.fromArray(S, dT, o + L);
                    FloatVector x2 = FloatVector.fromArray(S, dT, o + 2 * L);
                    FloatVector x3 = FloatVector.fromArray(S, dT, o + 3 * L);
                    int ub = pb + 4 * i;
                    FloatVector g = FloatVector.broadcast(S, u32[ub]);
                    c00 = x0.fma(g, c00); c01 = x1.fma(g, c01); c02 = x2.fma(g, c02); c03 = x3.fma(g, c03);
                    g = FloatVector.broadcast(S, u32[ub + 1]);
                    c10 = x0.fma(g, c10); c11 = x1.fma(g, c11); c12 = x2.fma(g, c12); c13 = x3.fma(g, c13);
                    g = FloatVector.broadcast(S, u32[ub + 2]);
                    c20 = x0.fma(g, c20); c21 = x1.fma(g, c21); c22 = x2.fma(g, c22); c23 = x3.fma(g, c23);
                    g = FloatVector.broadcast(S, u32[ub + 3]);
                    c30 = x0.fma(g, c30); c31 = x1.fma(g, c31); c32 = x2.fma(g, c32); c33 = x3.fma(g, c33);
                }
                s0 = c00.fma(c00, s0); s0 = c10.fma(c10, s0); s0 = c20.fma(c20, s0); s0 = c30.fma(c30, s0);
                s1 = c01.fma(c01, s1); s1 = c11.fma(c11, s1); s1 = c21.fma(c21, s1); s1 = c31.fma(c31, s1);
                s2 = c02.fma(c02, s2); s2 = c12.fma(c12, s2); s2 = c22.fma(c22, s2); s2 = c32.fma(c32, s2);
                s3 = c03.fma(c03, s3); s3 = c13.fma(c13, s3); s3 = c23.fma(c23, s3); s3 = c33.fma(c33, s3);
            }
            s0.intoArray(norms, 0);
            s1.intoArray(norms, L);
            s2.intoArray(norms, 2 * L);
            s3.intoArray(norms, 3 * L);
            for (int q = 0; q < STRIP; q++) {
                maha[r + q] = norms[q];
            }
        }
    }

    /** Each kept row by {@link #packRow}, then the first moments from the rounded rows ({@link #addKept}). */
    @Override
    void packKept(double[] x, int m, int mu, double[] sumDiff) {
        for (int t = 0; t < m; t++) {
            packRow(x, keptRows[t], mu, keptG[t], t);
        }
        addKept(m, sumDiff, mu);
    }

    /** Kept row t: sqrt(g) (x[xOff..] - means[mu..]), formed in float64 and rounded to float32. */
    private void packRow(double[] x, int xOff, int mu, double g, int t) {
        int o = t * df;
        double r = Math.sqrt(g);
        rootG[t] = r;
        DoubleVector rv = DoubleVector.broadcast(DS, r);
        int j = 0;
        for (; j + DL <= d; j += DL) {
            DoubleVector v = DoubleVector.fromArray(DS, x, xOff + j).sub(DoubleVector.fromArray(DS, means, mu + j));
            narrow(v.mul(rv)).intoArray(kept, o + j);
        }
        for (; j < d; j++) {
            kept[o + j] = (float) (r * (x[xOff + j] - means[mu + j]));
        }
    }

    /**
     * sumDiff[mu + j] += the kept rows' float32 g * d_j, widened and summed in float64 in row order, four
     * vectors of columns per pass over the rows (one alone would be a chain of dependent adds).
     */
    private void addKept(int m, double[] sumDiff, int mu) {
        int j = 0;
        for (; j + 4 * DL <= d; j += 4 * DL) {
            DoubleVector v0 = DoubleVector.fromArray(DS, sumDiff, mu + j);
            DoubleVector v1 = DoubleVector.fromArray(DS, sumDiff, mu + j + DL);
            DoubleVector v2 = DoubleVector.fromArray(DS, sumDiff, mu + j + 2 * DL);
            DoubleVector v3 = DoubleVector.fromArray(DS, sumDiff, mu + j + 3 * DL);
            for (int t = 0; t < m; t++) {
                int o = t * df + j;
                DoubleVector r = DoubleVector.broadcast(DS, rootG[t]);
                // The running sums as the FMAs' addends, never their receivers: VectorTriangular's class comment.
                v0 = widen(kept, o).fma(r, v0);
                v1 = widen(kept, o + DL).fma(r, v1);
                v2 = widen(kept, o + 2 * DL).fma(r, v2);
                v3 = widen(kept, o + 3 * DL).fma(r, v3);
            }
            v0.intoArray(sumDiff, mu + j);
            v1.intoArray(sumDiff, mu + j + DL);
            v2.intoArray(sumDiff, mu + j + 2 * DL);
            v3.intoArray(sumDiff, mu + j + 3 * DL);
        }
        for (; j + DL <= d; j += DL) {
            DoubleVector v = DoubleVector.fromArray(DS, sumDiff, mu + j);
            for (int t = 0; t < m; t++) {
                v = widen(kept, t * df + j).fma(DoubleVector.broadcast(DS, rootG[t]), v);
            }
            v.intoArray(sumDiff, mu + j);
        }
        for (; j < d; j++) {
            double v = sumDiff[mu + j];
            for (int t = 0; t < m; t++) {
                v = Math.fma(kept[t * df + j], rootG[t], v);
            }
            sumDiff[mu + j] = v;
        }
    }

    /** a[o..o+DL-1] as DL doubles. */
    private static DoubleVector widen(float[] a, int o) {
        return (DoubleVector) FloatVector.fromArray(FS, a, o).convertShape(VectorOperators.F2D, DS, 0);
    }

    /**
     * The kept rows' outer products, 4 accumulator rows at a time from the L-column block holding the
     * diagonal: tiles of 4L columns, then one of 2L, then one of L (each a loop of its own: a width test
     * inside the loop over the rows costs C2 its registers), each summed from zero in float32 over the
     * block's rows and then added into the float64 accumulators.
     */
    @Override
    void rankUpdate(int m, int cOff) {
        for (int a0 = 0; a0 < d; a0 += 4) {
            int j0 = a0 & ~(L - 1);
            for (; j0 + 4 * L <= df; j0 += 4 * L) {
                tile4x4(m, a0, j0);
                flush(cOff, a0, j0, 4 * L);
            }
            if (j0 + 2 * L <= df) {
                tile4x2(m, a0, j0);
                flush(cOff, a0, j0, 2 * L);
                j0 += 2 * L;
            }
            if (j0 < df) {
                tile4x1(m, a0, j0);
                flush(cOff, a0, j0, L);
            }
        }
    }

    /** acc[a][j] += tile for rows a0..a0+3 (below D) and columns j0..j0+width-1 (below dp). */
    private void flush(int cOff, int a0, int j0, int width) {
        int rows = Math.min(4, d - a0);
        int cols = Math.min(width, dp - j0);
        for (int a = 0; a < rows; a++) {
            int to = cOff + (a0 + a) * dp + j0;
            int from = a * STRIP;
            for (int j = 0; j < cols; j += DL) {   // cols is a multiple of DL (dp is, j0 a multiple of 8)
                DoubleVector.fromArray(DS, acc, to + j).add(widen(tile, from + j)).intoArray(acc, to + j);
            }
        }
    }

    private void tile4x4(int m, int a0, int j0) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int t = 0; t < m; t++) {
            int o = t * df;
            FloatVector x0 = FloatVector.fromArray(S, kept, o + j0);
            FloatVector x1 = FloatVector.fromArray(S, kept, o + j0 + L);
            FloatVector x2 = FloatVector.fromArray(S, kept, o + j0 + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, kept, o + j0 + 3 * L);
            FloatVector g = FloatVector.broadcast(S, kept[o + a0]);
            c00 = x0.fma(g, c00); c01 = x1.fma(g, c01); c02 = x2.fma(g, c02); c03 = x3.fma(g, c03);
            g = FloatVector.broadcast(S, kept[o + a0 + 1]);
            c10 = x0.fma(g, c10); c11 = x1.fma(g, c11); c12 = x2.fma(g, c12); c13 = x3.fma(g, c13);
            g = FloatVector.broadcast(S, kept[o + a0 + 2]);
            c20 = x0.fma(g, c20); c21 = x1.fma(g, c21); c22 = x2.fma(g, c22); c23 = x3.fma(g, c23);
            g = FloatVector.broadcast(S, kept[o + a0 + 3]);
            c30 = x0.fma(g, c30); c31 = x1.fma(g, c31); c32 = x2.fma(g, c32); c33 = x3.fma(g, c33);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L); c02.intoArray(tile, 2 * L); c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, STRIP); c11.intoArray(tile, STRIP + L); c12.intoArray(tile, STRIP + 2 * L); c13.intoArray(tile, STRIP + 3 * L);
        c20.intoArray(tile, 2 * STRIP); c21.intoArray(tile, 2 * STRIP + L); c22.intoArray(tile, 2 * STRIP + 2 * L); c23.intoArray(tile, 2 * STRIP + 3 * L);
        c30.intoArray(tile, 3 * STRIP); c31.intoArray(tile, 3 * STRIP + L); c32.intoArray(tile, 3 * STRIP + 2 * L); c33.intoArray(tile, 3 * STRIP + 3 * L);
    }

    private void tile4x2(int m, int a0, int j0) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int t = 0; t < m; t++) {
            int o = t * df;
            FloatVector x0 = FloatVector.fromArray(S, kept, o + j0);
            FloatVector x1 = FloatVector.fromArray(S, kept, o + j0 + L);
            FloatVector g = FloatVector.broadcast(S, kept[o + a0]);
            c00 = x0.fma(g, c00); c01 = x1.fma(g, c01);
            g = FloatVector.broadcast(S, kept[o + a0 + 1]);
            c10 = x0.fma(g, c10); c11 = x1.fma(g, c11);
            g = FloatVector.broadcast(S, kept[o + a0 + 2]);
            c20 = x0.fma(g, c20); c21 = x1.fma(g, c21);
            g = FloatVector.broadcast(S, kept[o + a0 + 3]);
            c30 = x0.fma(g, c30); c31 = x1.fma(g, c31);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, STRIP); c11.intoArray(tile, STRIP + L);
        c20.intoArray(tile, 2 * STRIP); c21.intoArray(tile, 2 * STRIP + L);
        c30.intoArray(tile, 3 * STRIP); c31.intoArray(tile, 3 * STRIP + L);
    }

    private void tile4x1(int m, int a0, int j0) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int t = 0; t < m; t++) {
            int o = t * df;
            FloatVector x0 = FloatVector.fromArray(S, kept, o + j0);
            c0 = x0.fma(FloatVector.broadcast(S, kept[o + a0]), c0);
            c1 = x0.fma(FloatVector.broadcast(S, kept[o + a0 + 1]), c1);
            c2 = x0.fma(FloatVector.broadcast(S, kept[o + a0 + 2]), c2);
            c3 = x0.fma(FloatVector.broadcast(S, kept[o + a0 + 3]), c3);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, STRIP);
        c2.intoArray(tile, 2 * STRIP);
        c3.intoArray(tile, 3 * STRIP);
    }
}
