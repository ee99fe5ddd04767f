package io.gaussmix.inference;

import io.gaussmix.math.ParameterLayout;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * J^-1, the asymptotic covariance of the parameters, through a Cholesky factorisation of J scaled to a
 * unit diagonal (S J S with S = diag(J_ii)^-1/2, so that the test below does not depend on the
 * parameters' units), or a {@link SingularInformationException} naming the direction in which J is not
 * positive definite.
 */
final class InformationInverse {
    /**
     * The smallest share of information a direction may keep: a coordinate whose J_ii is below this times its
     * complete-data information C_ii, or a pivot of the unit-diagonal Cholesky factor whose square is below it,
     * is not identified. Rounding leaves J's entries accurate to about 1e-13 of C's (the score variance is
     * subtracted from C term by term), far below it; a direction that keeps only 1e-9 of its information
     * would have a standard error above 3e4 times its complete-data one, which is no estimate.
     */
    static final double MIN_SHARE = 1e-9;

    private InformationInverse() {
    }

    /** V = J^-1, P x P row-major. */
    static double[] invert(ObservedInformation.Result r) {
        ParameterLayout layout = r.layout();
        double[] j = r.information();
        int n = layout.size();
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            double jii = j[i * n + i];
            double cii = r.completeDiagonal()[i];
            if (!(jii > MIN_SHARE * cii) || !(cii > 0)) {
                throw new SingularInformationException(String.format(Locale.ROOT, "the observed information is not "
                        + "positive definite: the data carry no information on %s (its diagonal entry is %.3g, "
                        + "%.3g of the complete-data information)%s", layout.name(i), jii, jii / cii, HINT),
                        List.of(layout.name(i)));
            }
            scale[i] = 1 / Math.sqrt(jii);
        }
        DMatrixRMaj scaled = new DMatrixRMaj(n, n);
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                scaled.data[a * n + b] = scale[a] * j[a * n + b] * scale[b];
            }
        }
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
        DMatrixRMaj l = chol.decompose(scaled.copy()) ? chol.getT(null) : null;
        if (l == null || !pivotsAbove(l, MIN_SHARE)) {
            throw singular(scaled, layout);
        }
        DMatrixRMaj inverse = new DMatrixRMaj(n, n);
        TriangularSolver_DDRM.invertLower(l.data, n);   // L^-1, in place (its lower triangle)
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                l.data[a * n + b] = 0;
            }
        }
        CommonOps_DDRM.multTransA(l, l, inverse);   // (S J S)^-1 = L^-T L^-1
        double[] v = inverse.data;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                v[a * n + b] *= scale[a] * scale[b];
            }
        }
        return v;
    }

    private static final String HINT = "; check that the fit converged, that no two components coincide and that "
            + "every component rests on enough points to estimate its covariance";

    private static boolean pivotsAbove(DMatrixRMaj l, double min) {
        for (int i = 0; i < l.numRows; i++) {
            double pivot = l.get(i, i);
            if (!(pivot * pivot > min)) {
                return false;
            }
        }
        return true;
    }

    /** Names the largest entries of the eigenvector of the smallest eigenvalue of S J S. */
    private static SingularInformationException singular(DMatrixRMaj scaled, ParameterLayout layout) {
        int n = scaled.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(scaled.copy())) {
            return new SingularInformationException("the observed information is not positive definite" + HINT,
                    List.of());
        }
        int min = 0;
        for (int i = 1; i < n; i++) {
            if (eig.getEigenvalue(i).real < eig.getEigenvalue(min).real) {
                min = i;
            }
        }
        DMatrixRMaj v = eig.getEigenVector(min);
        double largest = 0;
        for (int i = 0; i < n; i++) {
            largest = Math.max(largest, Math.abs(v.get(i, 0)));
        }
        List<Integer> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (Math.abs(v.get(i, 0)) >= 0.3 * largest) {   // the entries that make up the direction
                entries.add(i);
            }
        }
        entries.sort(Comparator.comparingDouble(i -> -Math.abs(v.get(i, 0))));
        List<String> names = new ArrayList<>();
        StringBuilder along = new StringBuilder();
        for (int i = 0; i < Math.min(4, entries.size()); i++) {
            int e = entries.get(i);
            names.add(layout.name(e));
            along.append(i == 0 ? "" : ", ").append(layout.name(e))
                    .append(String.format(Locale.ROOT, " (%+.2f)", v.get(e, 0)));
        }
        return new SingularInformationException(String.format(Locale.ROOT, "the observed information is not positive "
                + "definite: the parameters are not identified along %s%s (smallest eigenvalue %.3g of the "
                + "information scaled to a unit diagonal)%s", along, entries.size() > 4 ? ", ..." : "",
                eig.getEigenvalue(min).real, HINT), names);
    }
}
