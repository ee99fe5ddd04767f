package io.gaussmix.cli;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.ModelSelection;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.DataFiles;
import io.gaussmix.io.MissingValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code select --criterion icl}: the ICL column and the choice are the API's. */
class SelectIclCliTest {
    @TempDir
    Path dir;

    @Test
    void iclColumnAndChoiceAreTheApis() throws Exception {
        Path data = CliRunner.blobs(dir, "blobs.csv", 150, 8);
        CliRunner.Result r = CliRunner.run("select", data.toString(), "--k-range", "1..3", "--covariance-types", "diag",
                "--criterion", "icl", "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        Matrix x = DataFiles.read(data, MissingValues.REJECT);
        ModelSelection.Result api = ModelSelection.select(x, GaussianMixture.builder().backend(BackendType.CPU).build(),
                1, 3, List.of(CovarianceType.DIAG), ModelSelection.Criterion.ICL);
        List<String> rows = r.out().lines().filter(l -> l.matches("^[* ] +\\d+ .*")).toList();
        assertEquals(3, rows.size(), r.out());
        assertTrue(r.out().lines().findFirst().orElse("").contains("ICL"), r.out());
        for (int i = 0; i < rows.size(); i++) {
            String[] cells = rows.get(i).substring(1).trim().split(" +");
            assertEquals(api.candidates().get(i).icl(), Double.parseDouble(cells[4]), 5e-5, rows.get(i));
            assertEquals(api.candidates().get(i) == api.best(), rows.get(i).startsWith("*"), rows.get(i));
        }
        assertTrue(r.out().contains("best by ICL: k = " + api.best().k()), r.out());
    }
}
