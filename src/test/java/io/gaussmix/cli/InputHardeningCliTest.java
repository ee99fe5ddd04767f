package io.gaussmix.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #11 (6, 7, 9, 11, 15, 16) through the command line: bad models and data end with one
 * located error line and a non-zero exit, what is accepted but changed is noted, and no command
 * prints or writes NaN with exit 0.
 */
class InputHardeningCliTest {
    private static final String HEAD = "{\"format\": \"gaussmix-model\", \"version\": 1, ";

    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private Path diag(String name, String weights) throws Exception {
        return file(name, HEAD + "\"covarianceType\": \"diag\", \"weights\": " + weights
                + ", \"means\": [[0, 0], [5, 5]], \"covariances\": [[1, 1], [2, 2]]}");
    }

    /** A failure: exit 1, one line on stderr containing every fragment, no stack trace, no output file. */
    private static String fails(String[] args, String... fragments) {
        CliRunner.Result r = CliRunner.run(args);
        assertNotEquals(0, r.code(), "should fail: " + String.join(" ", args));
        assertEquals(1, r.errLines().size(), "one line on stderr, got: " + r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("gaussmix: error: "), line);
        assertFalse(r.err().contains("\tat ") || line.contains("Exception") || line.contains("internal error"), line);
        for (String f : fragments) {
            assertTrue(line.contains(f), "expected \"" + f + "\" in: " + line);
        }
        return line;
    }

    private static String[] args(Object... parts) {
        String[] a = new String[parts.length];
        for (int i = 0; i < parts.length; i++) {
            a[i] = parts[i].toString();
        }
        return a;
    }

    /** #11.6: an asymmetric covariance names its file, component and entry, in score and --init-model. */
    @Test
    void asymmetricCovarianceIsRefused() throws Exception {
        Path m = file("asym.json", HEAD + "\"covarianceType\": \"full\", \"weights\": [1], \"means\": [[0, 0]],"
                + " \"covariances\": [[[1, 0.9], [-0.9, 1]]]}");
        Path data = file("d.csv", "0,0\n1,1\n2,0\n");
        fails(args("score", m, data), "asym.json", "component 0", "not symmetric", "[0][1] = 0.9", "[1][0] = -0.9");
        fails(args("fit", data, "-k", "1", "--init-model", m, "-o", dir.resolve("out.json")), "asym.json", "not symmetric");
        assertFalse(Files.exists(dir.resolve("out.json")));
        Path tied = file("tied.json", HEAD + "\"covarianceType\": \"tied\", \"weights\": [1], \"means\": [[0, 0]],"
                + " \"covariances\": [[1, 0.5], [0.4, 1]]}");
        fails(args("score", tied, data), "tied covariance", "not symmetric");
    }

    /** #11.7: weights that overflow their sum are renormalised with a note; every command's output is finite. */
    @Test
    void overflowingWeightsAreRenormalisedWithANote() throws Exception {
        Path m = diag("big.json", "[1e308, 1e308]");
        Path fair = diag("fair.json", "[0.5, 0.5]");
        Path data = file("d.csv", "0,0\n5,5\n1,-1\n");
        CliRunner.Result big = CliRunner.run(args("score", m, data));
        CliRunner.Result ref = CliRunner.run(args("score", fair, data));
        assertEquals(0, big.code(), big.err());
        assertEquals(ref.lastOutLine(), big.lastOutLine(), "[1e308, 1e308] is [0.5, 0.5]");
        assertTrue(big.err().contains("gaussmix: note: " + m + ": \"weights\" sum to more than 1.8e308, not 1"), big.err());
        assertFalse(ref.err().contains("note"), ref.err());

        Path labels = dir.resolve("labels.csv");
        assertEquals(0, CliRunner.run(args("predict", m, data, "-o", labels)).code());
        assertEquals(List.of("0", "1", "0"), Files.readAllLines(labels));
        Path proba = dir.resolve("proba.csv");
        assertEquals(0, CliRunner.run(args("predict", m, data, "--proba", "-o", proba)).code());
        Path samples = dir.resolve("s.csv");
        assertEquals(0, CliRunner.run(args("sample", m, "-n", "200", "-o", samples)).code());
        Path completed = dir.resolve("c.csv");
        assertEquals(0, CliRunner.run(args("impute", m, file("gaps.csv", "0,\n,5\n1,-1\n"), "-o", completed)).code());
        for (Path out : List.of(labels, proba, samples, completed)) {
            String text = Files.readString(out);
            assertFalse(text.contains("NaN") || text.contains("Infinity"), out + ": " + text);
        }
        long fromSecond = Files.readAllLines(samples).stream().skip(1).filter(l -> l.endsWith(",1")).count();
        assertTrue(fromSecond > 60 && fromSecond < 140, "both components are drawn: " + fromSecond + " of 200");
    }

