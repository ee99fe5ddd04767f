package io.gaussmix.backend.opencl;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.StandardErrors;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.Precision;
import io.gaussmix.backend.RowInformationContractTest;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.RowInformation;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenCL rows term of the observed information ({@code information.cl}) against the host path, resident
 * and streamed; a float32 backend takes the host path itself; standard errors through the OpenCL backend
 * against the CPU's. Skipped without an OpenCL device with fp64.
 */
class OpenClRowInformationTest extends RowInformationContractTest {
    @Override
    protected Backend openBackend() {
        return OpenClBackend.open(OpenClAssumptions.requireFp64(), Precision.FLOAT64, note -> { });
    }

    @Test
    void streamedRowsMatchTheHostPath() {
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, 3, 5, 41, 1.5, 0.0);
        Matrix x = SyntheticMixtures.sample(p, 5000, 42);
        double[] w = positiveWeights(x.rows(), 43);
        List<String> notes = new ArrayList<>();
        // 700 rows' bytes: chunks of a few hundred rows, so blocks restart at every chunk
        try (OpenClBackend streamed = new OpenClBackend(OpenClAssumptions.requireFp64(), Precision.FLOAT64,
                700L * 6 * 8, true, notes::add)) {
            RowInformation device = onBackend(streamed, p, x, w);
            assertTrue(notes.stream().anyMatch(n -> n.contains("chunk")), "not streamed: " + notes);
            assertClose("streamed", p, x, w, RowInformation.onHost(p, x, w), device);
        }
    }

    @Test
    void aFloat32BackendTakesTheHostPath() {
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.DIAG, 2, 3, 51, 1.5, 0.0);
        Matrix x = SyntheticMixtures.sample(p, 400, 52);
        try (OpenClBackend f32 = OpenClBackend.open(OpenClAssumptions.requireOpenCl().device(0), Precision.FLOAT32,
                note -> { })) {
            RowInformation device = onBackend(f32, p, x, null);
            RowInformation host = RowInformation.onHost(p, x, null);
            assertArrayEquals(host.outer(), device.outer());
            assertArrayEquals(host.score(), device.score());
        }
    }

    /**
     * The standard errors through OpenCL equal the CPU's to 1e-10 relative: J's entries agree to about 1e-13 of
     * their scale (the rows term to the tolerance above, C from statistics that agree to 1e-15), and inverting
     * J, of condition number below 1e3 on these small separated fits, multiplies that by at most the condition
     * number.
     */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void standardErrorsOnOpenClEqualTheCpus(CovarianceType type) {
        OpenClAssumptions.requireFp64();
        MixtureParams truth = SyntheticMixtures.randomParams(type, 3, 3, 61 + type.ordinal(), 4.0, 0.0);
        Matrix x = SyntheticMixtures.sample(truth, 2000, 62);
        double[] w = new double[x.rows()];
        Random r = new Random(63);
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.5 + r.nextDouble();
        }
        GaussianMixtureModel model = GaussianMixture.builder().k(3).covarianceType(type).seed(7).tol(1e-10)
                .maxIter(500).build().fit(x, w);
        StandardErrors cpu = model.standardErrors(x, w);
        StandardErrors cl = model.standardErrors(x, w, BackendType.OPENCL, 0);
        assertRelative(cpu.weights(), cl.weights(), type + " weights");
        for (int c = 0; c < 3; c++) {
            assertRelative(cpu.means()[c], cl.means()[c], type + " means " + c);
        }
        assertRelative(cpu.covariances(), cl.covariances(), type + " covariances");
    }

    private static void assertRelative(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]) / Math.abs(expected[i]);
            assertTrue(err <= 1e-10, what + "[" + i + "]: " + actual[i] + " vs CPU " + expected[i] + " (" + err + ")");
        }
    }
}
