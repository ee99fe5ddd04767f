package io.gaussmix.cli;

import io.gaussmix.BackendType;
import io.gaussmix.BayesianFit;
import io.gaussmix.BayesianPriors;
import io.gaussmix.GaussianMixture;
import io.gaussmix.WeightPrior;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.DataFiles;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.ModelJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fit --bayesian}: the API's variational fit, saved as a model; the summary names the prior. */
class BayesianCliTest {
    @TempDir
    Path dir;

    @Test
    void fitBayesianSavesTheApisModel() throws Exception {
        Path data = CliRunner.blobs(dir, "blobs.csv", 300, 6);
        Path model = dir.resolve("model.json");
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "-k", "6", "--bayesian", "dirichlet-process",
                "--max-iter", "300", "--backend", "cpu", "--quiet", "-o", model.toString());
        assertEquals(0, r.code(), r.err());
        Matrix x = DataFiles.read(data, MissingValues.REJECT);
        BayesianFit api = GaussianMixture.builder().k(6).maxIter(300).backend(BackendType.CPU).build()
                .fitBayesian(x, null, BayesianPriors.defaults(WeightPrior.DIRICHLET_PROCESS));
        assertArrayEquals(api.model().weights(), ModelJson.read(model).weights(), 0.0);
        assertTrue(r.out().contains("bayesian:    dirichlet-process prior; " + api.effectiveComponents()
                + " effective components"), r.out());
        assertEquals(3, api.effectiveComponents(), "three blobs");
        CliRunner.Result bad = CliRunner.run("fit", data.toString(), "-k", "2", "--bayesian", "gamma", "-o",
                model.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown weight prior 'gamma'"), bad.err());
    }
}
