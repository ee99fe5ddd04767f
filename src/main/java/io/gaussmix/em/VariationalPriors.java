package io.gaussmix.em;

import io.gaussmix.BayesianPriors;
import io.gaussmix.CovarianceType;
import io.gaussmix.WeightPrior;
import io.gaussmix.data.Matrix;

/**
 * The priors of a variational fit with every default resolved against the data being fitted, as
 * scikit-learn's {@code BayesianGaussianMixture._check_parameters} resolves them.
 *
 * @param process    true for the Dirichlet-process (stick-breaking) weight prior
 * @param mean       D values
 * @param covariance the covariance type's block: FULL/TIED D*D, DIAG D, SPHERICAL 1
 */
record VariationalPriors(boolean process, double weightConcentration, double meanPrecision, double[] mean,
                         double degreesOfFreedom, double[] covariance) {

    /** scikit-learn's defaults for what was not given. */
    static VariationalPriors resolve(BayesianPriors g, CovarianceType type, Matrix x, double[] w, int k) {
        int d = x.cols();
        int n = x.rows();
        double[] v = x.data();
        double total = 0;
        double[] mean = new double[d];
        for (int r = 0; r < n; r++) {
            double wr = w == null ? 1 : w[r];
            total += wr;
            for (int i = 0; i < d; i++) {
                mean[i] += wr * v[r * d + i];
            }
        }
        for (int i = 0; i < d; i++) {
            mean[i] /= total;
        }
        double[] m0 = g.mean() != null ? requireLength("mean", g.mean(), d) : mean;
        double[] c0;
        if (g.covariance() != null) {
            c0 = requireLength("covariance", g.covariance(), type.structure().blockLength(d));
        } else {
            // np.cov / np.var(ddof=1): about the data mean, divided by N - 1.
            double[] cov = new double[d * d];
            for (int r = 0; r < n; r++) {
                double wr = w == null ? 1 : w[r];
                for (int i = 0; i < d; i++) {
                    double ei = v[r * d + i] - mean[i];
                    for (int j = 0; j < d; j++) {
                        cov[i * d + j] += wr * ei * (v[r * d + j] - mean[j]);
                    }
                }
            }
            for (int t = 0; t < cov.length; t++) {
                cov[t] /= total - 1;
            }
            c0 = switch (type) {
                case FULL, TIED -> cov;
                case DIAG -> diagonal(cov, d);
                case SPHERICAL -> new double[] {mean(diagonal(cov, d))};
            };
        }
        double dof = Double.isNaN(g.degreesOfFreedom()) ? d : g.degreesOfFreedom();
        if (!(dof > d - 1)) {
            throw new IllegalArgumentException("degreesOfFreedom must be > D - 1 = " + (d - 1) + ", got " + dof);
        }
        return new VariationalPriors(g.weightPrior() == WeightPrior.DIRICHLET_PROCESS,
                Double.isNaN(g.weightConcentration()) ? 1.0 / k : g.weightConcentration(),
                Double.isNaN(g.meanPrecision()) ? 1.0 : g.meanPrecision(), m0, dof, c0);
    }

    private static double[] requireLength(String name, double[] a, int len) {
        if (a.length != len) {
            throw new IllegalArgumentException("the " + name + " prior holds " + a.length + " values, expected " + len);
        }
        return a;
    }

    private static double[] diagonal(double[] m, int d) {
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            out[i] = m[i * d + i];
        }
        return out;
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }
}
