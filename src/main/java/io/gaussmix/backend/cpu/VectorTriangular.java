package io.gaussmix.backend.cpu;

import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The triangular kernels with the incubating Vector API. Only {@link CpuBackend} creates it, and
 * only once it has seen the {@code jdk.incubator.vector} module, so this class (the only one that
 * names the module's types, with {@link LaneStatistics}, {@link VectorExp} and {@link DoubleLanes}) is never
 * loaded without it.
 *
 * <p>Both products run as register tiles of vectors of L = 4 or 8 doubles ({@link DoubleLanes}: 256 or 512
 * bits, whichever the CPU prefers). The Mahalanobis term is feature-major (rows in lanes: no horizontal
 * sums, and the 4 x 4 diagonal blocks of U feed only their upper triangle), 4 x 4 vectors: per step of the
 * reduction index, 4 vector loads and 4 broadcasts feed 16 FMAs. Every component reads the same block, the rows
 * minus the mixture's mean ({@link #center}), transposed once: its tiles start from -(mu_c - center) U_c instead of
 * 0, which costs nothing, where subtracting each mean first wrote the block once more per component (N = 2e5,
 * D = 64, K = 8, one thread: log densities 0.069 s instead of 0.083; a whole fit's steady iteration 0.103 s
 * instead of 0.110; benchmarks/RESULTS.md). The second moments: up to D = 16 from the
 * same feature-major block, per lane ({@link LaneStatistics}); above, row-major over the kept rows (rows
 * with g = 0 skipped), in tiles that start at the vector containing the diagonal's 4-row block (row
 * strides padded to L). The log-sum-exp's exp runs in vectors ({@link VectorExp}); up to D = 16 a block stays
 * component-major, rows in lanes, from its log densities to its statistics ({@link #expectation}). {@code reduceLanes} of
 * a sum is never used: its order may differ between the interpreter and compiled code, which would break
 * bit-identical repeats (the log-sum-exp's row maximum is one, {@link VectorExp}: a maximum is exact in
 * any order).
 *
 * <p>In a loop, a running sum is the argument of the add, not its receiver ({@code v = load.add(v)}, the same
 * bits: adds and maxima commute). C2 types a loop-carried variable as the abstract {@code DoubleVector}, so a
 * call on it needs the call site's type profile to become vector instructions; compiled early, before that
 * profile existed, the first moments' adds (then a method of their own, addKept) stayed virtual calls that box
 * every vector, and about one fit process in ten (N = 2e5, D = 64) ran all its steady iterations 2x slower with
 * 4x the GCs (benchmarks/RESULTS.md, "Issue 12, round 4"). Calls after a loop (the stores, the squares) still have such receivers; their own
 * profiles have sufficed here (no slow process in 62 at D = 16, 64 and 100), but not in {@link Float32Triangular}
 * compiled as early ({@code cli.JvmRelaunch.JIT_OPTIONS}). Making such a receiver's class known by a
 * {@code Class.cast} or an all-true {@code blend} cost more than it saved (a D = 64 steady iteration 0.127 and
 * 0.244 s against 0.111), as did an add of -0.0 in {@link Float32Triangular} (its pass 0.203 s against 0.139) and
 * moving the stores into each loop's last iteration (its steady iteration 0.090 s against 0.074; "Issue 12, round 5").
 */
final class VectorTriangular extends TriangularPass {
    private static final VectorSpecies<Double> S = DoubleLanes.SPECIES;
    private static final int L = DoubleLanes.LENGTH;
    /** Columns of a 4 x 4 rank-update tile; also the rows of a Mahalanobis strip. */
    private static final int W = 4 * L;
    /**
     * Rows per block where the statistics are per lane (D <= 16): {@link LaneStatistics} loads and stores its
     * accumulators once per block and component, which at 64 rows (8 row vectors of 8 lanes) cost about as
     * much as the FMAs between them (N = 1e6, D = 16, K = 8: a steady iteration 0.106 s at 64 rows, 0.091 at
     * 128; 256 measured as 128, 512 slower; benchmarks/RESULTS.md). Above, 64 ({@link CpuBackend#BLOCK}): at
     * D = 64 the block's copies (D x rows doubles each) then stay in L1, and 128 rows made the pass slower.
     */
    static final int PER_LANE_ROWS = 128;

    /**
     * The kept rows' sqrt(g) (x - mu_k) (statistics phase), row-major with stride dp; columns D..dp stay 0. One
     * array serves both sides of the rank update, (sqrt(g) d)(sqrt(g) d)^T = g d d^T: with d and g d in two arrays
     * the packing stored twice as much and the statistics took 0.094 s instead of 0.083 (N = 2e5, D = 64, K = 8,
     * one thread; benchmarks/RESULTS.md, "Issue 12, round 5").
     */
    private final double[] kept;
    /** sqrt(g) of each kept row: the first moments add sqrt(g) times its row of {@link #kept}. */
    private final double[] rootG;
    /** The block's rows minus {@link #center}, transposed (dp x blockRows), once per block: the Mahalanobis input. */
    private final double[] xT;
    /** (mu_c - center) U_c per component (K x dp, zero past D): subtracted from xT U_c in the Mahalanobis term. */
    private final double[] bias;
    /** The component whose Mahalanobis term the next {@link #mahalanobis} call computes (set by packAll). */
    private int component;
    /** The rows xT was transposed from (array, first row, count); the array is the caller's, never written. */
    private double[] transposedRows;
    private int transposedFrom;
    private int transposedCount;
    /** Each block row's largest log density (responsibilities). */
    private final double[] rowMax = new double[blockRows];
    /** Each block row's sum of exp, then its scale (the component-major responsibilities). */
    private final double[] rowSum = new double[blockRows];
    /**
     * At small D, the block's log densities and then responsibilities component-major (K x blockRows), the layout in
     * which {@link LaneStatistics} reads them; null above.
     */
    private final double[] byComponent;
    /** The small-D statistics, or null when dp exceeds {@link LaneStatistics#MAX_STRIDE}. */
    private final LaneStatistics lanes;

    private VectorTriangular(MixtureParams p, double[] packedFactors) {
        super(p, packedFactors, 0, Math.max(PAD, L), statisticsPerLane(p.dimensions()) ? PER_LANE_ROWS : CpuBackend.BLOCK);
        lanes = statisticsPerLane(d) ? new LaneStatistics(k, d, dp, blockRows, shiftedMeans) : null;
        byComponent = lanes == null ? null : new double[k * blockRows];
        kept = new double[blockRows * dp];
        rootG = new double[blockRows];
        xT = new double[dp * blockRows];
        bias = bias(p);
    }

    /** (mu_c - center) U_c for each component (U shared when TIED), rows of dp. */
    private double[] bias(MixtureParams p) {
        double[] prec = p.precisionCholesky();
        double[] out = new double[k * dp];
        for (int c = 0; c < k; c++) {
            int f = (tied ? 0 : c) * d * d;
            for (int j = 0; j < d; j++) {
                double v = 0;
                for (int i = 0; i <= j; i++) {
                    v = Math.fma(shiftedMeans[c * d + i], prec[f + i * d + j], v);
                }
                out[c * dp + j] = v;
            }
        }
        return out;
    }

    /** Whether the second moments at dimension d come from {@link LaneStatistics} (else the row-major tiles). */
    static boolean statisticsPerLane(int d) {
        return paddedStride(d, Math.max(PAD, L)) <= LaneStatistics.MAX_STRIDE;
    }

    /** Factory typed as the base class, so callers' bytecode never mentions this class's type. */
    static TriangularPass create(MixtureParams p, double[] packedFactors) {
        return new VectorTriangular(p, packedFactors);
    }

    /**
     * The kept rows' sqrt(g) d into {@link #kept} and their g d = sqrt(g) (sqrt(g) d) onto sumDiff, in one pass over
     * the rows per 4 vectors of columns, the means and the sums in registers. Packing row by row and then adding
     * the first moments from {@link #kept} in a second pass took 0.039 s where this takes 0.027 (N = 2e5, D = 64,
     * K = 8, one thread; the same bits).
     */
    @Override
    void packKept(double[] x, int m, int mu, double[] sumDiff) {
        for (int t = 0; t < m; t += L) {   // keptG and rootG hold blockRows, a multiple of L
            DoubleVector.fromArray(S, keptG, t).sqrt().intoArray(rootG, t);
        }
        int j = 0;
        for (; j + 4 * L <= d; j += 4 * L) {
            DoubleVector m0 = DoubleVector.fromArray(S, means, mu + j);
            DoubleVector m1 = DoubleVector.fromArray(S, means, mu + j + L);
            DoubleVector m2 = DoubleVector.fromArray(S, means, mu + j + 2 * L);
            DoubleVector m3 = DoubleVector.fromArray(S, means, mu + j + 3 * L);
            DoubleVector v0 = DoubleVector.fromArray(S, sumDiff, mu + j);
            DoubleVector v1 = DoubleVector.fromArray(S, sumDiff, mu + j + L);
            DoubleVector v2 = DoubleVector.fromArray(S, sumDiff, mu + j + 2 * L);
            DoubleVector v3 = DoubleVector.fromArray(S, sumDiff, mu + j + 3 * L);
            for (int t = 0; t < m; t++) {
                int xo = keptRows[t] + j;
                int o = t * dp + j;
                DoubleVector r = DoubleVector.broadcast(S, rootG[t]);
                // The running sums as the FMAs' addends, never their receivers (the class comment).
                DoubleVector y = DoubleVector.fromArray(S, x, xo).sub(m0).mul(r);
                y.intoArray(kept, o);
                v0 = y.fma(r, v0);
                y = DoubleVector.fromArray(S, x, xo + L).sub(m1).mul(r);
                y.intoArray(kept, o + L);
                v1 = y.fma(r, v1);
                y = DoubleVector.fromArray(S, x, xo + 2 * L).sub(m2).mul(r);
                y.intoArray(kept, o + 2 * L);
                v2 = y.fma(r, v2);
                y = DoubleVector.fromArray(S, x, xo + 3 * L).sub(m3).mul(r);
                y.intoArray(kept, o + 3 * L);
                v3 = y.fma(r, v3);
            }
            v0.intoArray(sumDiff, mu + j);
            v1.intoArray(sumDiff, mu + j + L);
            v2.intoArray(sumDiff, mu + j + 2 * L);
            v3.intoArray(sumDiff, mu + j + 3 * L);
        }
        for (; j + L <= d; j += L) {
            DoubleVector m0 = DoubleVector.fromArray(S, means, mu + j);
            DoubleVector v = DoubleVector.fromArray(S, sumDiff, mu + j);
            for (int t = 0; t < m; t++) {
                DoubleVector r = DoubleVector.broadcast(S, rootG[t]);
                DoubleVector y = DoubleVector.fromArray(S, x, keptRows[t] + j).sub(m0).mul(r);
                y.intoArray(kept, t * dp + j);
                v = y.fma(r, v);
            }
            v.intoArray(sumDiff, mu + j);
        }
        for (; j < d; j++) {
            double v = sumDiff[mu + j];
            double mean = means[mu + j];
            for (int t = 0; t < m; t++) {
                double r = rootG[t];
                double y = r * (x[keptRows[t] + j] - mean);
                kept[t * dp + j] = y;
                v = Math.fma(y, r, v);
            }
            sumDiff[mu + j] = v;
        }
    }

    /** Transposes the block once (component 0) and notes the component; the tiles subtract its mean themselves. */
    @Override
    void packAll(double[] x, int r0, int b, int c) {
        if (c == 0) {
            transpose(x, r0, b);
        }
        component = c;
    }

    /**
     * xT = the block's rows transposed, shared by the K components (and, at small D, by the statistics);
     * rows past b keep stale finite values.
     */
    private void transpose(double[] x, int r0, int b) {
        transpose(x, r0, b, xT);
        transposedRows = x;
        transposedFrom = r0;
        transposedCount = b;
    }

    /**
     * At small D the statistics reuse the block's transposed rows from {@link #logDensities} (transposed
     * again only when this block was not the last one transposed: a caller that runs the statistics
     * alone) and add per-lane sums ({@link LaneStatistics}); otherwise the row-major kernels below.
     */
    @Override
    void accumulate(double[] x, int r0, int b, double[] g, SufficientStats s) {
        if (lanes == null) {
            super.accumulate(x, r0, b, g, s);
            return;
        }
        if (transposedRows != x || transposedFrom != r0 || transposedCount != b) {
            transpose(x, r0, b);
        }
        final int n = blockRows;
        int rows = (b + L - 1) & ~(L - 1);
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < b; r++) {
                byComponent[c * n + r] = g[r * k + c];
            }
            for (int r = b; r < rows; r++) {
                byComponent[c * n + r] = 0.0;
            }
        }
        lanes.accumulate(xT, byComponent, b, s.nk);
    }

    /**
     * At small D the block stays component-major from the log densities to the statistics (its lanes are rows
     * throughout: {@link VectorExp#responsibilitiesByComponent}, {@link LaneStatistics}); {@code block} is left
     * unwritten. Row-major, the log-sum-exp went row by row and each component's responsibilities were gathered
     * out of the rows again for the statistics.
     */
    @Override
    double expectation(double[] x, int r0, int b, double[] block, double[] weights, SufficientStats s) {
        if (lanes == null) {
            return super.expectation(x, r0, b, block, weights, s);
        }
        final int n = blockRows;
        int rows = (b + L - 1) & ~(L - 1);
        transpose(x, r0, b);
        for (int c = 0; c < k; c++) {
            component = c;
            mahalanobis(b, factorOffset(c));
            DoubleVector constant = DoubleVector.broadcast(S, constants[c]);
            for (int r = 0; r < rows; r += L) {
                // constant - 0.5 maha, as logDensities computes it
                constant.sub(DoubleVector.fromArray(S, maha, r).mul(0.5)).intoArray(byComponent, c * n + r);
            }
        }
        double ll = VectorExp.responsibilitiesByComponent(byComponent, b, k, n, weights, r0, rowMax, rowSum);
        lanes.accumulate(xT, byComponent, b, s.nk);
        return ll;
    }

    /** {@link VectorExp#responsibilities}: the log-sum-exp with the exp in vectors. */
    @Override
    double responsibilities(double[] logp, int b, double[] weights, int r0) {
        return VectorExp.responsibilities(logp, b, k, weights, r0, rowMax);
    }

    @Override
    void finish(SufficientStats s) {
        if (lanes == null) {
            super.finish(s);
        } else {
            lanes.finish(s);
        }
    }

    /**
     * Feature-major: the lanes are rows, so squared norms need no horizontal sums. Tiles of 4 output
     * features j by W = 4L rows, each sum starting at -bias_j = -((mu_c - center) U_c)_j: per i, 4 row vectors of
     * the shifted x_i and 4 broadcasts of U[i][j..j+3] feed 16 FMAs for i <= j0; the diagonal block's other rows
     * (i = j0 + 1..j0 + 3) are straight-line code that multiplies only U's upper triangle (10 of the block's 16
     * products: at D = 16, one thread, the pass took 0.168-0.172 s instead of 0.180; benchmarks/RESULTS.md, round 9).
     */
    @Override
    void mahalanobis(int rows, int uOff) {
        final int n = blockRows;
        int strips = (rows + W - 1) & -W;
        int bOff = component * dp;
        for (int r = 0; r < strips; r += W) {
            DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
            for (int j0 = 0; j0 < d; j0 += 4) {
                DoubleVector c00 = DoubleVector.broadcast(S, -bias[bOff + j0]), c01 = c00, c02 = c00, c03 = c00;
                DoubleVector c10 = DoubleVector.broadcast(S, -bias[bOff + j0 + 1]), c11 = c10, c12 = c10, c13 = c10;
                DoubleVector c20 = DoubleVector.broadcast(S, -bias[bOff + j0 + 2]), c21 = c20, c22 = c20, c23 = c20;
                DoubleVector c30 = DoubleVector.broadcast(S, -bias[bOff + j0 + 3]), c31 = c30, c32 = c30, c33 = c30;
                int pb = uOff + panelBase(j0);
                for (int i = 0; i <= j0; i++) {
                    int o = i * n + r;
                    DoubleVector x0 = DoubleVector.fromArray(S, xT, o);
                    DoubleVector x1 = DoubleVector.fromArray(S, xT, o + L);
                    DoubleVector x2 = DoubleVector.fromArray(S, xT, o + 2 * L);
                    DoubleVector x3 = DoubleVector.fromArray(S, xT, o + 3 * L);
                    int ub = pb + 4 * i;
                    DoubleVector g = DoubleVector.broadcast(S, u[ub]);
                    c00 = x0.fma(g, c00); c01 = x1.fma(g, c01); c02 = x2.fma(g, c02); c03 = x3.fma(g, c03);
                    g = DoubleVector.broadcast(S, u[ub + 1]);
                    c10 = x0.fma(g, c10); c11 = x1.fma(g, c11); c12 = x2.fma(g, c12); c13 = x3.fma(g, c13);
                    g = DoubleVector.broadcast(S, u[ub + 2]);
                    c20 = x0.fma(g, c20); c21 = x1.fma(g, c21); c22 = x2.fma(g, c22); c23 = x3.fma(g, c23);
                    g = DoubleVector.broadcast(S, u[ub + 3]);
                    c30 = x0.fma(g, c30); c31 = x1.fma(g, c31); c32 = x2.fma(g, c32); c33 = x3.fma(g, c33);
                }
                // The diagonal block's rows i = j0 + 1..j0 + 3 of U: row i meets only the columns j >= i (U is 0 below
                // its diagonal). Past D, xT's rows and U's are 0: their products change no bit of maha.
                {
                    int o = (j0 + 1) * n + r;
                    DoubleVector x0 = DoubleVector.fromArray(S, xT, o);
                    DoubleVector x1 = DoubleVector.fromArray(S, xT, o + L);
                    DoubleVector x2 = DoubleVector.fromArray(S, xT, o + 2 * L);
                    DoubleVector x3 = DoubleVector.fromArray(S, xT, o + 3 * L);
                    int ub = pb + 4 * (j0 + 1);
                    DoubleVector g = DoubleVector.broadcast(S, u[ub + 1]);
                    c10 = x0.fma(g, c10); c11 = x1.fma(g, c11); c12 = x2.fma(g, c12); c13 = x3.fma(g, c13);
                    g = DoubleVector.broadcast(S, u[ub + 2]);
                    c20 = x0.fma(g, c20); c21 = x1.fma(g, c21); c22 = x2.fma(g, c22); c23 = x3.fma(g, c23);
                    g = DoubleVector.broadcast(S, u[ub + 3]);
                    c30 = x0.fma(g, c30); c31 = x1.fma(g, c31); c32 = x2.fma(g, c32); c33 = x3.fma(g, c33);
                }
                {
                    int o = (j0 + 2) * n + r;
                    DoubleVector x0 = DoubleVector.fromArray(S, xT, o);
                    DoubleVector x1 = DoubleVector.fromArray(S, xT, o + L);
                    DoubleVector x2 = DoubleVector.fromArray(S, xT, o + 2 * L);
                    DoubleVector x3 = DoubleVector.fromArray(S, xT, o + 3 * L);
                    int ub = pb + 4 * (j0 + 2);
                    DoubleVector g = DoubleVector.broadcast(S, u[ub + 2]);
                    c20 = x0.fma(g, c20); c21 = x1.fma(g, c21); c22 = x2.fma(g, c22); c23 = x3.fma(g, c23);
                    g = DoubleVector.broadcast(S, u[ub + 3]);
                    c30 = x0.fma(g, c30); c31 = x1.fma(g, c31); c32 = x2.fma(g, c32); c33 = x3.fma(g, c33);
                }
                {
                    int o = (j0 + 3) * n + r;
                    DoubleVector g = DoubleVector.broadcast(S, u[pb + 4 * (j0 + 3) + 3]);
                    c30 = DoubleVector.fromArray(S, xT, o).fma(g, c30);
                    c31 = DoubleVector.fromArray(S, xT, o + L).fma(g, c31);
                    c32 = DoubleVector.fromArray(S, xT, o + 2 * L).fma(g, c32);
                    c33 = DoubleVector.fromArray(S, xT, o + 3 * L).fma(g, c33);
                }
                s0 = c00.fma(c00, s0); s0 = c10.fma(c10, s0); s0 = c20.fma(c20, s0); s0 = c30.fma(c30, s0);
                s1 = c01.fma(c01, s1); s1 = c11.fma(c11, s1); s1 = c21.fma(c21, s1); s1 = c31.fma(c31, s1);
                s2 = c02.fma(c02, s2); s2 = c12.fma(c12, s2); s2 = c22.fma(c22, s2); s2 = c32.fma(c32, s2);
                s3 = c03.fma(c03, s3); s3 = c13.fma(c13, s3); s3 = c23.fma(c23, s3); s3 = c33.fma(c33, s3);
            }
            // The sums leave the loop over j0 of an abstract type: 0 + s (the same bits, s >= 0) stores them by a
            // call whose receiver's class C2 knows; s.intoArray compiled as a virtual call in some processes, whose
            // every steady iteration then took 20% longer (N = 1e6, D = 16; benchmarks/RESULTS.md, round 9).
            DoubleVector zero = DoubleVector.zero(S);
            zero.add(s0).intoArray(maha, r);
            zero.add(s1).intoArray(maha, r + L);
            zero.add(s2).intoArray(maha, r + 2 * L);
            zero.add(s3).intoArray(maha, r + 3 * L);
        }
    }

    /**
     * The kept rows' outer products into the accumulators' upper triangle, in register tiles of 4 rows. A row
     * block's columns run in whole vectors from its diagonal a0 to D rounded up to 4 where they fit exactly
     * (always with L = 4; with L = 8, the blocks at a0 = 4 mod 8 when D rounded up to 4 is too), else from the
     * vector holding a0 (a0 rounded down to L) to the stride dp: at D = 100 and L = 8 that is 5408 FMAs per kept row
     * where every block starting at its vector took 5792. Then 4 x 4 vectors while 4 are left, the last 3 as
     * one 4 x 3 tile; 2 or 1 left: with L = 4, the last 2 vectors together with the next row block's last vector
     * (8 x 2 minus the corner below the diagonal: 12 accumulators, where a 4 x 1 tile alone has 4 and waits on
     * its FMAs' latency); with L = 8, a 4 x 2 tile, or, where the row blocks a0 and a0 + 4 share their last
     * vector, one 8 x 1 tile for both (else 4 x 1). No tile lies wholly below the diagonal: at D = 16 and L = 4
     * that is 40 vector FMAs per kept row where the 16-column grid's tiles took 64. Every entry still adds its
     * rows in order by one FMA each, so neither the tiling nor the width changes a bit.
     */
    @Override
    void rankUpdate(int m, int cOff) {
        int d4 = paddedStride(d);
        for (int a0 = 0; a0 < d; a0 += 4) {
            boolean fromDiagonal = (d4 - a0) % L == 0;
            int j0 = fromDiagonal ? a0 : a0 & -L;
            int end = fromDiagonal ? d4 : dp;
            for (; j0 + W <= end; j0 += W) {
                tile4x4(m, cOff, a0, j0);
            }
            switch ((end - j0) / L) {
                case 3:
                    tile4x3(m, cOff, a0, j0);
                    break;
                case 2:
                    if (L == 4) {
                        tile8x2(m, cOff, a0, j0);
                    } else {
                        tile4x2(m, cOff, a0, j0);
                    }
                    break;
                case 1:
                    if (L == 4) {
                        if (a0 == 0) {   // otherwise the previous row block's tile8x2 covered it
                            tile4x1(m, cOff, a0, j0);
                        }
                    } else if (d4 != dp) {   // the blocks a0 and a0 + 4 end at different columns
                        tile4x1(m, cOff, a0, j0);
                    } else if ((a0 & 7) == 0) {   // covers block a0 + 4 too
                        tile8x1(m, cOff, a0, j0);
                    }
                    break;
                default:
                    break;
            }
        }
    }

    /** Rows a0..a0+3 of the accumulator by columns j0..j0+4L-1: 16 accumulators, 4 loads and 4 broadcasts per row. */
    private void tile4x4(int m, int cOff, int a0, int j0) {
        int r0 = cOff + a0 * dp + j0;
        int r1 = r0 + dp;
        int r2 = r1 + dp;
        int r3 = r2 + dp;
        DoubleVector c00 = DoubleVector.fromArray(S, acc, r0);
        DoubleVector c01 = DoubleVector.fromArray(S, acc, r0 + L);
        DoubleVector c02 = DoubleVector.fromArray(S, acc, r0 + 2 * L);
        DoubleVector c03 = DoubleVector.fromArray(S, acc, r0 + 3 * L);
        DoubleVector c10 = DoubleVector.fromArray(S, acc, r1);
        DoubleVector c11 = DoubleVector.fromArray(S, acc, r1 + L);
        DoubleVector c12 = DoubleVector.fromArray(S, acc, r1 + 2 * L);
        DoubleVector c13 = DoubleVector.fromArray(S, acc, r1 + 3 * L);
        DoubleVector c20 = DoubleVector.fromArray(S, acc, r2);
        DoubleVector c21 = DoubleVector.fromArray(S, acc, r2 + L);
        DoubleVector c22 = DoubleVector.fromArray(S, acc, r2 + 2 * L);
        DoubleVector c23 = DoubleVector.fromArray(S, acc, r2 + 3 * L);
        DoubleVector c30 = DoubleVector.fromArray(S, acc, r3);
        DoubleVector c31 = DoubleVector.fromArray(S, acc, r3 + L);
        DoubleVector c32 = DoubleVector.fromArray(S, acc, r3 + 2 * L);
        DoubleVector c33 = DoubleVector.fromArray(S, acc, r3 + 3 * L);
        for (int t = 0; t < m; t++) {
            int o = t * dp;
            DoubleVector x0 = DoubleVector.fromArray(S, kept, o + j0);
            DoubleVector x1 = DoubleVector.fromArray(S, kept, o + j0 + L);
            DoubleVector x2 = DoubleVector.fromArray(S, kept, o + j0 + 2 * L);
            DoubleVector x3 = DoubleVector.fromArray(S, kept, o + j0 + 3 * L);
            DoubleVector g = DoubleVector.broadcast(S, kept[o + a0]);
            c00 = x0.fma(g, c00); c01 = x1.fma(g, c01); c02 = x2.fma(g, c02); c03 = x3.fma(g, c03);
            g = DoubleVector.broadcast(S, kept[o + a0 + 1]);
            c10 = x0.fma(g, c10); c11 = x1.fma(g, c11); c12 = x2.fma(g, c12); c13 = x3.fma(g, c13);
            g = DoubleVector.broadcast(S, kept[o + a0 + 2]);
            c20 = x0.fma(g, c20); c21 = x1.fma(g, c21); c22 = x2.fma(g, c22); c23 = x3.fma(g, c23);
            g = DoubleVector.broadcast(S, kept[o + a0 + 3]);
            c30 = x0.fma(g, c30); c31 = x1.fma(g, c31); c32 = x2.fma(g, c32); c33 = x3.fma(g, c33);
        }
        c00.intoArray(acc, r0); c01.intoArray(acc, r0 + L); c02.intoArray(acc, r0 + 2 * L); c03.intoArray(acc, r0 + 3 * L);
        c10.intoArray(acc, r1); c11.intoArray(acc, r1 + L); c12.intoArray(acc, r1 + 2 * L); c13.intoArray(acc, r1 + 3 * L);
        c20.intoArray(acc, r2); c21.intoArray(acc, r2 + L); c22.intoArray(acc, r2 + 2 * L); c23.intoArray(acc, r2 + 3 * L);
        c30.intoArray(acc, r3); c31.intoArray(acc, r3 + L); c32.intoArray(acc, r3 + 2 * L); c33.intoArray(acc, r3 + 3 * L);
    }

    /** Rows a0..a0+3 by the last 3 vectors from column j0. */
    private void tile4x3(int m, int cOff, int a0, int j0) {
        int r0 = cOff + a0 * dp + j0;
        int r1 = r0 + dp;
        int r2 = r1 + dp;
        int r3 = r2 + dp;
        DoubleVector c00 = DoubleVector.fromArray(S, acc, r0);
        DoubleVector c01 = DoubleVector.fromArray(S, acc, r0 + L);
        DoubleVector c02 = DoubleVector.fromArray(S, acc, r0 + 2 * L);
        DoubleVector c10 = DoubleVector.fromArray(S, acc, r1);
        DoubleVector c11 = DoubleVector.fromArray(S, acc, r1 + L);
        DoubleVector c12 = DoubleVector.fromArray(S, acc, r1 + 2 * L);
        DoubleVector c20 = DoubleVector.fromArray(S, acc, r2);
        DoubleVector c21 = DoubleVector.fromArray(S, acc, r2 + L);
        DoubleVector c22 = DoubleVector.fromArray(S, acc, r2 + 2 * L);
        DoubleVector c30 = DoubleVector.fromArray(S, acc, r3);
        DoubleVector c31 = DoubleVector.fromArray(S, acc, r3 + L);
        DoubleVector c32 = DoubleVector.fromArray(S, acc, r3 + 2 * L);
        for (int t = 0; t < m; t++) {
            int o = t * dp;
            DoubleVector x0 = DoubleVector.fromArray(S, kept, o + j0);
            DoubleVector x1 = DoubleVector.fromArray(S, kept, o + j0 + L);
            DoubleVector x2 = DoubleVector.fromArray(S, kept, o + j0 + 2 * L);
            DoubleVector g = DoubleVector.broadcast(S, kept[o + a0]);
            c00 = x0.fma(g, c00); c01 = x1.fma(g, c01); c02 = x2.fma(g, c02);
            g = DoubleVector.broadcast(S, kept[o + a0 + 1]);
            c10 = x0.fma(g, c10); c11 = x1.fma(g, c11); c12 = x2.fma(g, c12);
            g = DoubleVector.broadcast(S, kept[o + a0 + 2]);
            c20 = x0.fma(g, c20); c21 = x1.fma(g, c21); c22 = x2.fma(g, c22);
            g = DoubleVector.broadcast(S, kept[o + a0 + 3]);
            c30 = x0.fma(g, c30); c31 = x1.fma(g, c31); c32 = x2.fma(g, c32);
        }
        c00.intoArray(acc, r0); c01.intoArray(acc, r0 + L); c02.intoArray(acc, r0 + 2 * L);
        c10.intoArray(acc, r1); c11.intoArray(acc, r1 + L); c12.intoArray(acc, r1 + 2 * L);
        c20.intoArray(acc, r2); c21.intoArray(acc, r2 + L); c22.intoArray(acc, r2 + 2 * L);
        c30.intoArray(acc, r3); c31.intoArray(acc, r3 + L); c32.intoArray(acc, r3 + 2 * L);
    }

    /**
     * With L = 4: rows a0..a0+3 by the last 8 columns j0..j0+7 and rows a0+4..a0+7 by the last 4 (j0+4..j0+7):
     * the ends of two row blocks in one pass over the kept rows, 2 loads and 8 broadcasts per 12 FMAs.
     */
    private void tile8x2(int m, int cOff, int a0, int j0) {
        int r0 = cOff + a0 * dp + j0;
        int r1 = r0 + dp;
        int r2 = r1 + dp;
        int r3 = r2 + dp;
        int r4 = r3 + dp + L;
        int r5 = r4 + dp;
        int r6 = r5 + dp;
        int r7 = r6 + dp;
        DoubleVector c00 = DoubleVector.fromArray(S, acc, r0);
        DoubleVector c01 = DoubleVector.fromArray(S, acc, r0 + L);
        DoubleVector c10 = DoubleVector.fromArray(S, acc, r1);
        DoubleVector c11 = DoubleVector.fromArray(S, acc, r1 + L);
        DoubleVector c20 = DoubleVector.fromArray(S, acc, r2);
        DoubleVector c21 = DoubleVector.fromArray(S, acc, r2 + L);
        DoubleVector c30 = DoubleVector.fromArray(S, acc, r3);
        DoubleVector c31 = DoubleVector.fromArray(S, acc, r3 + L);
        DoubleVector c41 = DoubleVector.fromArray(S, acc, r4);
        DoubleVector c51 = DoubleVector.fromArray(S, acc, r5);
        DoubleVector c61 = DoubleVector.fromArray(S, acc, r6);
        DoubleVector c71 = DoubleVector.fromArray(S, acc, r7);
        for (int t = 0; t < m; t++) {
            int o = t * dp;
            DoubleVector x0 = DoubleVector.fromArray(S, kept, o + j0);
            DoubleVector x1 = DoubleVector.fromArray(S, kept, o + j0 + L);
            DoubleVector g = DoubleVector.broadcast(S, kept[o + a0]);
            c00 = x0.fma(g, c00); c01 = x1.fma(g, c01);
            g = DoubleVector.broadcast(S, kept[o + a0 + 1]);
            c10 = x0.fma(g, c10); c11 = x1.fma(g, c11);
            g = DoubleVector.broadcast(S, kept[o + a0 + 2]);
            c20 = x0.fma(g, c20); c21 = x1.fma(g, c21);
            g = DoubleVector.broadcast(S, kept[o + a0 + 3]);
            c30 = x0.fma(g, c30); c31 = x1.fma(g, c31);
            c41 = x1.fma(DoubleVector.broadcast(S, kept[o + a0 + 4]), c41);
            c51 = x1.fma(DoubleVector.broadcast(S, kept[o + a0 + 5]), c51);
            c61 = x1.fma(DoubleVector.broadcast(S, kept[o + a0 + 6]), c61);
            c71 = x1.fma(DoubleVector.broadcast(S, kept[o + a0 + 7]), c71);
        }
        c00.intoArray(acc, r0); c01.intoArray(acc, r0 + L);
        c10.intoArray(acc, r1); c11.intoArray(acc, r1 + L);
        c20.intoArray(acc, r2); c21.intoArray(acc, r2 + L);
        c30.intoArray(acc, r3); c31.intoArray(acc, r3 + L);
        c41.intoArray(acc, r4); c51.intoArray(acc, r5); c61.intoArray(acc, r6); c71.intoArray(acc, r7);
    }

    /** With L = 8: rows a0..a0+3 by the last 2 vectors from column j0 (8 accumulators). */
    private void tile4x2(int m, int cOff, int a0, int j0) {
        int r0 = cOff + a0 * dp + j0;
        int r1 = r0 + dp;
        int r2 = r1 + dp;
        int r3 = r2 + dp;
        DoubleVector c00 = DoubleVector.fromArray(S, acc, r0);
        DoubleVector c01 = DoubleVector.fromArray(S, acc, r0 + L);
        DoubleVector c10 = DoubleVector.fromArray(S, acc, r1);
        DoubleVector c11 = DoubleVector.fromArray(S, acc, r1 + L);
        DoubleVector c20 = DoubleVector.fromArray(S, acc, r2);
        DoubleVector c21 = DoubleVector.fromArray(S, acc, r2 + L);
        DoubleVector c30 = DoubleVector.fromArray(S, acc, r3);
        DoubleVector c31 = DoubleVector.fromArray(S, acc, r3 + L);
        for (int t = 0; t < m; t++) {
            int o = t * dp;
            DoubleVector x0 = DoubleVector.fromArray(S, kept, o + j0);
            DoubleVector x1 = DoubleVector.fromArray(S, kept, o + j0 + L);
            DoubleVector g = DoubleVector.broadcast(S, kept[o + a0]);
            c00 = x0.fma(g, c00); c01 = x1.fma(g, c01);
            g = DoubleVector.broadcast(S, kept[o + a0 + 1]);
            c10 = x0.fma(g, c10); c11 = x1.fma(g, c11);
            g = DoubleVector.broadcast(S, kept[o + a0 + 2]);
            c20 = x0.fma(g, c20); c21 = x1.fma(g, c21);
            g = DoubleVector.broadcast(S, kept[o + a0 + 3]);
            c30 = x0.fma(g, c30); c31 = x1.fma(g, c31);
        }
        c00.intoArray(acc, r0); c01.intoArray(acc, r0 + L);
        c10.intoArray(acc, r1); c11.intoArray(acc, r1 + L);
        c20.intoArray(acc, r2); c21.intoArray(acc, r2 + L);
        c30.intoArray(acc, r3); c31.intoArray(acc, r3 + L);
    }

    /** With L = 8: rows a0..a0+7 (a0 a multiple of 8) by the last vector, columns j0..j0+7: both row blocks' ends. */
    private void tile8x1(int m, int cOff, int a0, int j0) {
        int r0 = cOff + a0 * dp + j0;
        DoubleVector c0 = DoubleVector.fromArray(S, acc, r0);
        DoubleVector c1 = DoubleVector.fromArray(S, acc, r0 + dp);
        DoubleVector c2 = DoubleVector.fromArray(S, acc, r0 + 2 * dp);
        DoubleVector c3 = DoubleVector.fromArray(S, acc, r0 + 3 * dp);
        DoubleVector c4 = DoubleVector.fromArray(S, acc, r0 + 4 * dp);
        DoubleVector c5 = DoubleVector.fromArray(S, acc, r0 + 5 * dp);
        DoubleVector c6 = DoubleVector.fromArray(S, acc, r0 + 6 * dp);
        DoubleVector c7 = DoubleVector.fromArray(S, acc, r0 + 7 * dp);
        for (int t = 0; t < m; t++) {
            int o = t * dp;
            int s0 = o + a0;
            DoubleVector x0 = DoubleVector.fromArray(S, kept, o + j0);
            c0 = x0.fma(DoubleVector.broadcast(S, kept[s0]), c0);
            c1 = x0.fma(DoubleVector.broadcast(S, kept[s0 + 1]), c1);
            c2 = x0.fma(DoubleVector.broadcast(S, kept[s0 + 2]), c2);
            c3 = x0.fma(DoubleVector.broadcast(S, kept[s0 + 3]), c3);
            c4 = x0.fma(DoubleVector.broadcast(S, kept[s0 + 4]), c4);
            c5 = x0.fma(DoubleVector.broadcast(S, kept[s0 + 5]), c5);
            c6 = x0.fma(DoubleVector.broadcast(S, kept[s0 + 6]), c6);
            c7 = x0.fma(DoubleVector.broadcast(S, kept[s0 + 7]), c7);
        }
        c0.intoArray(acc, r0);
        c1.intoArray(acc, r0 + dp);
        c2.intoArray(acc, r0 + 2 * dp);
        c3.intoArray(acc, r0 + 3 * dp);
        c4.intoArray(acc, r0 + 4 * dp);
        c5.intoArray(acc, r0 + 5 * dp);
        c6.intoArray(acc, r0 + 6 * dp);
        c7.intoArray(acc, r0 + 7 * dp);
    }

    /**
     * Rows a0..a0+3 by the one vector from column j0: with L = 4, row block 0's lone last vector (D = 1..4, 17..20,
     * ...); with L = 8, a block whose last vector no other block shares.
     */
    private void tile4x1(int m, int cOff, int a0, int j0) {
        int r0 = cOff + a0 * dp + j0;
        int r1 = r0 + dp;
        int r2 = r1 + dp;
        int r3 = r2 + dp;
        DoubleVector c0 = DoubleVector.fromArray(S, acc, r0);
        DoubleVector c1 = DoubleVector.fromArray(S, acc, r1);
        DoubleVector c2 = DoubleVector.fromArray(S, acc, r2);
        DoubleVector c3 = DoubleVector.fromArray(S, acc, r3);
        for (int t = 0; t < m; t++) {
            int o = t * dp;
            int s0 = o + a0;
            DoubleVector x0 = DoubleVector.fromArray(S, kept, o + j0);
            c0 = x0.fma(DoubleVector.broadcast(S, kept[s0]), c0);
            c1 = x0.fma(DoubleVector.broadcast(S, kept[s0 + 1]), c1);
            c2 = x0.fma(DoubleVector.broadcast(S, kept[s0 + 2]), c2);
            c3 = x0.fma(DoubleVector.broadcast(S, kept[s0 + 3]), c3);
        }
        c0.intoArray(acc, r0);
        c1.intoArray(acc, r1);
        c2.intoArray(acc, r2);
        c3.intoArray(acc, r3);
    }
}
