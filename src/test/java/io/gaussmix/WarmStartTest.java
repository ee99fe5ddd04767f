package io.gaussmix;

import io.gaussmix.data.Matrix;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Warm starts continue scikit-learn's convergence test; maxIter 0 returns the start (issue #11.12, #11.13). */
class WarmStartTest {
    static final Matrix X = SyntheticMixtures.sample(
            SyntheticMixtures.randomParams(CovarianceType.FULL, 3, 2, 81, 4.0, 0.0), 900, 82);

    static GaussianMixture.Builder cpu() {
        return GaussianMixture.builder().backend(BackendType.CPU).k(3).seed(3);
    }

    /**
     * scikit-learn's test_warm_start_convergence: fitting maxIter 1 again and again from each result
     * converges, because each fit's first change is measured from the previous fit's lower bound. The
     * one fit it continues would stop at the same iteration: the chain converges exactly when the
     * uninterrupted fit does, and ends at its parameters.
     */
    @Test
    void repeatedOneIterationWarmStartsConverge() {
        GaussianMixtureModel whole = cpu().maxIter(500).build().fit(X);
        assertTrue(whole.summary().converged());
        GaussianMixtureModel m = cpu().maxIter(1).build().fit(X);
        int fits = 1;
        while (!m.summary().converged() && fits < 500) {
            m = cpu().warmStart(m).maxIter(1).build().fit(X);
            fits++;
        }
        assertTrue(m.summary().converged(), "not converged after " + fits + " warm starts");
        assertEquals(whole.summary().iterations(), fits, "warm starts until convergence");
        assertArrayEquals(whole.weights(), m.weights(), 1e-12);
        assertArrayEquals(whole.covariances(), m.covariances(), 1e-12);
        assertEquals(whole.summary().lowerBound(), m.summary().lowerBound(), 1e-12);
    }

    /** A start built from parameters has no lower bound: its first iteration is never a convergence. */
    @Test
    void aStartWithoutLowerBoundDoesNotConvergeAtOnce() {
        GaussianMixtureModel fitted = cpu().maxIter(500).build().fit(X);
        GaussianMixtureModel given = GaussianMixtureModel.of(CovarianceType.FULL, fitted.weights(), fitted.means(),
                fitted.covariances(), FitSummary.notFitted());
        GaussianMixtureModel once = cpu().initialModel(given).maxIter(1).build().fit(X);
        assertFalse(once.summary().converged());
        GaussianMixtureModel continued = cpu().warmStart(fitted).maxIter(1).build().fit(X);
        assertTrue(continued.summary().converged(), "a converged fit continued for one step is still converged");
    }

    /** maxIter 0 from a starting model: that model, not converged, no EM step and no pass. */
    @Test
    void maxIterZeroReturnsTheStartingModel() {
        GaussianMixtureModel start = cpu().maxIter(2).build().fit(X);
        List<FitListener.IterationEvent> events = new ArrayList<>();
        GaussianMixtureModel m = cpu().warmStart(start).maxIter(0).listener(new FitListener() {
            @Override
            public void onIteration(IterationEvent e) {
                events.add(e);
            }
        }).build().fit(X);
        assertTrue(events.isEmpty(), "no EM step");
        assertFalse(m.summary().converged());
        assertEquals(0, m.summary().iterations());
        assertTrue(m.summary().lowerBoundHistory().isEmpty());
        assertEquals(start.summary().lowerBound(), m.summary().lowerBound(), 0.0, "a warm start keeps its lower bound");
        assertArrayEquals(start.weights(), m.weights(), 0.0);
        assertArrayEquals(start.covariances(), m.covariances(), 0.0);
        assertArrayEquals(Matrix.of(start.means()).data(), Matrix.of(m.means()).data(), 0.0);
    }

    /**
     * maxIter 0 with an initialiser returns its start: continuing from it for n iterations gives exactly
     * the fresh fit of n iterations (tol 0, so both run all n).
     */
    @ParameterizedTest
    @EnumSource(InitMethod.class)
    void maxIterZeroReturnsTheInitialisation(InitMethod init) {
        GaussianMixtureModel start = cpu().init(init).maxIter(0).build().fit(X);
        assertFalse(start.summary().converged());
        assertEquals(0, start.summary().iterations());
        assertTrue(Double.isNaN(start.summary().lowerBound()), "nothing was computed: " + start.summary().lowerBound());
        GaussianMixtureModel fresh = cpu().init(init).maxIter(7).tol(0).build().fit(X);
        GaussianMixtureModel continued = cpu().init(init).warmStart(start).maxIter(7).tol(0).build().fit(X);
        assertArrayEquals(fresh.weights(), continued.weights(), 0.0);
        assertArrayEquals(fresh.covariances(), continued.covariances(), 0.0);
        assertEquals(fresh.summary().lowerBoundHistory(), continued.summary().lowerBoundHistory());
    }
}
