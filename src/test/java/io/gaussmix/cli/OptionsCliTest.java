package io.gaussmix.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options agree across commands, are typed, and their errors and warnings speak the CLI's names. */
class OptionsCliTest {
    @TempDir
    Path dir;

    private static CliRunner.Result usageError(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
        assertEquals(1, r.errLines().size(), r.err());
        return r;
    }

    @Test
    void builderErrorsNameTheOptions() throws Exception {
        Path data = CliRunner.blobs(dir, "d.csv", 60, 1);
        String out = dir.resolve("m.json").toString();
        for (String[] bad : new String[][] {{"--max-iter", "-1"}, {"--n-init", "0"}, {"--reg-covar", "-1"}, {"--tol", "-1"}}) {
            CliRunner.Result r = usageError("fit", data.toString(), "-k", "2", bad[0], bad[1], "-o", out);
            assertTrue(r.err().contains(bad[0]), r.err());
            assertFalse(r.err().matches("(?s).*\\b(maxIter|nInit|regCovar)\\b.*"), "no API names: " + r.err());
        }
        CliRunner.Result r = usageError("select", data.toString(), "--k-range", "1..2", "--n-init", "0");
        assertTrue(r.err().contains("--n-init"), r.err());
        assertEquals("--max-iter must be >= 1", CliTerms.of("maxIter must be >= 1"));
        assertEquals("raise --reg-covar or use fewer --n-init", CliTerms.of("raise regCovar or use fewer nInit"));
        // A typed setting error is named through setting(), not by rewriting words: "tol" is no API term.
        assertEquals("--tol must be finite and >= 0, got -1.0",
                CliTerms.of(new io.gaussmix.InvalidSettingException("tol", "must be finite and >= 0", -1.0)));
        assertEquals("-k must be >= 1, got 0", CliTerms.of(new io.gaussmix.InvalidSettingException("k", "must be >= 1", 0)));
    }

    @Test
    void quietKeepsWarnings() throws Exception {
        Path data = CliRunner.blobs(dir, "d.csv", 300, 2);
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "-k", "3", "--max-iter", "1", "--quiet", "-o",
                dir.resolve("m.json").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("did not converge"), "the warning survives --quiet: " + r.err());
        assertFalse(r.err().contains("iter    1"), "no progress lines: " + r.err());
        assertFalse(r.err().contains("backend: "), "no progress notes: " + r.err());
        assertFalse(r.err().matches("(?s).*\\bmaxIter\\b.*"), r.err());
    }

    @Test
    void deviceOptionsWithTheCpuBackendAreRefused() throws Exception {
        CliRunner.Result r = usageError("fit", "--demo", "--backend", "cpu", "--device", "99");
        assertTrue(r.err().contains("--device 99"), r.err());
        r = usageError("select", CliRunner.blobs(dir, "d.csv", 60, 1).toString(), "--k-range", "1..2",
                "--backend", "cpu", "--device", "1");
        assertTrue(r.err().contains("--device 1"), r.err());
        // What the CPU does anyway is accepted.
        CliRunner.Result ok = CliRunner.run("fit", "--demo", "--backend", "cpu", "--precision", "float64", "--device", "0",
                "--quiet");
        assertEquals(0, ok.code(), ok.err());
    }

    @Test
    void typedOptionsAcceptTheirValuesInAnyCase() throws Exception {
        Path data = CliRunner.blobs(dir, "d.csv", 90, 3);
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "-k", "2", "--missing", "EM", "--quiet", "-o",
                dir.resolve("m.json").toString());
        assertEquals(0, r.code(), r.err());
        usageError("fit", data.toString(), "-k", "2", "--missing", "drop", "-o", dir.resolve("m.json").toString());
        CliRunner.Result aic = CliRunner.run("select", data.toString(), "--k-range", "1..2", "--criterion", "aic");
        assertEquals(0, aic.code(), aic.err());
        assertTrue(aic.out().contains("best by AIC"), aic.out());
        usageError("select", data.toString(), "--k-range", "1..2", "--criterion", "likelihood");
    }

    @Test
    void benchSharesTheFitOptionNames() {
        CliRunner.Result r = CliRunner.run("bench", "--backend", "cpu", "--covariance-type", "diag", "--precision",
                "float64", "--sizes", "300x3x2", "--repeats", "1", "--warmup", "0", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("diag covariance"), r.out());
        assertEquals("", r.err(), "--quiet: no progress bar");
        usageError("bench", "--backend", "gpu");
        usageError("bench", "--backend", "auto");
        usageError("bench", "--covariance-type", "round");
    }

    @Test
    void aMissingValuePointsToMissingEm() throws Exception {
        Path data = dir.resolve("nan.csv");
        Files.writeString(data, "1,2\n3,NA\n5,6\n7,8\n");
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "-k", "2", "-o", dir.resolve("m.json").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("--missing em"), r.err());
        // Any other bad cell gets no such hint.
        Path text = dir.resolve("text.csv");
        Files.writeString(text, "1,2\n3,abc\n5,6\n7,8\n");
        r = CliRunner.run("fit", text.toString(), "-k", "2", "-o", dir.resolve("m.json").toString());
        assertEquals(1, r.code(), r.err());
        assertFalse(r.err().contains("--missing em"), r.err());
    }

    @Test
    void everyCommandIsListed() {
        CliRunner.Result r = CliRunner.run("--help");
        assertEquals(0, r.code());
        for (String cmd : new String[] {"fit", "score", "predict", "sample", "select", "impute", "devices", "bench"}) {
            assertTrue(r.out().contains("  " + cmd), cmd + " in: " + r.out());
            CliRunner.Result help = CliRunner.run(cmd, "--help");
            assertEquals(0, help.code(), cmd);
            assertTrue(help.out().contains("Usage: gaussmix " + cmd), help.out());
        }
        CliRunner.Result none = CliRunner.run();
        assertTrue(none.err().contains("impute") && none.err().contains("bench"), none.err());
    }
}
