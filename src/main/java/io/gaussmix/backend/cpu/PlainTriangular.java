package io.gaussmix.backend.cpu;

import io.gaussmix.math.MixtureParams;

/**
 * The triangular kernels in plain Java, for JVMs without the Vector API module and for passes too
 * small to repay its JIT warm-up. Both work on feature-major copies of the block, so every long
 * loop runs over rows: the Mahalanobis term as axpy loops over the block's 64 rows (which C2
 * vectorises, Math.fma included; row-major loops over D - i columns stayed scalar for small D),
 * the second moments as scalar 4 x 4 register blocks of dot products over the kept rows.
 */
final class PlainTriangular extends TriangularPass {
    /** Feature-major d (dp x blockRows): dT[i * blockRows + r] = x_r[i] - mu[i]; the kept rows when in the stats phase. */
    private final double[] dT;
    /** Feature-major g * d of the kept rows (statistics phase). */
    private final double[] sT;
    /** One output feature of y = d U for all the block's rows. */
    private final double[] yj;

    PlainTriangular(MixtureParams p, double[] packedFactors) {
        super(p, packedFactors);
        dT = new double[dp * blockRows];
        sT = new double[dp * blockRows];
        yj = new double[blockRows];
    }

    @Override
    void packAll(double[] x, int r0, int b, int c) {
        int mu = c * d;
        for (int r = 0; r < b; r++) {
            int row = (r0 + r) * d;
            for (int i = 0; i < d; i++) {
                dT[i * blockRows + r] = x[row + i] - means[mu + i];
            }
        }
    }

    /**
     * Feature-major, so that every inner loop runs over the block's rows (64 long): row-major loops
     * run over at most D - i columns, which C2 leaves scalar for small D. For each output feature j,
     * y_j = sum_{i <= j} U[i][j] d_i over all rows, four i per pass (five loads and a store per four
     * FMAs, i still in ascending order), then maha += y_j^2.
     */
    @Override
    void mahalanobis(int rows, int uOff) {
        final int n = blockRows;
        java.util.Arrays.fill(maha, 0, rows, 0.0);
        for (int j = 0; j < d; j++) {
            java.util.Arrays.fill(yj, 0, rows, 0.0);
            int col = uOff + panelBase(j & ~3) + (j & 3);
            int i = 0;
            for (; i + 3 <= j; i += 4) {
                double u0 = u[col + 4 * i];
                double u1 = u[col + 4 * (i + 1)];
                double u2 = u[col + 4 * (i + 2)];
                double u3 = u[col + 4 * (i + 3)];
                int b0 = i * n;
                for (int r = 0; r < rows; r++) {
                    double v = Math.fma(u0, dT[b0 + r], yj[r]);
                    v = Math.fma(u1, dT[b0 + n + r], v);
                    v = Math.fma(u2, dT[b0 + 2 * n + r], v);
                    yj[r] = Math.fma(u3, dT[b0 + 3 * n + r], v);
                }
            }
            for (; i <= j; i++) {
                double u0 = u[col + 4 * i];
                int b0 = i * n;
                for (int r = 0; r < rows; r++) {
                    yj[r] = Math.fma(u0, dT[b0 + r], yj[r]);
                }
            }
            for (int r = 0; r < rows; r++) {
                maha[r] = Math.fma(yj[r], yj[r], maha[r]);
            }
        }
    }

    /** d feature-major in dT, g d in sT; then sumDiff adds each feature's g d over the rows in order. */
    @Override
    void packKept(double[] x, int m, int mu, double[] sumDiff) {
        final int n = blockRows;
        for (int t = 0; t < m; t++) {
            int xOff = keptRows[t];
            double g = keptG[t];
            for (int i = 0; i < d; i++) {
                double v = x[xOff + i] - means[mu + i];
                dT[i * n + t] = v;
                sT[i * n + t] = g * v;
            }
        }
        for (int i = 0; i < d; i++) {
            double v = sumDiff[mu + i];
            int o = i * n;
            for (int t = 0; t < m; t++) {
                v += sT[o + t];
            }
            sumDiff[mu + i] = v;
        }
    }

