package io.gaussmix.cli;

import io.gaussmix.io.DataFiles;
import io.gaussmix.io.MissingValues;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** predict, sample, select, devices and --help through the command line. */
class CommandsTest {
    @TempDir
    Path dir;
    Path data;
    Path model;

    @BeforeEach
    void fit() throws Exception {
        data = CliRunner.blobs(dir, "blobs.csv", 150, 11);
        model = dir.resolve("model.json");
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "-k", "3", "--quiet", "-o", model.toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void predictLabels() throws Exception {
        Path out = dir.resolve("labels.csv");
        CliRunner.Result r = CliRunner.run("predict", model.toString(), data.toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(150, lines.size());
        for (String l : lines) {
            int label = Integer.parseInt(l.trim());
            assertTrue(label >= 0 && label < 3);
        }
    }

    @Test
    void predictProbaRowsSumToOne() throws Exception {
        Path out = dir.resolve("proba.csv");
        CliRunner.Result r = CliRunner.run("predict", model.toString(), data.toString(), "--proba", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("p0,p1,p2", lines.get(0));
        assertEquals(151, lines.size());
        for (String l : lines.subList(1, lines.size())) {
            double sum = 0;
            for (String v : l.split(",")) {
                sum += Double.parseDouble(v);
            }
            assertEquals(1.0, sum, 1e-12);
        }
    }

    @Test
    void sampleWritesNRows() throws Exception {
        Path out = dir.resolve("sample.csv");
        CliRunner.Result r = CliRunner.run("sample", model.toString(), "-n", "37", "--seed", "3", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("x0,x1,component", lines.get(0));
        assertEquals(38, lines.size());
        assertEquals(37, DataFiles.read(out, MissingValues.REJECT).rows());
    }

    @Test
    void selectMarksOneBestRowAndPlots() throws Exception {
        Path best = dir.resolve("best.json");
        Path png = dir.resolve("select.png");
        CliRunner.Result r = CliRunner.run("select", data.toString(), "--k-range", "1..4", "--covariance-types",
                "full,diag", "-o", best.toString(), "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        long starred = r.out().lines().filter(l -> l.startsWith("*")).count();
        assertEquals(1, starred, r.out());
        assertEquals(8, r.out().lines().filter(l -> l.matches("^[* ] +\\d+ .*")).count(), r.out());
        assertTrue(r.out().lines().findFirst().orElse("").contains("BIC"));
        assertTrue(Files.exists(best));
        FitCommandTest.checkPng(png);
    }

    @Test
    void devicesListsCpu() {
        CliRunner.Result r = CliRunner.run("devices");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("cpu: available"), r.out());
    }

    /**
     * A command line that names a subcommand registers only that one (picocli's start-up cost): its usage, hence its
     * options, must be the full tree's, and the help command, which needs the others, gets the full tree.
     */
    @Test
    void aNamedSubcommandAloneIsTheFullTreesSubcommand() {
        Map<String, picocli.CommandLine> all = Main.commandLine().getSubcommands();
        assertEquals(11, all.size(), all.keySet()::toString);
        for (String name : all.keySet()) {
            Map<String, picocli.CommandLine> alone =
                    Main.commandLine(new String[] {"--debug", name, "x"}).getSubcommands();
            if (name.equals("help")) {
                assertEquals(all.keySet(), alone.keySet());
            } else {
                assertEquals(Set.of(name), alone.keySet());
                assertEquals(all.get(name).getUsageMessage(), alone.get(name).getUsageMessage(), name);
            }
        }
        CliRunner.Result r = CliRunner.run("help", "fit");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Usage: gaussmix fit"), r.out());
    }

    @Test
    void helpOnEveryCommand() {
        for (String cmd : new String[] {"fit", "score", "predict", "sample", "select", "devices"}) {
            CliRunner.Result r = CliRunner.run(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().contains("Usage: gaussmix " + cmd), r.out());
        }
        CliRunner.Result r = CliRunner.run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("gaussmix "), r.out());
    }
}
