package io.gaussmix.bench.jmh.peers;

import io.gaussmix.CovarianceType;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import org.apache.commons.math3.distribution.MixtureMultivariateNormalDistribution;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.distribution.fitting.MultivariateNormalMixtureExpectationMaximization;
import org.apache.commons.math3.exception.ConvergenceException;
import org.apache.commons.math3.util.Pair;

import java.util.ArrayList;
import java.util.List;

/**
 * Apache Commons Math 3.6.1 {@code MultivariateNormalMixtureExpectationMaximization}. Its
 * {@code fit(initial, maxIterations, threshold)} runs maxIterations + 1 iterations and then throws
 * {@link ConvergenceException} if the threshold never stopped it (the fitted model is set by then),
 * so we pass iterations - 1 and the smallest legal threshold (Double.MIN_VALUE). It cannot run fewer
 * than 2 iterations, which is why the comparison's short run has 2.
 */
final class CommonsMathPeer implements Peer {
    private MultivariateNormalMixtureExpectationMaximization em;

    @Override
    public String name() {
        return "Apache Commons Math";
    }

    @Override
    public String version() {
        return Peer.manifestVersion(MultivariateNormalMixtureExpectationMaximization.class, "3.6.1");
    }

    @Override
    public void load(Matrix x) {
        double[][] data = x.toRows();
        em = new MultivariateNormalMixtureExpectationMaximization(data);
    }

    @Override
    public MixtureParams fit(MixtureParams start, int iterations) {
        if (iterations < 2) {
            throw new IllegalArgumentException("Commons Math runs at least 2 iterations");
        }
        int k = start.components();
        int d = start.dimensions();
        List<Pair<Double, MultivariateNormalDistribution>> comps = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            double[] mu = new double[d];
            System.arraycopy(start.means(), c * d, mu, 0, d);
            double[][] cov = new double[d][d];
            for (int i = 0; i < d; i++) {
                System.arraycopy(start.covariances(), (c * d + i) * d, cov[i], 0, d);
            }
            comps.add(new Pair<>(start.weights()[c], new MultivariateNormalDistribution(mu, cov)));
        }
        try {
            em.fit(new MixtureMultivariateNormalDistribution(comps), iterations - 1, Double.MIN_VALUE);
        } catch (ConvergenceException expected) {
            // Thrown after the last iteration when the threshold was never met; the model is set.
        } catch (org.apache.commons.math3.linear.SingularMatrixException e) {
            throw new IllegalStateException("a component's covariance became singular (Commons Math has no "
                    + "covariance regularisation; a component with fewer effective rows than D=" + d + " does this)", e);
        }
        MixtureMultivariateNormalDistribution m = em.getFittedModel();
        double[] w = new double[k];
        double[] means = new double[k * d];
        double[] covs = new double[k * d * d];
        int c = 0;
        for (Pair<Double, MultivariateNormalDistribution> p : m.getComponents()) {
            w[c] = p.getFirst();
            System.arraycopy(p.getSecond().getMeans(), 0, means, c * d, d);
            double[][] cov = p.getSecond().getCovariances().getData();
            for (int i = 0; i < d; i++) {
                System.arraycopy(cov[i], 0, covs, (c * d + i) * d, d);
            }
            c++;
        }
        return MixtureParams.of(CovarianceType.FULL, w, means, covs, d);
    }

    @Override
    public String note() {
        return "maxIterations = iters-1 (it runs one more), threshold = MIN_VALUE, no reg_covar; 1 thread";
    }
}