    /**
     * Second moments as 4 x 4 blocks of dot products over the kept rows (16 scalar accumulators,
     * 8 loads per 16 FMAs), blocks from the diagonal rightwards. Scalar, but unlike row-major axpy
     * loops it runs at the FMA rate whatever D is; each entry still adds its rows in order.
     */
    @Override
    void rankUpdate(int m, int cOff) {
        final int n = blockRows;
        for (int a0 = 0; a0 < d; a0 += 4) {
            int s0 = a0 * n;
            int r0 = cOff + a0 * dp;
            for (int j0 = a0; j0 < d; j0 += 4) {
                int e0 = j0 * n;
                double c00 = acc[r0 + j0], c01 = acc[r0 + j0 + 1], c02 = acc[r0 + j0 + 2], c03 = acc[r0 + j0 + 3];
                double c10 = acc[r0 + dp + j0], c11 = acc[r0 + dp + j0 + 1];
                double c12 = acc[r0 + dp + j0 + 2], c13 = acc[r0 + dp + j0 + 3];
                double c20 = acc[r0 + 2 * dp + j0], c21 = acc[r0 + 2 * dp + j0 + 1];
                double c22 = acc[r0 + 2 * dp + j0 + 2], c23 = acc[r0 + 2 * dp + j0 + 3];
                double c30 = acc[r0 + 3 * dp + j0], c31 = acc[r0 + 3 * dp + j0 + 1];
                double c32 = acc[r0 + 3 * dp + j0 + 2], c33 = acc[r0 + 3 * dp + j0 + 3];
                for (int t = 0; t < m; t++) {
                    double g0 = sT[s0 + t], g1 = sT[s0 + n + t], g2 = sT[s0 + 2 * n + t], g3 = sT[s0 + 3 * n + t];
                    double x0 = dT[e0 + t], x1 = dT[e0 + n + t], x2 = dT[e0 + 2 * n + t], x3 = dT[e0 + 3 * n + t];
                    c00 = Math.fma(g0, x0, c00); c01 = Math.fma(g0, x1, c01);
                    c02 = Math.fma(g0, x2, c02); c03 = Math.fma(g0, x3, c03);
                    c10 = Math.fma(g1, x0, c10); c11 = Math.fma(g1, x1, c11);
                    c12 = Math.fma(g1, x2, c12); c13 = Math.fma(g1, x3, c13);
                    c20 = Math.fma(g2, x0, c20); c21 = Math.fma(g2, x1, c21);
                    c22 = Math.fma(g2, x2, c22); c23 = Math.fma(g2, x3, c23);
                    c30 = Math.fma(g3, x0, c30); c31 = Math.fma(g3, x1, c31);
                    c32 = Math.fma(g3, x2, c32); c33 = Math.fma(g3, x3, c33);
                }
                acc[r0 + j0] = c00; acc[r0 + j0 + 1] = c01; acc[r0 + j0 + 2] = c02; acc[r0 + j0 + 3] = c03;
                acc[r0 + dp + j0] = c10; acc[r0 + dp + j0 + 1] = c11;
                acc[r0 + dp + j0 + 2] = c12; acc[r0 + dp + j0 + 3] = c13;
                acc[r0 + 2 * dp + j0] = c20; acc[r0 + 2 * dp + j0 + 1] = c21;
                acc[r0 + 2 * dp + j0 + 2] = c22; acc[r0 + 2 * dp + j0 + 3] = c23;
                acc[r0 + 3 * dp + j0] = c30; acc[r0 + 3 * dp + j0 + 1] = c31;
                acc[r0 + 3 * dp + j0 + 2] = c32; acc[r0 + 3 * dp + j0 + 3] = c33;
            }
        }
    }
}
