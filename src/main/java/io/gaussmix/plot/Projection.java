package io.gaussmix.plot;

import io.gaussmix.data.Matrix;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A linear map from D dimensions to the plane: {@code y = P^T (x - center)} with P a D x 2 matrix of
 * orthonormal columns, either two coordinate axes or the first two principal components.
 */
final class Projection {
    private final double[] center;
    private final double[][] axes;
    private final String[] labels;

    private Projection(double[] center, double[][] axes, String[] labels) {
        this.center = center;
        this.axes = axes;
        this.labels = labels;
    }

    /** Plots columns i and j as they are. */
    static Projection columns(int d, int i, int j, String nameI, String nameJ) {
        double[][] axes = new double[2][d];
        axes[0][i] = 1;
        axes[1][j] = 1;
        return new Projection(new double[d], axes, new String[] {nameI, nameJ});
    }

    /** The first two principal components of x (D >= 2): eigenvectors of its covariance, largest first. */
    static Projection principalComponents(Matrix x) {
        int n = x.rows();
        int d = x.cols();
        double[] v = x.data();
        double[] mean = new double[d];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                mean[j] += v[r * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        for (int r = 0; r < n; r++) {
            for (int a = 0; a < d; a++) {
                double da = v[r * d + a] - mean[a];
                for (int b = a; b < d; b++) {
                    cov.add(a, b, da * (v[r * d + b] - mean[b]));
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double c = cov.get(a, b) / Math.max(1, n - 1);
                cov.set(a, b, c);
                cov.set(b, a, c);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(cov)) {
            throw new IllegalStateException("eigen-decomposition of the data covariance failed");
        }
        Integer[] order = new Integer[d];
        double total = 0;
        for (int i = 0; i < d; i++) {
            order[i] = i;
            total += Math.max(0, eig.getEigenvalue(i).getReal());
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -eig.getEigenvalue(i).getReal()));
        double[][] axes = new double[2][];
        String[] labels = new String[2];
        for (int p = 0; p < 2; p++) {
            DMatrixRMaj vec = eig.getEigenVector(order[p]);
            axes[p] = new double[d];
            double norm = 0;
            int biggest = 0;
            for (int j = 0; j < d; j++) {
                axes[p][j] = vec.get(j, 0);
                norm += axes[p][j] * axes[p][j];
                if (Math.abs(axes[p][j]) > Math.abs(axes[p][biggest])) {
                    biggest = j;
                }
            }
            norm = Math.sqrt(norm) * Math.signum(axes[p][biggest]);
            for (int j = 0; j < d; j++) {
                axes[p][j] /= norm;
            }
            double share = total > 0 ? 100 * eig.getEigenvalue(order[p]).getReal() / total : 0;
            labels[p] = String.format(java.util.Locale.ROOT, "PC%d (%.1f%% of variance)", p + 1, share);
        }
        return new Projection(mean, axes, labels);
    }

    /** The axis titles. */
    String label(int axis) {
        return labels[axis];
    }

    /** Coordinate {@code axis} (0 or 1) of the projected point x (length D). */
    double project(double[] x, int from, int axis) {
        double s = 0;
        for (int j = 0; j < center.length; j++) {
            s += axes[axis][j] * (x[from + j] - center[j]);
        }
        return s;
    }

    /** The 2 x 2 covariance P^T Sigma P of a D x D covariance under this projection. */
    double[][] project(double[][] sigma) {
        int d = center.length;
        double[][] out = new double[2][2];
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double s = 0;
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        s += axes[a][i] * sigma[i][j] * axes[b][j];
                    }
                }
                out[a][b] = s;
            }
        }
        return out;
    }
}
