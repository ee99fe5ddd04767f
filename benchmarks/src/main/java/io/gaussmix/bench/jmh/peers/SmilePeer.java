package io.gaussmix.bench.jmh.peers;

import io.gaussmix.CovarianceType;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import smile.stat.distribution.MultivariateExponentialFamilyMixture;
import smile.stat.distribution.MultivariateGaussianDistribution;
import smile.stat.distribution.MultivariateMixture;

/**
 * Smile's {@code MultivariateExponentialFamilyMixture.fit(data, components, gamma, maxIter, tol)} with
 * Gaussian components. Its loop starts from L = 0 and stops when the gain is <= tol, which with a
 * negative log-likelihood ends after one iteration under the defaults: tol = -Infinity runs every
 * iteration. gamma = 0 turns off its regularised ("gamma") EM so the update is plain EM.
 */
final class SmilePeer implements Peer {
    private double[][] data;

    @Override
    public String name() {
        return "Smile";
    }

    @Override
    public String version() {
        return Peer.manifestVersion(MultivariateExponentialFamilyMixture.class, "3.1.1");
    }

    @Override
    public void load(Matrix x) {
        data = x.toRows();
    }

    @Override
    public MixtureParams fit(MixtureParams start, int iterations) {
        int k = start.components();
        int d = start.dimensions();
        MultivariateMixture.Component[] comps = new MultivariateMixture.Component[k];
        for (int c = 0; c < k; c++) {
            double[] mu = new double[d];
            System.arraycopy(start.means(), c * d, mu, 0, d);
            double[][] cov = new double[d][d];
            for (int i = 0; i < d; i++) {
                System.arraycopy(start.covariances(), (c * d + i) * d, cov[i], 0, d);
            }
            comps[c] = new MultivariateMixture.Component(start.weights()[c],
                    new MultivariateGaussianDistribution(mu, smile.math.matrix.Matrix.of(cov)));
        }
        MultivariateExponentialFamilyMixture m = MultivariateExponentialFamilyMixture.fit(
                data, comps, 0.0, iterations, Double.NEGATIVE_INFINITY);
        double[] w = new double[k];
        double[] means = new double[k * d];
        double[] covs = new double[k * d * d];
        for (int c = 0; c < k; c++) {
            w[c] = m.components[c].priori;
            MultivariateGaussianDistribution g = (MultivariateGaussianDistribution) m.components[c].distribution;
            System.arraycopy(g.mu, 0, means, c * d, d);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    covs[(c * d + i) * d + j] = g.sigma.get(i, j);
                }
            }
        }
        return MixtureParams.of(CovarianceType.FULL, w, means, covs, d);
    }

    @Override
    public String note() {
        return "tol=-Inf, gamma=0, no reg_covar; 1 thread";
    }
}
