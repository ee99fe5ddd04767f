package io.gaussmix.cli;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.CsvReader;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.ModelJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fit --missing em and impute on a CSV with empty cells and NA tokens. */
class MissingValuesCliTest {
    @TempDir
    Path dir;

    /** The blobs file with some cells emptied or replaced by NA. */
    Path withHoles() throws Exception {
        Path full = CliRunner.blobs(dir, "full.csv", 600, 3);
        List<String> lines = Files.readAllLines(full);
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            if (i % 7 == 0) {
                lines.set(i, "," + cells[1]);
            } else if (i % 11 == 0) {
                lines.set(i, cells[0] + ",NA");
            }
        }
        Path p = dir.resolve("holes.csv");
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void missingValuesAreRejectedByDefaultAndFittedWithEm() throws Exception {
        Path data = withHoles();
        Path model = dir.resolve("m.json");
        CliRunner.Result rejected = CliRunner.run("fit", data.toString(), "-k", "3", "-o", model.toString(), "--quiet");
        assertEquals(1, rejected.code());
        assertTrue(rejected.err().contains("missing value") && rejected.err().contains("line 8")
                && rejected.err().contains("--missing em"), rejected.err());

        CliRunner.Result ok = CliRunner.run("fit", data.toString(), "-k", "3", "--missing", "em", "-o", model.toString(),
                "--quiet");
        assertEquals(0, ok.code(), ok.err());
        GaussianMixtureModel m = ModelJson.read(model);
        assertEquals(3, m.components());
        assertTrue(m.summary().backend().contains("missing-data EM"), m.summary().backend());

        Path out = dir.resolve("completed.csv");
        Path proba = dir.resolve("proba.csv");
        CliRunner.Result imputed = CliRunner.run("impute", model.toString(), data.toString(), "-o", out.toString(),
                "--proba-out", proba.toString());
        assertEquals(0, imputed.code(), imputed.err());
        Matrix holes = CsvReader.read(data, MissingValues.ALLOW_NAN);
        Matrix completed = CsvReader.read(out, MissingValues.REJECT);
        assertEquals(holes.rows(), completed.rows());
        for (int i = 0; i < holes.data().length; i++) {
            double v = holes.data()[i];
            if (!Double.isNaN(v)) {
                assertEquals(v, completed.data()[i], 0.0, "observed value changed at " + i);
            }
        }
        assertEquals(m.impute(holes).data().length, completed.data().length);
        Matrix p = CsvReader.read(proba, MissingValues.REJECT);
        assertEquals(3, p.cols());
        assertFalse(Files.readString(out).contains("NaN"));
    }
}
