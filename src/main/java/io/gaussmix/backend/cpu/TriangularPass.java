package io.gaussmix.backend.cpu;

import io.gaussmix.CovarianceType;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;

import java.util.Arrays;

/**
 * One worker's kernels, scratch and accumulators for the FULL and TIED covariance types, where
 * the cost is two D x D products per row and component: the Mahalanobis term y = (x - mu_k) U_k
 * and the second-moment update g (x - mu_k)(x - mu_k)^T. Per block and component the subclasses
 * pack the rows into small dense matrices and run both products as register-blocked kernels:
 * {@link PlainTriangular} with loops C2 auto-vectorises, {@link VectorTriangular} with the
 * incubating Vector API (which also overrides the statistics at small D and the log-sum-exp). Per row and component the arithmetic is the reference's up to the order
 * of float64 additions and fused multiply-adds; every order is fixed, so passes are repeatable.
 */
abstract class TriangularPass {
    /** Column padding of the packed factors' panels, and the least padding of the row strides: 4 doubles. */
    static final int PAD = 4;

    final int k;
    final int d;
    /** Row stride of the accumulators and of row-major scratch: D rounded up to the subclass's vector length. */
    final int dp;
    final double[] means;
    /**
     * The mixture's mean, sum_c w_c mu_c: {@link #transpose} subtracts it from the rows once per block, for all
     * components, so that a component's term needs no pass of its own over the rows ({@link VectorTriangular}: xT U_c
     * - (mu_c - center) U_c). Near the data, it keeps what those differences cancel small: each is off by a few
     * eps |x - center| |U|, where scikit-learn's x U - mu U, about the origin, is off by eps |x| |U| (data far from
     * 0 lose digits there, not here).
     */
    final double[] center;
    /** mu_c - center (K x D). */
    final double[] shiftedMeans;
    /** Factors in the {@link #packedFactors} layout: K (FULL) or 1 (TIED). */
    final double[] u;
    /** One factor shared by every component (TIED). */
    final boolean tied;
    /** Doubles per packed factor ({@link #packedFactors}: panels up to D rounded up to {@link #PAD}). */
    private final int factorSize;
    /** log w_c + log det U_c - D/2 log(2 pi) per component. */
    final double[] constants;
    /**
     * Rows per block of this pass (CpuBackend.BLOCK unless the subclass says otherwise): a multiple of every
     * vector length that divides {@link CpuBackend#UNIT}, so that blocks start at the same rows in every run.
     */
    final int blockRows;
    /** Mahalanobis terms of the block's rows ({@link #blockRows}: kernels may fill rows past b). */
    final double[] maha;
    /** Per component dp x dp second-moment accumulators; only j >= i (upper triangle) is meaningful. */
    final double[] acc;
    /** Rows whose responsibility g is at most this are left out of the statistics (0: only g == 0). */
    private final double keptAbove;
    /** The current component's kept rows of the block ({@link #accumulate}): where each starts in x, and its g. */
    final int[] keptRows;
    final double[] keptG;

    TriangularPass(MixtureParams p, double[] packedFactors) {
        this(p, packedFactors, 0, PAD, CpuBackend.BLOCK);
    }

