package io.gaussmix.backend.cpu;

import io.gaussmix.math.MixtureParams;

/**
 * The triangular kernels in plain Java, for JVMs without the Vector API module. Both products are
 * written as axpy loops over contiguous arrays (which C2 vectorises, Math.fma included) that
 * update four rows per pass: each load of a U row, or of an accumulator row, then feeds four
 * fused multiply-adds instead of one. Inner loops start at the aligned index {@code i & ~7}
 * rather than at the diagonal: the entries below it are zero, and aligned starts vectorise better.
 */
final class PlainTriangular extends TriangularPass {
    private final double[] y0;
    private final double[] y1;
    private final double[] y2;
    private final double[] y3;

    PlainTriangular(MixtureParams p, double[] paddedFactors) {
        super(p, paddedFactors);
        y0 = new double[dp];
        y1 = new double[dp];
        y2 = new double[dp];
        y3 = new double[dp];
    }

    @Override
    void mahalanobis(int rows, int uOff) {
        for (int r = 0; r < rows; r += 4) {
            java.util.Arrays.fill(y0, 0);
            java.util.Arrays.fill(y1, 0);
            java.util.Arrays.fill(y2, 0);
            java.util.Arrays.fill(y3, 0);
            int o = r * dp;
            for (int i = 0; i < d; i++) {
                double a0 = diff[o + i];
                double a1 = diff[o + dp + i];
                double a2 = diff[o + 2 * dp + i];
                double a3 = diff[o + 3 * dp + i];
                int ub = uOff + i * dp;
                for (int j = i & ~7; j < dp; j++) {
                    double uj = u[ub + j];
                    y0[j] = Math.fma(a0, uj, y0[j]);
                    y1[j] = Math.fma(a1, uj, y1[j]);
                    y2[j] = Math.fma(a2, uj, y2[j]);
                    y3[j] = Math.fma(a3, uj, y3[j]);
                }
            }
            maha[r] = squaredNorm(y0);
            maha[r + 1] = squaredNorm(y1);
            maha[r + 2] = squaredNorm(y2);
            maha[r + 3] = squaredNorm(y3);
        }
    }

    private double squaredNorm(double[] y) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += y[j] * y[j];
        }
        return s;
    }

    @Override
    void rankUpdate(int m, int cOff) {
        int t = 0;
        // Four kept rows per sweep over the triangle: one load and store of acc per four FMAs,
        // applied in row order so each entry still sums its rows sequentially.
        for (; t + 4 <= m; t += 4) {
            int d0 = t * dp;
            int d1 = d0 + dp;
            int d2 = d1 + dp;
            int d3 = d2 + dp;
            for (int a = 0; a < d; a++) {
                double g0 = scaled[d0 + a];
                double g1 = scaled[d1 + a];
                double g2 = scaled[d2 + a];
                double g3 = scaled[d3 + a];
                int cb = cOff + a * dp;
                for (int j = a & ~7; j < dp; j++) {
                    double v = Math.fma(g0, diff[d0 + j], acc[cb + j]);
                    v = Math.fma(g1, diff[d1 + j], v);
                    v = Math.fma(g2, diff[d2 + j], v);
                    acc[cb + j] = Math.fma(g3, diff[d3 + j], v);
                }
            }
        }
        for (; t < m; t++) {
            int d0 = t * dp;
            for (int a = 0; a < d; a++) {
                double g0 = scaled[d0 + a];
                int cb = cOff + a * dp;
                for (int j = a & ~7; j < dp; j++) {
                    acc[cb + j] = Math.fma(g0, diff[d0 + j], acc[cb + j]);
                }
            }
        }
    }
}
