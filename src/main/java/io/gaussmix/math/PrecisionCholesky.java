package io.gaussmix.math;

import io.gaussmix.parallel.UnitWorkers;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The precision Cholesky factor of a covariance: Sigma = L L^T, U = L^-T (upper triangular,
 * precision = U U^T, scikit-learn's {@code precisions_cholesky_}), and sum log diag U.
 *
 * <p>Why not EJML at every size: its block Cholesky and {@code TriangularSolver_DDRM.invertLower}
 * are single-threaded and the inverse's inner loop walks a column of the row-major matrix, so at
 * D = 2000 one factorisation took 2.2 s of CPU (2.5 GFLOP/s; 0.57 s here). Here both halves are blocked so that
 * every long inner loop is a contiguous axpy that C2 vectorises:
 * <ul>
 * <li>a right-looking Cholesky in panels of {@value #PANEL} columns: factor the diagonal block,
 * solve the rows below it, then subtract the panel's rank-{@value #PANEL} product from the
 * trailing lower triangle, row by row against a transposed copy of the panel;</li>
 * <li>U by rows in blocks of {@value #BLOCK}: rows [j0, j1) of U are columns [j0, j1) of L^-1, the
 * solution of L X = E for those columns of the identity, independent of every other block.</li>
 * </ul>
 * The parallel units (rows of a panel update, blocks of U) are cut by D alone and each output
 * entry is computed by the same operations in the same order whoever runs it, so the result is
 * the same bits on any thread count. Below {@link #EJML_BELOW} the EJML path is kept: it is as fast
 * there and it is the arithmetic the parity tests were first run with.
 *
 * <p>Like EJML's Cholesky, only the upper triangle of Sigma is read (the scorer reads it too).
 */
public final class PrecisionCholesky {
    /**
     * Below this D, EJML's Cholesky and triangular inverse (measured: see benchmarks/RESULTS.md). Up to
     * D = 96 both paths take the same time once compiled, but a fit at D = 64 ran K factorisations an
     * iteration, few enough that C2's compiling of the blocked loops (0.43 CPU s, twice on-stack) cost
     * far more than they saved; EJML's compiled in 0.09 s.
     */
    static final int EJML_BELOW = 128;
    /** Columns per Cholesky panel. */
    static final int PANEL = 64;
    /** Rows of U per independent block of the inverse. */
    static final int BLOCK = 64;
    /** Rows per parallel unit of a panel's trailing update. */
    private static final int UPDATE_ROWS = 32;
    /** Below this D everything runs on the calling thread: the hand-off would cost more than it saves. */
    static final int PARALLEL_FROM = 512;

    private PrecisionCholesky() {
    }

    /**
     * Factors the D x D covariance at {@code cov[from..]} (row-major, upper triangle read) and writes
     * U = L^-T at {@code out[to..]}, zeros below the diagonal, using the shared worker pool at large D.
     *
     * @return sum log diag U, or NaN when the matrix is not (numerically) positive definite or not finite
     */
    public static double factor(double[] cov, int from, int d, double[] out, int to) {
        return factor(cov, from, d, out, to, d >= PARALLEL_FROM ? UnitWorkers.shared() : null);
    }

    /**
     * As {@link #factor(double[], int, int, double[], int)} on the given workers (null: the calling
     * thread); the result does not depend on which.
     */
    public static double factor(double[] cov, int from, int d, double[] out, int to, UnitWorkers workers) {
        return d < EJML_BELOW ? ejml(cov, from, d, out, to) : blocked(cov, from, d, out, to, workers);
    }

    /** The blocked path at any D (package-private for the tests and the benchmark). */
    static double blocked(double[] cov, int from, int d, double[] out, int to, UnitWorkers workers) {
        double[] a = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                a[i * d + j] = cov[from + j * d + i];
            }
        }
        if (!cholesky(a, d, workers)) {
            return Double.NaN;
        }
        double logDet = 0;
        for (int i = 0; i < d; i++) {
            logDet -= Math.log(a[i * d + i]);
        }
        invertTransposed(a, d, out, to, workers);
        for (int i = 0; i < d * d; i++) {
            if (!Double.isFinite(out[to + i])) {
                return Double.NaN;
            }
        }
        return logDet;
    }

    /**
     * The lower Cholesky factor L (Sigma = L L^T) of the covariance at {@code cov[from..]}, row-major
     * with zeros above the diagonal, or null when it is not positive definite.
     */
    public static double[] lower(double[] cov, int from, int d) {
        if (d < EJML_BELOW) {
            DMatrixRMaj m = new DMatrixRMaj(d, d);
            System.arraycopy(cov, from, m.data, 0, d * d);
            CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
            return chol.decompose(m) ? chol.getT(null).data : null;
        }
        double[] a = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                a[i * d + j] = cov[from + j * d + i];
            }
        }
        return cholesky(a, d, d >= PARALLEL_FROM ? UnitWorkers.shared() : null) ? a : null;
    }

    /** The EJML path for small D: block-free Cholesky and {@code invertLower}, as before. */
    static double ejml(double[] cov, int from, int d, double[] out, int to) {
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        System.arraycopy(cov, from, m.data, 0, d * d);
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
        if (!chol.decompose(m)) {
            return Double.NaN;
        }
        DMatrixRMaj lower = chol.getT(null);
        double logDet = 0;
        for (int i = 0; i < d; i++) {
            double lii = lower.get(i, i);
            if (!(lii > 0) || !Double.isFinite(lii)) {
                return Double.NaN;
            }
            logDet -= Math.log(lii);
        }
        TriangularSolver_DDRM.invertLower(lower.data, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                out[to + i * d + j] = j >= i ? lower.data[j * d + i] : 0.0;
            }
        }
        for (double v : lower.data) {
            if (!Double.isFinite(v)) {
                return Double.NaN;
            }
        }
        return logDet;
    }

    /**
     * In place: the lower triangle of {@code a} (d x d) becomes L, the upper triangle is left as it
     * was (zeros here). Returns false at the first pivot that is not positive and finite.
     */
    static boolean cholesky(double[] a, int d, UnitWorkers workers) {
        double[] panelT = new double[PANEL * d];
        for (int p = 0; p < d; p += PANEL) {
            int k0 = p;
            int kb = Math.min(PANEL, d - k0);
            if (!factorDiagonalBlock(a, d, k0, kb)) {
                return false;
            }
            int start = k0 + kb;
            int m = d - start;
            if (m == 0) {
                break;
            }
            run(workers, m, UPDATE_ROWS, (r0, r1) -> solvePanelRows(a, d, k0, kb, start + r0, start + r1));
            // The panel transposed: panelT[t * m + (j - start)] = L[j][k0 + t], so that the update's
            // inner loop over j reads it contiguously.
            for (int j = 0; j < m; j++) {
                int row = (start + j) * d + k0;
                for (int t = 0; t < kb; t++) {
                    panelT[t * m + j] = a[row + t];
                }
            }
            run(workers, m, UPDATE_ROWS, (r0, r1) -> updateTrailing(a, d, k0, kb, start, panelT, r0, r1));
        }
        return true;
    }

    /** Unblocked Cholesky of the kb x kb diagonal block at (k0, k0), earlier panels already subtracted. */
    private static boolean factorDiagonalBlock(double[] a, int d, int k0, int kb) {
        for (int j = k0; j < k0 + kb; j++) {
            int rj = j * d;
            double s = a[rj + j];
            for (int t = k0; t < j; t++) {
                s -= a[rj + t] * a[rj + t];
            }
            if (!(s > 0) || !Double.isFinite(s)) {
                return false;
            }
            double ljj = Math.sqrt(s);
            a[rj + j] = ljj;
            for (int i = j + 1; i < k0 + kb; i++) {
                int ri = i * d;
                double v = a[ri + j];
                for (int t = k0; t < j; t++) {
                    v -= a[ri + t] * a[rj + t];
                }
                a[ri + j] = v / ljj;
            }
        }
        return true;
    }

    /** Rows [i0, i1) below the diagonal block: x L11^T = a[i][k0..k0+kb), by forward substitution. */
    private static void solvePanelRows(double[] a, int d, int k0, int kb, int i0, int i1) {
        for (int i = i0; i < i1; i++) {
            int ri = i * d;
            for (int j = k0; j < k0 + kb; j++) {
                int rj = j * d;
                double v = a[ri + j];
                for (int t = k0; t < j; t++) {
                    v -= a[ri + t] * a[rj + t];
                }
                a[ri + j] = v / a[rj + j];
            }
        }
    }

    /**
     * Trailing rows start + [r0, r1): a[i][j] -= sum_t L[i][k0 + t] L[j][k0 + t] for start <= j <= i.
     * Rows go in pairs (r, r+1) from r0 (a multiple of the unit size, so the pairing depends on D
     * alone), each panel row read once for both, four t per pass, t ascending; the pair's rows are
     * updated in two scratch rows, which C2 vectorises where two stores into {@code a} it would not.
     */
    private static void updateTrailing(double[] a, int d, int k0, int kb, int start, double[] panelT, int r0, int r1) {
        int m = d - start;
        double[] acc0 = new double[m];
        double[] acc1 = new double[m];
        for (int r = r0; r < r1; r += 2) {
            boolean pair = r + 1 < r1;
            int ri = (start + r) * d;
            int rn = pair ? ri + d : ri;      // row r + 1 (row r again when there is none: its result is unused)
            int len = r + 1;                  // row r's columns; row r + 1 has one more, done at the end
            System.arraycopy(a, ri + start, acc0, 0, len);
            System.arraycopy(a, rn + start, acc1, 0, len);
            int t = 0;
            for (; t + 4 <= kb; t += 4) {
                double l0 = a[ri + k0 + t];
                double l1 = a[ri + k0 + t + 1];
                double l2 = a[ri + k0 + t + 2];
                double l3 = a[ri + k0 + t + 3];
                double n0 = a[rn + k0 + t];
                double n1 = a[rn + k0 + t + 1];
                double n2 = a[rn + k0 + t + 2];
                double n3 = a[rn + k0 + t + 3];
                int p0 = t * m;
                int p1 = p0 + m;
                int p2 = p1 + m;
                int p3 = p2 + m;
                for (int j = 0; j < len; j++) {
                    double x0 = panelT[p0 + j];
                    double x1 = panelT[p1 + j];
                    double x2 = panelT[p2 + j];
                    double x3 = panelT[p3 + j];
                    acc0[j] = Math.fma(-l3, x3, Math.fma(-l2, x2, Math.fma(-l1, x1, Math.fma(-l0, x0, acc0[j]))));
                    acc1[j] = Math.fma(-n3, x3, Math.fma(-n2, x2, Math.fma(-n1, x1, Math.fma(-n0, x0, acc1[j]))));
                }
            }
            for (; t < kb; t++) {
                double l0 = a[ri + k0 + t];
                double n0 = a[rn + k0 + t];
                int p0 = t * m;
                for (int j = 0; j < len; j++) {
                    acc0[j] = Math.fma(-l0, panelT[p0 + j], acc0[j]);
                    acc1[j] = Math.fma(-n0, panelT[p0 + j], acc1[j]);
                }
            }
            System.arraycopy(acc0, 0, a, ri + start, len);
            if (pair) {
                System.arraycopy(acc1, 0, a, rn + start, len);
                // Row r + 1's diagonal entry (column start + r + 1), the one row r does not have.
                int diag = rn + start + len;
                double v = a[diag];
                for (t = 0; t + 4 <= kb; t += 4) {
                    int p0 = t * m + len;
                    v = Math.fma(-a[rn + k0 + t], panelT[p0], v);
                    v = Math.fma(-a[rn + k0 + t + 1], panelT[p0 + m], v);
                    v = Math.fma(-a[rn + k0 + t + 2], panelT[p0 + 2 * m], v);
                    v = Math.fma(-a[rn + k0 + t + 3], panelT[p0 + 3 * m], v);
                }
                for (; t < kb; t++) {
                    v = Math.fma(-a[rn + k0 + t], panelT[t * m + len], v);
                }
                a[diag] = v;
            }
        }
    }

    /** Writes U = L^-T at out[to..] (zeros below the diagonal), one independent block of rows per unit. */
    private static void invertTransposed(double[] l, int d, double[] out, int to, UnitWorkers workers) {
        int blocks = (d + BLOCK - 1) / BLOCK;
        // Unit u is block u: the first blocks are the largest (they reach back to column 0), so they start first.
        run(workers, blocks, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                invertBlock(l, d, b * BLOCK, Math.min(d, (b + 1) * BLOCK), out, to);
            }
        });
    }

    /**
     * Rows [j0, j1) of U: X = columns [j0, j1) of L^-1, by forward substitution over the rows i >= j0
     * of L X = E (w row i - j0 holds X[i][j0..j1)), then transposed into U. Rows go in pairs (i, i+1)
     * from j0, each X row [k] read once for both (two accumulators, four k per pass, k ascending);
     * the pairing depends only on j0 and D.
     */
    private static void invertBlock(double[] l, int d, int j0, int j1, double[] out, int to) {
        int b = j1 - j0;
        int n = d - j0;
        double[] w = new double[n * b];
        double[] acc0 = new double[b];
        double[] acc1 = new double[b];
        for (int i = j0; i < d; i += 2) {
            boolean pair = i + 1 < d;
            int ri = i * d;
            int rn = pair ? ri + d : ri;   // row i + 1 of L (row i again when there is none: its result is unused)
            java.util.Arrays.fill(acc0, 0.0);
            java.util.Arrays.fill(acc1, 0.0);
            if (i < j1) {
                acc0[i - j0] = 1.0;
            }
            if (pair && i + 1 < j1) {
                acc1[i + 1 - j0] = 1.0;
            }
            int k = j0;
            for (; k + 4 <= i; k += 4) {
                double l0 = l[ri + k];
                double l1 = l[ri + k + 1];
                double l2 = l[ri + k + 2];
                double l3 = l[ri + k + 3];
                double m0 = l[rn + k];
                double m1 = l[rn + k + 1];
                double m2 = l[rn + k + 2];
                double m3 = l[rn + k + 3];
                int w0 = (k - j0) * b;
                for (int c = 0; c < b; c++) {
                    double x0 = w[w0 + c];
                    double x1 = w[w0 + b + c];
                    double x2 = w[w0 + 2 * b + c];
                    double x3 = w[w0 + 3 * b + c];
                    acc0[c] = Math.fma(-l3, x3, Math.fma(-l2, x2, Math.fma(-l1, x1, Math.fma(-l0, x0, acc0[c]))));
                    acc1[c] = Math.fma(-m3, x3, Math.fma(-m2, x2, Math.fma(-m1, x1, Math.fma(-m0, x0, acc1[c]))));
                }
            }
            for (; k < i; k++) {
                double l0 = l[ri + k];
                double m0 = l[rn + k];
                int w0 = (k - j0) * b;
                for (int c = 0; c < b; c++) {
                    acc0[c] = Math.fma(-l0, w[w0 + c], acc0[c]);
                    acc1[c] = Math.fma(-m0, w[w0 + c], acc1[c]);
                }
            }
            int wi = (i - j0) * b;
            double lii = l[ri + i];
            for (int c = 0; c < b; c++) {
                w[wi + c] = acc0[c] / lii;
            }
            if (pair) {
                double m0 = l[rn + i];
                double lnn = l[rn + i + 1];
                for (int c = 0; c < b; c++) {
                    w[wi + b + c] = Math.fma(-m0, w[wi + c], acc1[c]) / lnn;
                }
            }
        }
        for (int c = 0; c < b; c++) {
            int row = to + (j0 + c) * d;
            java.util.Arrays.fill(out, row, row + j0 + c, 0.0);
            for (int i = j0 + c; i < d; i++) {
                out[row + i] = w[(i - j0) * b + c];
            }
        }
    }

    private static void run(UnitWorkers workers, int n, int unitRows, UnitWorkers.RangeAction action) {
        if (workers == null) {
            for (int u = 0; u * unitRows < n; u++) {
                action.run(u * unitRows, Math.min(n, (u + 1) * unitRows));
            }
        } else {
            workers.forEach(n, unitRows, action);
        }
    }
}