    /**
     * {@code pad}: the row strides' padding, a multiple of {@link #PAD} (a row-major kernel's vector length);
     * {@code rows}: the rows per block.
     */
    TriangularPass(MixtureParams p, double[] packedFactors, double keptAbove, int pad, int rows) {
        if (CpuBackend.UNIT % rows != 0 || rows % 32 != 0) {
            throw new IllegalArgumentException("block rows " + rows + " must be a multiple of 32 dividing " + CpuBackend.UNIT);
        }
        this.blockRows = rows;
        this.keptAbove = keptAbove;
        this.k = p.components();
        this.d = p.dimensions();
        this.dp = paddedStride(d, pad);
        this.factorSize = factorSize(paddedStride(d));
        this.means = p.means();
        this.center = new double[d];
        double[] w = p.weights();
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) {
                center[i] = Math.fma(w[c], means[c * d + i], center[i]);
            }
        }
        this.shiftedMeans = new double[k * d];
        for (int i = 0; i < k * d; i++) {
            shiftedMeans[i] = means[i] - center[i % d];
        }
        this.u = packedFactors;
        this.tied = p.type() == CovarianceType.TIED;
        this.constants = new double[k];
        for (int c = 0; c < k; c++) {
            constants[c] = p.logDensityConstant(c);
        }
        this.maha = new double[rows];
        this.acc = new double[k * dp * dp];
        this.keptRows = new int[rows];
        this.keptG = new double[rows];
    }

    static int paddedStride(int d) {
        return paddedStride(d, PAD);
    }

    static int paddedStride(int d, int pad) {
        return (d + pad - 1) / pad * pad;
    }

    /**
     * The upper-triangular factors packed as column panels: for each group of 4 columns j0..j0+3,
     * rows i < j0 + 4 of those columns, 4 contiguous values per row, at {@link #panelBase}(j0).
     * A Mahalanobis tile then walks one short contiguous panel (a quarter of the cache lines the
     * row-major factor touches, and no entries below the diagonal blocks), so at D = 64 a 16-row
     * strip and the whole packed factor (17 KB) stay in L1. Entries below the diagonal and past D
     * are explicit zeros.
     */
    static double[] packedFactors(MixtureParams p) {
        int d = p.dimensions();
        int dp = paddedStride(d);
        int size = factorSize(dp);
        int count = p.precisionCholesky().length / (d * d);
        double[] prec = p.precisionCholesky();
        double[] out = new double[count * size];
        for (int c = 0; c < count; c++) {
            for (int j0 = 0; j0 < dp; j0 += 4) {
                int base = c * size + panelBase(j0);
                for (int i = 0; i < j0 + 4; i++) {
                    for (int q = 0; q < 4; q++) {
                        int j = j0 + q;
                        out[base + i * 4 + q] = i <= j && j < d ? prec[c * d * d + i * d + j] : 0.0;
                    }
                }
            }
        }
        return out;
    }

    /** Offset of the panel of columns j0..j0+3 (j0 a multiple of 4): 16 (1 + 2 + ... + j0/4). */
    static int panelBase(int j0) {
        int n = j0 / 4;
        return 8 * n * (n + 1);
    }

    /** Doubles per packed factor. */
    static int factorSize(int dp) {
        return panelBase(dp);
    }

    /** Where component c's factor starts in {@link #u}. */
    final int factorOffset(int c) {
        return tied ? 0 : c * factorSize;
    }

    /**
     * xT[i * rows + r] = x[(r0 + r) * D + i] - center[i] for the block's b rows: the rows feature-major and shifted
     * ({@link #center}), once per block.
     */
    final void transpose(double[] x, int r0, int b, double[] xT) {
        final int n = blockRows;
        for (int r = 0; r < b; r++) {
            int row = (r0 + r) * d;
            for (int i = 0; i < d; i++) {
                xT[i * n + r] = x[row + i] - center[i];
            }
        }
    }

    /**
     * Prepares rows [r0, r0 + b) for component c's {@link #mahalanobis}, in whatever layout it reads (x - mu_c, or the
     * shifted rows of {@link #transpose}).
     */
    abstract void packAll(double[] x, int r0, int b, int c);

    /** Weighted log densities of rows [r0, r0 + b) into {@code logp[i * K + c]}. */
    final void logDensities(double[] x, int r0, int b, double[] logp) {
        for (int c = 0; c < k; c++) {
            packAll(x, r0, b, c);
            mahalanobis(b, factorOffset(c));
            double constant = constants[c];
            for (int i = 0; i < b; i++) {
                logp[i * k + c] = constant - 0.5 * maha[i];
            }
        }
    }

    /**
     * One block's whole E-step: its log densities, responsibilities (times the row weights) and statistics into
     * {@code s}, as {@link #logDensities}, {@link #responsibilities} and {@link #accumulate} one after the other
     * (which this default does), to the bit; returns the block's weighted log-likelihood. {@code block} (b x K) is
     * scratch: a subclass may keep the block in its own layout and leave it unwritten.
     */
    double expectation(double[] x, int r0, int b, double[] block, double[] weights, SufficientStats s) {
        logDensities(x, r0, b, block);
        double ll = responsibilities(block, b, weights, r0);
        accumulate(x, r0, b, block, s);
        return ll;
    }

    /**
     * The block's responsibilities in place and its weighted log-likelihood, as
     * {@link RowKernels#responsibilities} (which this default calls; the Vector API kernels vectorise the exp).
     */
    double responsibilities(double[] logp, int b, double[] weights, int r0) {
        return RowKernels.responsibilities(logp, b, k, weights, r0, null);
    }

    /**
     * Adds the block's statistics given its responsibilities g (b x K, times the row weight):
     * rows with g == 0 exactly (or at most the subclass's {@code keptAbove}) are skipped, the others listed in
     * {@link #keptRows} and {@link #keptG}, packed with their first moments by {@link #packKept}, and folded into
     * {@link #acc} by one rank-m update per component; N_k and sumDiff go straight into {@code s}.
     */
    void accumulate(double[] x, int r0, int b, double[] g, SufficientStats s) {
        for (int c = 0; c < k; c++) {
            int m = keep(g, r0, b, c, s.nk);
            if (m > 0) {
                packKept(x, m, c * d, s.sumDiff);
                rankUpdate(m, c * dp * dp);
            }
        }
    }

    /**
     * Lists component c's kept rows of the block in {@link #keptRows} and {@link #keptG} and adds their g, in row
     * order, to nk[c]; returns how many there are.
     */
    final int keep(double[] g, int r0, int b, int c, double[] nk) {
        double sum = 0;
        int m = 0;
        for (int i = 0; i < b; i++) {
            double gi = g[i * k + c];
            if (gi <= keptAbove) {   // g >= 0 (or NaN, which is kept)
                continue;
            }
            sum += gi;
            keptRows[m] = (r0 + i) * d;
            keptG[m++] = gi;
        }
        nk[c] += sum;
        return m;
    }

    /**
     * Writes the upper triangles of the accumulators into {@code s.sumSq} (which the caller mirrors) and sets
     * the accumulators back to 0, so that the pass can serve the next unit of rows as a new one would.
     */
    void finish(SufficientStats s) {
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) {
                System.arraycopy(acc, c * dp * dp + i * dp + i, s.sumSq, c * d * d + i * d + i, d - i);
            }
        }
        Arrays.fill(acc, 0.0);
    }

    /**
     * The m kept rows t (row keptRows[t] of x, weight keptG[t]): d = x[keptRows[t]..] - means[mu..] in the layout
     * {@link #rankUpdate} reads (d and g d, or sqrt(g) d), and sumDiff[mu + j] += their g d_j, added row after row
     * as the reference does but with the running sums in registers (updating sumDiff in memory per row made every
     * row wait for the previous row's store). Row-sized helpers are kernels too: with D = 16, C2's
     * auto-vectorised loops never leave their scalar pre- and post-loops, and packing cost as much as the rank
     * update.
     */
    abstract void packKept(double[] x, int m, int mu, double[] sumDiff);

    /**
     * maha[r] = ||d_r U||^2 for r < rows, from what {@link #packAll} last prepared (its component c), U at
     * u[uOff..]. Rows past {@code rows} may be computed too, from stale finite scratch; they are never read.
     */
    abstract void mahalanobis(int rows, int uOff);

    /**
     * acc[cOff + a*dp + j] += sum over kept rows t < m of g d_a d_j, at least for j >= a, t in order (one FMA per row:
     * of g d_a and d_j, or of sqrt(g) d_a and sqrt(g) d_j).
     */
    abstract void rankUpdate(int m, int cOff);
}