    /** #11.7: weights a user wrote as counts are renormalised with a note; negative or all-zero weights are errors. */
    @Test
    void weightsNotSummingToOneAreNotedAndBadWeightsRefused() throws Exception {
        Path data = file("d.csv", "0,0\n5,5\n");
        CliRunner.Result r = CliRunner.run(args("score", diag("counts.json", "[30, 70]"), data));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("\"weights\" sum to 100.0, not 1: divided by their sum (now 0.3, 0.7)"), r.err());
        fails(args("score", diag("neg.json", "[-0.5, 1.5]"), data), "neg.json", "\"weights[0]\" is -0.5", ">= 0");
        fails(args("score", diag("zero.json", "[0, 0]"), data), "zero.json", "all 0");
        fails(args("score", diag("inf.json", "[1e309, 1]"), data), "inf.json", "weights[0]", "not a finite number");
    }

    /** #11.9: a value whose square overflows is refused with its row and column by score, predict and impute. */
    @Test
    void hugeCellIsRefusedWithRowAndColumn() throws Exception {
        Path m = diag("m.json", "[0.5, 0.5]");
        Path data = file("huge.csv", "1,2\n1e308,1e308\n3,4\n");
        fails(args("score", m, data), "row 1, column 0", "1.0E308", "too large");
        fails(args("predict", m, data, "-o", dir.resolve("p.csv")), "row 1, column 0", "too large");
        fails(args("predict", m, data, "--proba", "-o", dir.resolve("p.csv")), "row 1, column 0", "too large");
        fails(args("impute", m, data, "-o", dir.resolve("c.csv")), "row 1, column 0", "too large");
        assertFalse(Files.exists(dir.resolve("p.csv")) || Files.exists(dir.resolve("c.csv")));
    }

    /** #11.7/#11.9: a row too far from every component for float64 is an error, never NaN with exit 0. */
    @Test
    void unrepresentableLogLikelihoodIsAnError() throws Exception {
        Path m = file("narrow.json", HEAD + "\"covarianceType\": \"spherical\", \"weights\": [1], \"means\": [[0]],"
                + " \"covariances\": [1e-300]}");
        Path data = file("far.csv", "0\n1e10\n");
        fails(args("score", m, data), "far.csv", "the log-likelihood of data row 2 (1-based) is ");
        fails(args("predict", m, data, "-o", dir.resolve("labels.csv")), "far.csv", "data row 2");
        assertFalse(Files.exists(dir.resolve("labels.csv")));
        Path proba = dir.resolve("p.csv");
        fails(args("predict", m, data, "--proba", "-o", proba), "p.csv: not written", "row 2, column 1", "NaN");
        assertFalse(Files.exists(proba));
    }

    /** #11.11: the header rule, its note, and the located errors for what is not accepted. */
    @Test
    void csvReadingIsStrictAndSaysWhatItFound() throws Exception {
        Path m = diag("m.json", "[0.5, 0.5]");
        CliRunner.Result withHeader = CliRunner.run(args("score", m, file("h.csv", "x,y\n0,0\n5,5\n")));
        assertEquals(0, withHeader.code(), withHeader.err());
        assertTrue(withHeader.err().contains("gaussmix: note: ") && withHeader.err().contains("h.csv: the first line is a"
                + " header (2 column names: x, y), not data"), withHeader.err());
        fails(args("score", m, file("typo.csv", "0,O\n5,5\n")), "typo.csv: line 1, column 2: \"O\" is not a number",
                "the first line is read as data");
        fails(args("score", m, file("hex.csv", "0x1p3,1\n")), "line 1, column 1", "hexadecimal");
        fails(args("score", m, file("us.csv", "1_000,1\n")), "line 1, column 1", "digit separators");
        fails(args("score", m, file("nul.csv", "1,2\n3,\u00004\n")), "line 2, column 2", "U+0000", "control character");
        fails(args("score", m, file("bell.csv", "1,2\n3,4\u0007\n")), "line 2, column 2", "U+0007");
        fails(args("score", m, file("q.csv", "\"1\",\"2\"\n")), "line 1, column 1", "quoted cells are not supported");
        fails(args("score", m, file("semi.csv", "1;2\n3;4\n")), "line 1", "';'-separated", "comma-separated values only");
        fails(args("score", m, file("tab.csv", "1\t2\n3\t4\n")), "line 1", "tab-separated");
        fails(args("score", m, file("inf.csv", "1,2\nInfinity,1\n")), "line 2, column 1", "not a finite number");
    }

    /** #11.11: model JSON holds exactly one object with unique keys; syntax errors are located, without Jackson's internals. */
    @Test
    void modelJsonIsStrict() throws Exception {
        Path data = file("d.csv", "0,0\n");
        String body = "\"covarianceType\": \"diag\", \"weights\": [0.5, 0.5], \"means\": [[0, 0], [5, 5]],"
                + " \"covariances\": [[1, 1], [2, 2]]}";
        fails(args("score", file("trail.json", HEAD + body + " {}"), data), "trail.json",
                "unexpected text after the model's closing '}'", "line 1");
        fails(args("score", file("garbage.json", HEAD + body + "\nxyz"), data), "garbage.json", "unexpected text", "line 2, column");
        fails(args("score", file("dup.json", HEAD + "\"weights\": [1, 0], " + body), data), "dup.json",
                "duplicate key \"weights\"", "line 1");
        String syntax = fails(args("score", file("syntax.json", HEAD + "\n  \"covarianceType\" \"diag\"}"), data),
                "syntax.json", "not a valid JSON model file", "line 2, column");
        assertFalse(syntax.contains("StreamReadFeature") || syntax.contains("Source:") || syntax.contains("`"), syntax);
    }

    /** #11.16 and #11.15: a sample larger than an array, or than the heap, is refused before any work. */
    @Test
    void oversizedSampleIsRefusedUpFront() throws Exception {
        Path m = diag("m.json", "[0.5, 0.5]");
        Path out = dir.resolve("s.csv");
        CliRunner.Result r = CliRunner.run(args("sample", m, "-n", "2147483647", "-o", out));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("-n 2147483647 x 2 columns = 4.3e+09 values exceeds"), r.err());
        // 1e9 rows x 2 columns: 16 GB of doubles, more than the test JVM's heap (-Xmx4g).
        fails(args("sample", m, "-n", "1000000000", "-o", out), "sample -n 1000000000", "of memory", "-Xmx");
        assertFalse(Files.exists(out));
    }
}
