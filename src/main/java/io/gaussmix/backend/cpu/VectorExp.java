package io.gaussmix.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp over arrays with the Vector API, for the log-sum-exp of the Vector API passes' responsibilities
 * (at D = 16 the K calls of Math.exp per row cost about as much as a product). Plain float64 arithmetic:
 * e^v = 2^n e^r with n = rint(v / ln 2), r = v - n ln 2 by two FMAs (ln 2 split in a head and a tail),
 * e^r by its Taylor polynomial to degree 13 (|r| <= ln 2 / 2: truncation below 1e-17 relative) in
 * Estrin's form, 2^n built in the exponent bits. Within 2 ulp of Math.exp ({@code VectorExpTest}), exactly 1 at 0,
 * and the same bits interpreted or compiled (no operation whose rounding the JIT chooses: the Vector API's
 * own EXP may differ between its intrinsic and its Java fallback). Lanes below -708 (where 2^n would be
 * subnormal) or NaN go to Math.exp, with {@link RowKernels}' exact 0 below its underflow; the callers'
 * arguments are at most 0 (a row's log density minus its maximum), which the fast lanes assume.
 */
final class VectorExp {
    private static final VectorSpecies<Double> S = DoubleLanes.SPECIES;
    private static final int L = DoubleLanes.LENGTH;
    /** Lowest argument of the fast lanes: 2^n stays normal (n >= -1021). */
    private static final double LOWEST = -708.0;
    private static final double LOG2E = 1.4426950408889634;
    /** 1.5 * 2^52: adding it rounds to an integer, which then sits in the low mantissa bits. */
    private static final double SHIFTER = 0x1.8p52;
    private static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    private static final double LN2_HI = 0x1.62e42fefa39efp-1;
    private static final double LN2_LO = 0x1.abc9e3b39803fp-56;
    /** The Taylor coefficients 1 / i!, i = 2..13 (those of degree 0 and 1 are 1). */
    private static final double C2 = 1.0 / 2, C3 = C2 / 3, C4 = C3 / 4, C5 = C4 / 5, C6 = C5 / 6, C7 = C6 / 7;
    private static final double C8 = C7 / 8, C9 = C8 / 9, C10 = C9 / 10, C11 = C10 / 11, C12 = C11 / 12;
    private static final double C13 = C12 / 13;

    private VectorExp() {
    }

    /**
     * a[i] = exp(a[i]) for i in [from, to), to - from a multiple of the vector length, all a[i] <= 0 or NaN.
     * e^v is written out here, not in a method of its own: a vector that crosses a call C2 does not inline
     * is allocated, and at 339 bytes of bytecode such a method was "too big" to inline, which allocated two
     * vectors per exp (about 70 MB per steady iteration at N = 2e5, D = 64, K = 8: benchmarks/RESULTS.md,
     * "Issue 12, round 4").
     */
    static void expInPlace(double[] a, int from, int to) {
        for (int i = from; i < to; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, a, i);
            VectorMask<Double> fast = v.compare(VectorOperators.GE, LOWEST);
            if (fast.allTrue()) {
                DoubleVector t = v.fma(DoubleVector.broadcast(S, LOG2E), DoubleVector.broadcast(S, SHIFTER));
                DoubleVector n = t.sub(SHIFTER);
                DoubleVector r = n.fma(DoubleVector.broadcast(S, -LN2_HI), v);
                r = n.fma(DoubleVector.broadcast(S, -LN2_LO), r);
                // Estrin's scheme: the terms pair up, then the pairs, so the chain of dependent FMAs is 4 deep
                // (Horner's 13 deep left the FMA units waiting on their latency).
                DoubleVector r2 = r.mul(r);
                DoubleVector p01 = r.add(1.0);
                DoubleVector p23 = r.fma(DoubleVector.broadcast(S, C3), DoubleVector.broadcast(S, C2));
                DoubleVector p45 = r.fma(DoubleVector.broadcast(S, C5), DoubleVector.broadcast(S, C4));
                DoubleVector p67 = r.fma(DoubleVector.broadcast(S, C7), DoubleVector.broadcast(S, C6));
                DoubleVector p89 = r.fma(DoubleVector.broadcast(S, C9), DoubleVector.broadcast(S, C8));
                DoubleVector p1011 = r.fma(DoubleVector.broadcast(S, C11), DoubleVector.broadcast(S, C10));
                DoubleVector p1213 = r.fma(DoubleVector.broadcast(S, C13), DoubleVector.broadcast(S, C12));
                DoubleVector r4 = r2.mul(r2);
                DoubleVector q03 = p23.fma(r2, p01);
                DoubleVector q47 = p67.fma(r2, p45);
                DoubleVector q811 = p1011.fma(r2, p89);
                DoubleVector q07 = q47.fma(r4, q03);
                DoubleVector q813 = p1213.fma(r4, q811);
                DoubleVector p = q813.fma(r4.mul(r4), q07);
                LongVector bits = (LongVector) t.viewAsIntegralLanes();
                LongVector twoToN = bits.sub(SHIFTER_BITS - 1023L).lanewise(VectorOperators.LSHL, 52);
                p.mul((DoubleVector) twoToN.viewAsFloatingLanes()).intoArray(a, i);
            } else {
                for (int q = 0; q < L; q++) {
                    double x = a[i + q];
                    a[i + q] = x < RowKernels.EXP_UNDERFLOW ? 0.0 : Math.exp(x);
                }
            }
        }
    }

    /**
     * As {@link RowKernels#responsibilities}, with the exp of the whole block's b x K shifted log densities
     * in vectors: per row the maximum is subtracted in place (and kept in {@code rowMax}), then one vector
     * pass, then per row the sum in component order, the log and the scaling. Whole vectors may run past
     * the block's b x K entries into stale ones, which are never read.
     */
    static double responsibilities(double[] logp, int b, int k, double[] weights, int r0, double[] rowMax) {
        int kv = k / L * L;
        for (int i = 0; i < b; i++) {
            int o = i * k;
            double max = rowMax(logp, o, k, kv);
            DoubleVector m = DoubleVector.broadcast(S, max);
            int c = 0;
            for (; c < kv; c += L) {
                DoubleVector.fromArray(S, logp, o + c).sub(m).intoArray(logp, o + c);
            }
            for (; c < k; c++) {
                logp[o + c] -= max;
            }
            rowMax[i] = max;
        }
        expInPlace(logp, 0, (b * k + L - 1) & ~(L - 1));
        double ll = 0;
        for (int i = 0; i < b; i++) {
            int o = i * k;
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += logp[o + c];
            }
            double w = weights == null ? 1.0 : weights[r0 + i];
            double scale = w / sum;
            DoubleVector sv = DoubleVector.broadcast(S, scale);
            int c = 0;
            for (; c < kv; c += L) {
                DoubleVector.fromArray(S, logp, o + c).mul(sv).intoArray(logp, o + c);
            }
            for (; c < k; c++) {
                logp[o + c] *= scale;
            }
            if (w != 0) {
                ll += w * (rowMax[i] + Math.log(sum));
            }
        }
        return ll;
    }

    /**
     * {@link #responsibilities} with the block component-major: t[c * n + r] holds row r's log density of
     * component c (r below b rounded up to the vector length; n >= that, a multiple of it) and receives its
     * responsibility, exactly 0 past row b. The lanes are rows, so the maximum, the sum in component order and the
     * scaling are vertical and need no per-row loop, and each entry gets the bits {@link #responsibilities} would
     * give it. {@code rowMax} and {@code rowSum} (n each) are scratch.
     */
    static double responsibilitiesByComponent(double[] t, int b, int k, int n, double[] weights, int r0,
                                              double[] rowMax, double[] rowSum) {
        int rows = (b + L - 1) & ~(L - 1);
        for (int r = 0; r < rows; r += L) {
            DoubleVector max = DoubleVector.fromArray(S, t, r);
            for (int c = 1; c < k; c++) {
                max = DoubleVector.fromArray(S, t, c * n + r).max(max);   // max as the argument: VectorTriangular
            }
            for (int c = 0; c < k; c++) {
                DoubleVector.fromArray(S, t, c * n + r).sub(max).intoArray(t, c * n + r);
            }
            max.intoArray(rowMax, r);
        }
        for (int c = 0; c < k; c++) {
            expInPlace(t, c * n, c * n + rows);
        }
        for (int r = 0; r < rows; r += L) {
            DoubleVector sum = DoubleVector.fromArray(S, t, r);   // 0 + e_0 is e_0: the scalar sum's first step
            for (int c = 1; c < k; c++) {
                sum = DoubleVector.fromArray(S, t, c * n + r).add(sum);   // sum as the argument, as max above
            }
            sum.intoArray(rowSum, r);
        }
        double ll = 0;
        for (int r = 0; r < b; r++) {
            double w = weights == null ? 1.0 : weights[r0 + r];
            double sum = rowSum[r];
            if (w != 0) {
                ll += w * (rowMax[r] + Math.log(sum));
            }
            rowSum[r] = w / sum;   // the row's scale
        }
        for (int r = b; r < rows; r++) {
            rowSum[r] = 0.0;   // rows past the block get responsibility 0 (their e is finite: at most 1)
        }
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < rows; r += L) {
                DoubleVector.fromArray(S, t, c * n + r).mul(DoubleVector.fromArray(S, rowSum, r)).intoArray(t, c * n + r);
            }
        }
        return ll;
    }

    /**
     * The largest of logp[o, o + k), its first kv entries (a multiple of the vector length) by lanes: a
     * maximum is exact whatever the order (lanewise MAX is Math.max's, NaN and -0 included), so this is the
     * scalar loop's value, interpreted or compiled. The sum below stays scalar, in component order.
     */
    private static double rowMax(double[] logp, int o, int k, int kv) {
        double max = Double.NEGATIVE_INFINITY;
        int c = 0;
        if (kv > 0) {
            DoubleVector v = DoubleVector.fromArray(S, logp, o);
            for (c = L; c < kv; c += L) {
                v = DoubleVector.fromArray(S, logp, o + c).max(v);   // v as the argument: VectorTriangular's class comment
            }
            max = v.reduceLanes(VectorOperators.MAX);
        }
        for (; c < k; c++) {
            max = Math.max(max, logp[o + c]);
        }
        return max;
    }
}
