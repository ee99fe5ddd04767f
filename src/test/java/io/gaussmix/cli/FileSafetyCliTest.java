package io.gaussmix.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #11's file-safety cases through the command line: no input is overwritten, outputs are checked first. */
class FileSafetyCliTest {
    @TempDir
    Path dir;

    private Path data() throws Exception {
        return CliRunner.blobs(dir, "in.csv", 120, 5);
    }

    private Path model(Path data) {
        Path m = dir.resolve("m.json");
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "-k", "3", "--quiet", "-o", m.toString());
        assertEquals(0, r.code(), r.err());
        return m;
    }

    /** Runs a command that must be refused with one error line, leaving every given file byte for byte as it was. */
    private CliRunner.Result refused(int code, List<Path> untouched, String... args) throws Exception {
        byte[][] before = new byte[untouched.size()][];
        for (int i = 0; i < before.length; i++) {
            before[i] = Files.exists(untouched.get(i)) ? Files.readAllBytes(untouched.get(i)) : null;
        }
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(code, r.code(), String.join(" ", args) + ": " + r.err());
        assertEquals(1, r.errLines().size(), "one error line and no progress: " + r.err());
        assertTrue(r.err().startsWith("gaussmix: error: "), r.err());
        for (int i = 0; i < before.length; i++) {
            Path p = untouched.get(i);
            if (before[i] == null) {
                assertFalse(Files.exists(p), p + " must not be created");
            } else {
                assertArrayEquals(before[i], Files.readAllBytes(p), p + " must be unchanged");
            }
        }
        return r;
    }

    @Test
    void outputEqualToAnInputIsRefusedBeforeAnyWork() throws Exception {
        Path in = data();
        Path m = model(in);
        List<Path> both = List.of(in, m);
        CliRunner.Result r = refused(2, both, "fit", in.toString(), "-k", "2", "-o", in.toString());
        assertTrue(r.err().contains("same file as INPUT"), r.err());
        refused(2, both, "predict", m.toString(), in.toString(), "-o", in.toString());
        r = refused(2, both, "predict", m.toString(), in.toString(), "-o", m.toString());
        assertTrue(r.err().contains("same file as MODEL.json"), r.err());
        refused(2, both, "predict", m.toString(), in.toString(), "--proba", "-o", in.toString());
        refused(2, both, "impute", m.toString(), in.toString(), "-o", dir.resolve("ok.csv").toString(),
                "--proba-out", in.toString());
        refused(2, both, "impute", m.toString(), in.toString(), "-o", m.toString());
        refused(2, both, "sample", m.toString(), "-n", "5", "-o", m.toString());
        refused(2, both, "select", in.toString(), "--k-range", "1..2", "-o", in.toString());
        refused(2, both, "select", in.toString(), "--k-range", "1..2", "--plot", in.toString());
        refused(2, both, "fit", in.toString(), "-k", "2", "-o", dir.resolve("new.json").toString(), "--plot", in.toString());
        refused(2, both, "fit", in.toString(), "--init-model", m.toString(), "-o", m.toString());
        r = refused(2, both, "fit", in.toString(), "-k", "2", "--weights", in.toString(), "-o", in.toString());
        assertTrue(r.err().contains("-o"), r.err());
    }

    @Test
    void sameFileIsFoundThroughLinksAndDotDot() throws Exception {
        Path in = data();
        Path sym = dir.resolve("alias.csv");
        Files.createSymbolicLink(sym, in.getFileName());
        Path hard = dir.resolve("hard.csv");
        Files.createLink(hard, in);
        Files.createDirectory(dir.resolve("sub"));
        List<Path> keep = List.of(in);
        refused(2, keep, "fit", in.toString(), "-k", "2", "-o", sym.toString());
        refused(2, keep, "fit", in.toString(), "-k", "2", "-o", hard.toString());
        refused(2, keep, "fit", sym.toString(), "-k", "2", "-o", dir.resolve("sub/../in.csv").toString());
        assertTrue(Files.isSymbolicLink(sym));
    }

    @Test
    void twoOutputsOnOneFileAreRefused() throws Exception {
        Path in = data();
        Path m = model(in);
        Path out = dir.resolve("out.csv");
        CliRunner.Result r = refused(2, List.of(out), "impute", m.toString(), in.toString(), "-o", out.toString(),
                "--proba-out", out.toString());
        assertTrue(r.err().contains("are the same file"), r.err());
        // --plot p.png also writes p-lowerbound.png: -o may not be that file either.
        Path second = dir.resolve("p-lowerbound.png");
        refused(2, List.of(second), "fit", in.toString(), "-k", "2", "-o", second.toString(), "--plot",
                dir.resolve("p.png").toString());
    }

    @Test
    void unwritableOutputsFailBeforeTheFit() throws Exception {
        Path in = data();
        Path model = dir.resolve("model.json");
        // Without --quiet: a fit that started would print progress lines before the error.
        CliRunner.Result r = refused(1, List.of(model), "fit", in.toString(), "-k", "2", "-o",
                dir.resolve("nodir/m.json").toString());
        assertTrue(r.err().contains("-o ") && r.err().contains("nodir") && r.err().contains("no such directory"), r.err());
        r = refused(1, List.of(model), "fit", in.toString(), "-k", "2", "-o", model.toString(), "--plot",
                dir.resolve("nodir/p.png").toString());
        assertTrue(r.err().contains("--plot") && r.err().contains("nodir"), r.err());
        assertFalse(r.err().contains(".tmp"), "no temp file named: " + r.err());
        Path m = model(in);
        refused(1, List.of(), "impute", m.toString(), in.toString(), "-o", dir.resolve("ok.csv").toString(),
                "--proba-out", dir.resolve("nodir/p.csv").toString());
        assertFalse(Files.exists(dir.resolve("ok.csv")), "nothing is written when one output cannot be");
        refused(1, List.of(), "predict", m.toString(), in.toString(), "-o", dir.toString());
    }

    @Test
    void readOnlyOutputIsRefusedAndKept() throws Exception {
        Path in = data();
        Path ro = dir.resolve("ro.json");
        Files.writeString(ro, "old");
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r--r--r--"));
        CliRunner.Result r = refused(1, List.of(ro), "fit", in.toString(), "-k", "2", "-o", ro.toString());
        assertTrue(r.err().contains("read-only"), r.err());
    }

    @Test
    void devicesAndLinksAreWrittenWhereTheyPoint() throws Exception {
        Path in = data();
        Path m = model(in);
        CliRunner.Result r = CliRunner.run("predict", m.toString(), in.toString(), "-o", "/dev/null");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.isRegularFile(Path.of("/dev/null")));
        r = CliRunner.run("impute", m.toString(), in.toString(), "-o", "/dev/null", "--proba-out", "/dev/null");
        assertEquals(0, r.code(), "two outputs to /dev/null are fine: " + r.err());

        Path real = dir.resolve("labels-real.csv");
        Files.writeString(real, "old\n");
        Path link = dir.resolve("labels.csv");
        Files.createSymbolicLink(link, real.getFileName());
        r = CliRunner.run("predict", m.toString(), in.toString(), "-o", link.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals(120, Files.readAllLines(real).size());
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }
}
