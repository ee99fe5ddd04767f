package io.gaussmix.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    private static String[] run(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "bench";
        System.arraycopy(args, 0, full, 1, args.length);
        CliRunner.Result r = CliRunner.run(full);
        return new String[]{String.valueOf(r.code()), r.out(), r.err()};
    }

    @Test
    void printsATablePerBackendAndSkipsUnavailableOnes() {
        String[] r = run("--sizes", "400x3x2,600x4x3", "--repeats", "2", "--warmup", "1", "--backend", "cpu,cuda");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("cpu: cpu"), r[1]);
        assertTrue(r[1].contains("      400     3      2"), r[1]);
        assertTrue(r[1].contains("      600     4      3"), r[1]);
        // CUDA runs where it can; elsewhere it is skipped with the reason.
        assertTrue(r[1].contains("cuda: skipped: ") || r[1].contains("cuda: cuda"), r[1]);
        assertTrue(r[2].contains("100%"), "progress bar on stderr");
    }

    @Test
    void rejectsMalformedSizes() {
        String[] r = run("--sizes", "100x3", "--backend", "cpu");
        assertNotEquals("0", r[0]);
        assertTrue(r[2].contains("NxDxK"), r[2]);
    }
}
