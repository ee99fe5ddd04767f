package io.gaussmix.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every user mistake gives a non-zero exit and exactly one line on stderr, without a stack trace. */
class ErrorsTest {
    @TempDir
    Path dir;

    private static CliRunner.Result fails(int expectedCode, String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertNotEquals(0, r.code(), "should fail: " + String.join(" ", args));
        if (expectedCode > 0) {
            assertEquals(expectedCode, r.code(), r.err());
        }
        assertEquals(1, r.errLines().size(), "one line on stderr, got: " + r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("gaussmix: error: "), line);
        assertFalse(line.contains("Exception"), line);
        assertFalse(r.err().contains("at io."), r.err());
        return r;
    }

    private Path model2d() throws Exception {
        Path m = dir.resolve("m2.json");
        Files.writeString(m, "{\"format\": \"gaussmix-model\", \"version\": 1, \"covarianceType\": \"diag\","
                + " \"weights\": [0.5, 0.5], \"means\": [[0, 0], [5, 5]], \"covariances\": [[1, 1], [2, 2]]}");
        return m;
    }

    @Test
    void missingDataFile() {
        CliRunner.Result r = fails(1, "fit", dir.resolve("nope.csv").toString(), "-k", "2", "-o",
                dir.resolve("m.json").toString());
        assertTrue(r.err().contains("nope.csv"), r.err());
    }

    @Test
    void missingModelFile() throws Exception {
        Path data = CliRunner.blobs(dir, "d.csv", 30, 1);
        CliRunner.Result r = fails(1, "score", dir.resolve("absent.json").toString(), data.toString());
        assertTrue(r.err().contains("absent.json"), r.err());
    }

    @Test
    void malformedJson() throws Exception {
        Path data = CliRunner.blobs(dir, "d.csv", 30, 1);
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"format\": \"gaussmix-model\", \n  \"version\": ");
        CliRunner.Result r = fails(1, "score", bad.toString(), data.toString());
        assertTrue(r.err().contains("bad.json"), r.err());
    }

    @Test
    void wrongVersion() throws Exception {
        Path data = CliRunner.blobs(dir, "d.csv", 30, 1);
        Path v = dir.resolve("v9.json");
        Files.writeString(v, Files.readString(model2d()).replace("\"version\": 1", "\"version\": 9"));
        CliRunner.Result r = fails(1, "predict", v.toString(), data.toString(), "-o", dir.resolve("o.csv").toString());
        assertTrue(r.err().contains("version 9") && r.err().contains("version 1"), r.err());
    }

    @Test
    void dimensionMismatch() throws Exception {
        Path data = dir.resolve("d3.csv");
        Files.writeString(data, "1,2,3\n4,5,6\n7,8,9\n");
        CliRunner.Result r = fails(1, "score", model2d().toString(), data.toString());
        assertTrue(r.err().contains("3 columns") && r.err().contains("2 dimensions"), r.err());
    }

    @Test
    void kBelowOne() throws Exception {
        Path data = CliRunner.blobs(dir, "d.csv", 30, 1);
        fails(2, "fit", data.toString(), "-k", "0", "-o", dir.resolve("m.json").toString());
    }

    @Test
    void fewerRowsThanK() throws Exception {
        Path data = dir.resolve("small.csv");
        Files.writeString(data, "1,2\n3,4\n5,6\n");
        CliRunner.Result r = fails(1, "fit", data.toString(), "-k", "5", "-o", dir.resolve("m.json").toString());
        assertTrue(r.err().contains("fewer than k"), r.err());
    }

    @Test
    void nanInData() throws Exception {
        Path data = dir.resolve("nan.csv");
        Files.writeString(data, "1,2\n3,NaN\n5,6\n7,8\n");
        CliRunner.Result r = fails(1, "fit", data.toString(), "-k", "2", "-o", dir.resolve("m.json").toString());
        assertTrue(r.err().contains("nan.csv"), r.err());
    }

    @Test
    void usageErrors() throws Exception {
        Path data = CliRunner.blobs(dir, "d.csv", 30, 1);
        fails(2, "fit", data.toString(), "-k", "2");
        fails(2, "fit", data.toString(), "-o", "m.json");
        fails(2, "fit", data.toString(), "-k", "two", "-o", "m.json");
        fails(2, "fit", data.toString(), "-k", "2", "--covariance-type", "round", "-o", "m.json");
        fails(2, "fit", data.toString(), "-k", "2", "--tol", "-1", "-o", "m.json");
        fails(2, "select", data.toString(), "--k-range", "4..2");
        fails(2, "frobnicate");
        fails(2);
    }

    @Test
    void unwritableOutput() throws Exception {
        Path data = CliRunner.blobs(dir, "d.csv", 30, 1);
        fails(1, "sample", model2d().toString(), "-n", "5", "-o", dir.resolve("no/such/dir/s.csv").toString());
        fails(1, "fit", data.toString(), "-k", "2", "--quiet", "-o", dir.resolve("no/such/dir/m.json").toString());
    }

    @Test
    void badWeightsFile() throws Exception {
        Path data = CliRunner.blobs(dir, "d.csv", 30, 1);
        Path w = dir.resolve("w.csv");
        Files.writeString(w, "1\n2\n");
        CliRunner.Result r = fails(1, "fit", data.toString(), "-k", "2", "--weights", w.toString(), "-o",
                dir.resolve("m.json").toString());
        assertTrue(r.err().contains("2 weights for 30"), r.err());
    }

    @Test
    void unavailableBackend() throws Exception {
        Path data = CliRunner.blobs(dir, "d.csv", 30, 1);
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "-k", "2", "--backend", "cuda", "--quiet", "-o",
                dir.resolve("m.json").toString());
        if (r.code() != 0) {
            assertEquals(1, r.errLines().size(), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }
}
