package io.gaussmix.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Runs {@link Main} in-process with captured streams, and writes small test data sets. */
final class CliRunner {
    private CliRunner() {
    }

    /** What one run printed and returned. */
    record Result(int code, String out, String err) {
        /** The non-empty lines of stderr. */
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        /** The last line of stdout. */
        String lastOutLine() {
            List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
            return lines.get(lines.size() - 1);
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Writes n rows of a 2-D, three-cluster mixture (seeded) as CSV with a header x,y. */
    static Path blobs(Path dir, String name, int n, long seed) throws Exception {
        Random r = new Random(seed);
        double[][] centres = {{0, 0}, {6, 1}, {2, 7}};
        List<String> lines = new ArrayList<>();
        lines.add("x,y");
        for (int i = 0; i < n; i++) {
            double[] c = centres[i % 3];
            lines.add((c[0] + r.nextGaussian()) + "," + (c[1] + 0.5 * r.nextGaussian()));
        }
        Path p = dir.resolve(name);
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }
}
