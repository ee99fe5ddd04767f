package io.gaussmix.cli;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.DataFiles;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.ModelJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code fit --init-labels}: the API's start from labels, and one-line errors naming the file or option. */
class InitLabelsCliTest {
    @TempDir
    Path dir;

    private Path labelsFile(String name, List<String> lines) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, lines);
        return p;
    }

    /** The blobs are written round-robin over three centres: row i belongs to cluster i % 3. */
    private static List<String> roundRobin(int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(Integer.toString(i % 3));
        }
        return lines;
    }

    @Test
    void fitFromLabelsEqualsTheApiFit() throws Exception {
        Path data = CliRunner.blobs(dir, "blobs.csv", 150, 4);
        Path labels = labelsFile("labels.csv", roundRobin(150));
        Path model = dir.resolve("model.json");
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "-k", "3", "--covariance-type", "diag",
                "--init-labels", labels.toString(), "--backend", "cpu", "--quiet", "-o", model.toString());
        assertEquals(0, r.code(), r.err());
        Matrix x = DataFiles.read(data, MissingValues.REJECT);
        int[] l = new int[150];
        for (int i = 0; i < l.length; i++) {
            l[i] = i % 3;
        }
        GaussianMixtureModel api = GaussianMixture.builder().k(3).covarianceType(CovarianceType.DIAG).initLabels(l)
                .backend(BackendType.CPU).build().fit(x);
        GaussianMixtureModel cli = ModelJson.read(model);
        assertArrayEquals(api.weights(), cli.weights(), 0.0);
        assertArrayEquals(api.covariances(), cli.covariances(), 0.0);
        assertEquals(api.summary().iterations(), cli.summary().iterations());
    }

    @Test
    void badLabelFilesAreOneLineErrors() throws Exception {
        Path data = CliRunner.blobs(dir, "blobs.csv", 6, 5);
        String out = dir.resolve("m.json").toString();
        Path fraction = labelsFile("fraction.csv", List.of("0", "1", "2", "0", "1.5", "2"));
        assertError(1, fraction + ": row 4 (0-based) holds 1.5, not an integer label",
                CliRunner.run("fit", data.toString(), "-k", "3", "--init-labels", fraction.toString(), "-o", out));
        Path few = labelsFile("few.csv", List.of("0", "1", "2"));
        assertError(1, few + ": 3 labels for 6 data rows",
                CliRunner.run("fit", data.toString(), "-k", "3", "--init-labels", few.toString(), "-o", out));
        Path range = labelsFile("range.csv", List.of("0", "1", "2", "0", "3", "2"));
        assertError(1, "--init-labels: row 4 (0-based) has label 3, outside 0..2 (k = 3)",
                CliRunner.run("fit", data.toString(), "-k", "3", "--init-labels", range.toString(), "-o", out));
        Path ok = labelsFile("ok.csv", roundRobin(6));
        assertError(2, "give either --init-labels or --init-model, not both (see 'gaussmix fit --help')",
                CliRunner.run("fit", data.toString(), "--init-labels", ok.toString(), "--init-model", ok.toString(),
                        "-o", out));
    }

    private static void assertError(int code, String message, CliRunner.Result r) {
        assertEquals(code, r.code(), r.err());
        assertEquals(List.of("gaussmix: error: " + message), r.errLines().subList(0, 1), r.err());
    }
}
