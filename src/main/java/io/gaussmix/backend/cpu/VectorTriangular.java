package io.gaussmix.backend.cpu;

import io.gaussmix.math.MixtureParams;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The triangular kernels with the incubating Vector API. Only {@link CpuBackend} creates it, and
 * only once it has seen the {@code jdk.incubator.vector} module, so this class (the only one that
 * names the module's types) is never loaded without it.
 *
 * <p>Both products run as 4 x 16 register tiles (4 rows by 4 vectors of 4 doubles, 16 accumulators):
 * per step of the reduction index one load of 4 vectors and 4 broadcasts feed 16 FMAs. 256-bit
 * vectors were measured at least as fast as 512-bit ones here, and divide more D without padding.
 * Lane sums are done through an array in a fixed order, never {@code reduceLanes}, whose order may
 * differ between the interpreter and compiled code (that would break bit-identical repeats).
 */
final class VectorTriangular extends TriangularPass {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    private static final int L = 4;
    private static final int W = 4 * L;

    private final double[] lanes = new double[4 * L];

    private VectorTriangular(MixtureParams p, double[] paddedFactors) {
        super(p, paddedFactors);
    }

    /** Factory typed as the base class, so callers' bytecode never mentions this class's type. */
    static TriangularPass create(MixtureParams p, double[] paddedFactors) {
        return new VectorTriangular(p, paddedFactors);
    }

    @Override
    void subtractRow(double[] x, int xOff, int mu, int t) {
        int o = t * dp;
        int j = 0;
        for (; j + L <= d; j += L) {
            DoubleVector.fromArray(S, x, xOff + j).sub(DoubleVector.fromArray(S, means, mu + j)).intoArray(diff, o + j);
        }
        for (; j < d; j++) {
            diff[o + j] = x[xOff + j] - means[mu + j];
        }
    }

    @Override
    void scaleRow(double g, int t, double[] sumDiff, int mu) {
        int o = t * dp;
        DoubleVector gv = DoubleVector.broadcast(S, g);
        int j = 0;
        for (; j + L <= d; j += L) {
            DoubleVector v = DoubleVector.fromArray(S, diff, o + j).mul(gv);
            v.intoArray(scaled, o + j);
            v.add(DoubleVector.fromArray(S, sumDiff, mu + j)).intoArray(sumDiff, mu + j);
        }
        for (; j < d; j++) {
            double v = g * diff[o + j];
            scaled[o + j] = v;
            sumDiff[mu + j] += v;
        }
    }

    @Override
    void mahalanobis(int rows, int uOff) {
        for (int r = 0; r < rows; r += 4) {
            int o0 = r * dp;
            int o1 = o0 + dp;
            int o2 = o1 + dp;
            int o3 = o2 + dp;
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            int j0 = 0;
            for (; j0 + W <= dp; j0 += W) {
                DoubleVector c00 = DoubleVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
                DoubleVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
                DoubleVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
                DoubleVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
                // U is zero below the diagonal: rows i >= j0 + W add nothing to these columns.
                int end = Math.min(j0 + W, d);
                for (int i = 0; i < end; i++) {
                    int ub = uOff + i * dp + j0;
                    DoubleVector u0 = DoubleVector.fromArray(S, u, ub);
                    DoubleVector u1 = DoubleVector.fromArray(S, u, ub + L);
                    DoubleVector u2 = DoubleVector.fromArray(S, u, ub + 2 * L);
                    DoubleVector u3 = DoubleVector.fromArray(S, u, ub + 3 * L);
                    DoubleVector a = DoubleVector.broadcast(S, diff[o0 + i]);
                    c00 = u0.fma(a, c00); c01 = u1.fma(a, c01); c02 = u2.fma(a, c02); c03 = u3.fma(a, c03);
                    a = DoubleVector.broadcast(S, diff[o1 + i]);
                    c10 = u0.fma(a, c10); c11 = u1.fma(a, c11); c12 = u2.fma(a, c12); c13 = u3.fma(a, c13);
                    a = DoubleVector.broadcast(S, diff[o2 + i]);
                    c20 = u0.fma(a, c20); c21 = u1.fma(a, c21); c22 = u2.fma(a, c22); c23 = u3.fma(a, c23);
                    a = DoubleVector.broadcast(S, diff[o3 + i]);
                    c30 = u0.fma(a, c30); c31 = u1.fma(a, c31); c32 = u2.fma(a, c32); c33 = u3.fma(a, c33);
                }
                s0 = c00.fma(c00, s0); s0 = c01.fma(c01, s0); s0 = c02.fma(c02, s0); s0 = c03.fma(c03, s0);
                s1 = c10.fma(c10, s1); s1 = c11.fma(c11, s1); s1 = c12.fma(c12, s1); s1 = c13.fma(c13, s1);
                s2 = c20.fma(c20, s2); s2 = c21.fma(c21, s2); s2 = c22.fma(c22, s2); s2 = c23.fma(c23, s2);
                s3 = c30.fma(c30, s3); s3 = c31.fma(c31, s3); s3 = c32.fma(c32, s3); s3 = c33.fma(c33, s3);
            }
            for (; j0 < dp; j0 += L) {
                DoubleVector c0 = DoubleVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
                int end = Math.min(j0 + L, d);
                for (int i = 0; i < end; i++) {
                    DoubleVector u0 = DoubleVector.fromArray(S, u, uOff + i * dp + j0);
                    c0 = u0.fma(DoubleVector.broadcast(S, diff[o0 + i]), c0);
                    c1 = u0.fma(DoubleVector.broadcast(S, diff[o1 + i]), c1);
                    c2 = u0.fma(DoubleVector.broadcast(S, diff[o2 + i]), c2);
                    c3 = u0.fma(DoubleVector.broadcast(S, diff[o3 + i]), c3);
                }
                s0 = c0.fma(c0, s0);
                s1 = c1.fma(c1, s1);
                s2 = c2.fma(c2, s2);
                s3 = c3.fma(c3, s3);
            }
            // Stored and summed in place: a helper taking a DoubleVector may not inline, and then boxes.
            s0.intoArray(lanes, 0);
            s1.intoArray(lanes, L);
            s2.intoArray(lanes, 2 * L);
            s3.intoArray(lanes, 3 * L);
            for (int p = 0; p < 4; p++) {
                int q = p * L;
                maha[r + p] = (lanes[q] + lanes[q + 1]) + (lanes[q + 2] + lanes[q + 3]);
            }
        }
    }

    @Override
    void rankUpdate(int m, int cOff) {
        for (int a0 = 0; a0 < d; a0 += 4) {
            int r0 = cOff + a0 * dp;
            int r1 = r0 + dp;
            int r2 = r1 + dp;
            int r3 = r2 + dp;
            // Column tiles start on the W grid at or left of the diagonal; tiles wholly below it are skipped.
            int j0 = a0 / W * W;
            for (; j0 + W <= dp; j0 += W) {
                DoubleVector c00 = DoubleVector.fromArray(S, acc, r0 + j0);
                DoubleVector c01 = DoubleVector.fromArray(S, acc, r0 + j0 + L);
                DoubleVector c02 = DoubleVector.fromArray(S, acc, r0 + j0 + 2 * L);
                DoubleVector c03 = DoubleVector.fromArray(S, acc, r0 + j0 + 3 * L);
                DoubleVector c10 = DoubleVector.fromArray(S, acc, r1 + j0);
                DoubleVector c11 = DoubleVector.fromArray(S, acc, r1 + j0 + L);
                DoubleVector c12 = DoubleVector.fromArray(S, acc, r1 + j0 + 2 * L);
                DoubleVector c13 = DoubleVector.fromArray(S, acc, r1 + j0 + 3 * L);
                DoubleVector c20 = DoubleVector.fromArray(S, acc, r2 + j0);
                DoubleVector c21 = DoubleVector.fromArray(S, acc, r2 + j0 + L);
                DoubleVector c22 = DoubleVector.fromArray(S, acc, r2 + j0 + 2 * L);
                DoubleVector c23 = DoubleVector.fromArray(S, acc, r2 + j0 + 3 * L);
                DoubleVector c30 = DoubleVector.fromArray(S, acc, r3 + j0);
                DoubleVector c31 = DoubleVector.fromArray(S, acc, r3 + j0 + L);
                DoubleVector c32 = DoubleVector.fromArray(S, acc, r3 + j0 + 2 * L);
                DoubleVector c33 = DoubleVector.fromArray(S, acc, r3 + j0 + 3 * L);
                for (int t = 0; t < m; t++) {
                    int o = t * dp;
                    DoubleVector x0 = DoubleVector.fromArray(S, diff, o + j0);
                    DoubleVector x1 = DoubleVector.fromArray(S, diff, o + j0 + L);
                    DoubleVector x2 = DoubleVector.fromArray(S, diff, o + j0 + 2 * L);
                    DoubleVector x3 = DoubleVector.fromArray(S, diff, o + j0 + 3 * L);
                    DoubleVector g = DoubleVector.broadcast(S, scaled[o + a0]);
                    c00 = x0.fma(g, c00); c01 = x1.fma(g, c01); c02 = x2.fma(g, c02); c03 = x3.fma(g, c03);
                    g = DoubleVector.broadcast(S, scaled[o + a0 + 1]);
                    c10 = x0.fma(g, c10); c11 = x1.fma(g, c11); c12 = x2.fma(g, c12); c13 = x3.fma(g, c13);
                    g = DoubleVector.broadcast(S, scaled[o + a0 + 2]);
                    c20 = x0.fma(g, c20); c21 = x1.fma(g, c21); c22 = x2.fma(g, c22); c23 = x3.fma(g, c23);
                    g = DoubleVector.broadcast(S, scaled[o + a0 + 3]);
                    c30 = x0.fma(g, c30); c31 = x1.fma(g, c31); c32 = x2.fma(g, c32); c33 = x3.fma(g, c33);
                }
                c00.intoArray(acc, r0 + j0); c01.intoArray(acc, r0 + j0 + L);
                c02.intoArray(acc, r0 + j0 + 2 * L); c03.intoArray(acc, r0 + j0 + 3 * L);
                c10.intoArray(acc, r1 + j0); c11.intoArray(acc, r1 + j0 + L);
                c12.intoArray(acc, r1 + j0 + 2 * L); c13.intoArray(acc, r1 + j0 + 3 * L);
                c20.intoArray(acc, r2 + j0); c21.intoArray(acc, r2 + j0 + L);
                c22.intoArray(acc, r2 + j0 + 2 * L); c23.intoArray(acc, r2 + j0 + 3 * L);
                c30.intoArray(acc, r3 + j0); c31.intoArray(acc, r3 + j0 + L);
                c32.intoArray(acc, r3 + j0 + 2 * L); c33.intoArray(acc, r3 + j0 + 3 * L);
            }
            for (j0 = Math.max(j0, a0); j0 < dp; j0 += L) {
                DoubleVector c0 = DoubleVector.fromArray(S, acc, r0 + j0);
                DoubleVector c1 = DoubleVector.fromArray(S, acc, r1 + j0);
                DoubleVector c2 = DoubleVector.fromArray(S, acc, r2 + j0);
                DoubleVector c3 = DoubleVector.fromArray(S, acc, r3 + j0);
                for (int t = 0; t < m; t++) {
                    int o = t * dp;
                    DoubleVector x0 = DoubleVector.fromArray(S, diff, o + j0);
                    c0 = x0.fma(DoubleVector.broadcast(S, scaled[o + a0]), c0);
                    c1 = x0.fma(DoubleVector.broadcast(S, scaled[o + a0 + 1]), c1);
                    c2 = x0.fma(DoubleVector.broadcast(S, scaled[o + a0 + 2]), c2);
                    c3 = x0.fma(DoubleVector.broadcast(S, scaled[o + a0 + 3]), c3);
                }
                c0.intoArray(acc, r0 + j0);
                c1.intoArray(acc, r1 + j0);
                c2.intoArray(acc, r2 + j0);
                c3.intoArray(acc, r3 + j0);
            }
        }
    }
}
