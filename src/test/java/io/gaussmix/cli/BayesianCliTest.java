package io.gaussmix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        // The variational parameters travel in the model file, as the API computed them.
        JsonNode json = new ObjectMapper().readTree(model.toFile());
        assertEquals("dirichlet-process", json.get("weightConcentrationPriorType").asText());
        assertEquals(api.weightConcentration().length, json.get("weightConcentration").size());
        for (int row = 0; row < api.weightConcentration().length; row++) {
            assertArrayEquals(api.weightConcentration()[row], doubles(json.get("weightConcentration").get(row)), 0.0);
        }
        assertArrayEquals(api.meanPrecision(), doubles(json.get("meanPrecision")), 0.0);
        assertArrayEquals(api.degreesOfFreedom(), doubles(json.get("degreesOfFreedom")), 0.0);
        assertEquals(api.effectiveComponents(), json.get("effectiveComponents").asInt());
        // A plain EM model file has none of them.
        Path plain = dir.resolve("plain.json");
        assertEquals(0, CliRunner.run("fit", data.toString(), "-k", "3", "--quiet", "-o", plain.toString()).code());
        assertTrue(new ObjectMapper().readTree(plain.toFile()).get("meanPrecision") == null);
        CliRunner.Result bad = CliRunner.run("fit", data.toString(), "-k", "2", "--bayesian", "gamma", "-o",
                model.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown weight prior 'gamma'"), bad.err());
    }

    private static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }
}
