package io.gaussmix;

import io.gaussmix.data.Matrix;
import io.gaussmix.em.FitFailedException;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Singular and dead components are repaired, recorded, and reported; hopeless fits fail with advice. */
class FitInterventionsTest {

    /** A component far from every row gets no responsibility: it is re-seeded, and the fit goes on. */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void deadComponentIsReseededAndRecorded(CovarianceType type) {
        Matrix x = SyntheticMixtures.sample(SyntheticMixtures.randomParams(type, 2, 2, 5, 6.0, 0.0), 800, 6);
        GaussianMixtureModel fitted = GaussianMixture.builder().k(2).covarianceType(type).backend(BackendType.CPU)
                .maxIter(2).build().fit(x);
        double[][] means = fitted.means();
        double[][] withFar = {means[0], means[1], {1e6, 1e6}};
        double[] weights = {0.45, 0.45, 0.1};
        double[] cov = switch (type) {
            case FULL -> concat(fitted.covariances(), new double[] {1, 0, 0, 1});
            case TIED -> fitted.covariances();
            case DIAG -> concat(fitted.covariances(), new double[] {1, 1});
            case SPHERICAL -> concat(fitted.covariances(), new double[] {1});
        };
        GaussianMixtureModel start = GaussianMixtureModel.of(type, weights, withFar, cov, FitSummary.notFitted());
        List<Intervention> seen = new ArrayList<>();
        GaussianMixtureModel m = GaussianMixture.builder().initialModel(start).backend(BackendType.CPU).maxIter(30)
                .listener(new FitListener() {
                    @Override
                    public void onIntervention(Intervention i) {
                        seen.add(i);
                    }
                }).build().fit(x);
        List<Intervention> recorded = m.summary().interventions();
        assertFalse(recorded.isEmpty(), "no intervention recorded");
        assertEquals(recorded, seen, "listener and model disagree");
        Intervention first = recorded.get(0);
        assertEquals(Intervention.Kind.RESEEDED, first.kind());
        assertEquals(2, first.component());
        assertEquals(1, first.iteration());
        assertTrue(Math.abs(m.means()[2][0]) < 1e3, "the re-seeded component moved to the data");
        assertTrue(Double.isFinite(m.summary().lowerBound()));
    }

    /** A constant feature with regCovar 0 is singular: that component's ridge is raised, and the fit finishes. */
    @Test
    void singularCovarianceGetsALargerRidge() {
        Matrix x = SyntheticMixtures.sample(SyntheticMixtures.randomParams(CovarianceType.FULL, 2, 3, 9, 5.0, 0.0), 600, 10);
        double[] data = x.data().clone();
        for (int r = 0; r < x.rows(); r++) {
            data[r * 3 + 2] = 4.0;     // constant column: zero variance in every component
        }
        GaussianMixtureModel m = GaussianMixture.builder().k(2).regCovar(0).backend(BackendType.CPU).maxIter(5)
                .build().fit(Matrix.wrap(data, x.rows(), 3));
        assertTrue(m.summary().interventions().stream().anyMatch(i -> i.kind() == Intervention.Kind.RIDGE_INCREASED),
                "expected a ridge intervention, got " + m.summary().interventions());
        assertTrue(Double.isFinite(m.score(Matrix.wrap(data, x.rows(), 3))));
    }

    /** Values whose squares overflow cannot be fitted: the error names a component and says what to change. */
    @Test
    void hopelessFitNamesTheComponentAndTheRemedy() {
        double[] data = new double[200];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i % 7) * 1e200;
        }
        FitFailedException e = assertThrows(FitFailedException.class, () -> GaussianMixture.builder().k(2)
                .backend(BackendType.CPU).build().fit(Matrix.wrap(data, 100, 2)));
        assertTrue(e.getMessage().contains("component"), e.getMessage());
        assertTrue(e.getMessage().contains("scale"), e.getMessage());
    }

    static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
