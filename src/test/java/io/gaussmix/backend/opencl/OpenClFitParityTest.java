package io.gaussmix.backend.opencl;

import io.gaussmix.BackendFitParityTest;
import io.gaussmix.BackendType;
import io.gaussmix.backend.Precision;

/**
 * Whole fits on OpenCL in float32 against the float64 CPU fit. Each pass's statistics carry a relative
 * error of a few float32 ulps (~1e-7, measured worst 2.6e-7 in the contract suite); 15 EM iterations
 * from the same start propagate it without amplification on these well-separated datasets, so the
 * score must agree to 1e-5 relative and the parameters to 1e-4 of their scale (the bounds).
 */
class OpenClFitParityTest extends BackendFitParityTest {
    @Override
    protected BackendType backend() {
        return BackendType.OPENCL;
    }

    @Override
    protected Precision precision() {
        return Precision.FLOAT32;
    }

    @Override
    protected void requireBackend() {
        OpenClAssumptions.requireOpenCl();
    }

    @Override
    protected double scoreTolerance() {
        return 1e-5;
    }

    @Override
    protected double parameterTolerance() {
        return 1e-4;
    }

    /**
     * Near-singular components (a feature constant within one cluster, variance = regCovar) would make
     * float32 miss the float64 fit by far more than the tolerance: the fit must say so and move to
     * float64, and then agree with the CPU to float64 accuracy.
     */
    @org.junit.jupiter.api.Test
    void illConditionedFitIsPromotedToFloat64() {
        java.util.Random r = new java.util.Random(3);
        int n = 400;
        double[] v = new double[n * 3];
        for (int i = 0; i < n; i++) {
            boolean first = i % 2 == 0;
            v[i * 3] = (first ? 0 : 8) + r.nextGaussian();
            v[i * 3 + 1] = (first ? 0 : 5) + r.nextGaussian();
            v[i * 3 + 2] = first ? 16.0 : 16.0 * r.nextDouble();   // constant in cluster 0
        }
        io.gaussmix.data.Matrix x = io.gaussmix.data.Matrix.wrap(v, n, 3);
        java.util.List<String> notes = new java.util.ArrayList<>();
        io.gaussmix.GaussianMixture.Builder b = io.gaussmix.GaussianMixture.builder().k(2).maxIter(10).tol(0);
        io.gaussmix.GaussianMixtureModel cpu = b.backend(BackendType.CPU).build().fit(x);
        io.gaussmix.GaussianMixtureModel dev = b.backend(BackendType.OPENCL).precision(Precision.FLOAT32)
                .listener(new io.gaussmix.FitListener() {
                    @Override
                    public void onNote(String message) {
                        notes.add(message);
                    }
                }).build().fit(x);
        org.junit.jupiter.api.Assertions.assertTrue(notes.stream().anyMatch(s -> s.contains("continuing in float64")),
                "no promotion note in " + notes);
        org.junit.jupiter.api.Assertions.assertTrue(dev.summary().backend().contains("promoted from float32"));
        org.junit.jupiter.api.Assertions.assertEquals(cpu.score(x), dev.score(x), 1e-9 * Math.abs(cpu.score(x)));
    }
}
