package io.gaussmix.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two ways the README starts a kernel command, {@code java -jar} (through {@link JvmRelaunch}'s child)
 * and {@code bin/gaussmix}, give the JVM the same JIT options, and the JVM takes them silently.
 */
class LauncherTest {
    @Test
    void theRelaunchedChildGetsTheJitOptionsBeforeTheCommand() {
        List<String> cmd = JvmRelaunch.childCommand(new String[] {"fit", "x.npy", "-k", "2"});
        int main = cmd.indexOf(Main.class.getName());
        assertTrue(main > 0, cmd::toString);
        List<String> options = new ArrayList<>(JvmRelaunch.JIT_OPTIONS);
        options.addAll(JvmRelaunch.FIT_JIT_OPTIONS);
        for (String option : options) {
            int at = cmd.indexOf(option);
            assertTrue(at > 0 && at < main, () -> option + " missing before the main class: " + cmd);
        }
    }

    @Test
    void onlyAFitsChildGetsTheFitJitOptions() {
        List<String> cmd = JvmRelaunch.childCommand(new String[] {"score", "m.json", "x.npy"});
        assertTrue(cmd.containsAll(JvmRelaunch.JIT_OPTIONS), cmd::toString);
        for (String option : JvmRelaunch.FIT_JIT_OPTIONS) {
            assertFalse(cmd.contains(option), () -> option + " given to score: " + cmd);
        }
    }

    @Test
    void binGaussmixGivesTheSameJitOptions() throws Exception {
        String script = Files.readString(Path.of("bin", "gaussmix"), StandardCharsets.UTF_8);
        List<String> options = new ArrayList<>(JvmRelaunch.JIT_OPTIONS);
        options.addAll(JvmRelaunch.FIT_JIT_OPTIONS);
        for (String option : options) {
            assertTrue(script.contains(option), () -> "bin/gaussmix lacks " + option);
        }
    }

    /**
     * A CompileCommand the JVM does not understand is reported on stdout (and the JVM starts anyway); without
     * {@code quiet} a good one is echoed there: either would corrupt a command whose stdout is data.
     */
    @Test
    void theJvmAcceptsTheJitOptionsAndPrintsNothingOnStdout() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JvmRelaunch.JIT_OPTIONS);
        cmd.addAll(JvmRelaunch.FIT_JIT_OPTIONS);
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertEquals("", out);
    }
}
