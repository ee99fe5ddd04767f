package io.gaussmix.backend;

import io.gaussmix.BackendType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry: providers found by ServiceLoader in AUTO's order, and the package boundaries it relies on. */
class BackendsTest {
    private static final Path MAIN = Path.of("src", "main", "java", "io", "gaussmix");

    @Test
    void providersComeInAutosOrder() {
        List<BackendType> types = Backends.providers().stream().map(BackendProvider::type).collect(Collectors.toList());
        assertEquals(List.of(BackendType.CUDA, BackendType.OPENCL, BackendType.CPU), types);
    }

    @Test
    void autoReportsEverySkippedBackendAndEndsOnAnAvailableOne() {
        List<String> notes = new ArrayList<>();
        try (Backend b = Backends.open(BackendType.AUTO, BackendOptions.DEFAULT, notes::add)) {
            int skipped = 0;
            for (BackendProvider p : Backends.providers()) {
                if (b.description().startsWith(p.type().id())) {
                    break;
                }
                skipped++;
                String prefix = "skipped backend " + p.type().id() + ": ";
                assertTrue(notes.stream().anyMatch(n -> n.startsWith(prefix)), notes.toString());
            }
            assertTrue(skipped < Backends.providers().size(), b.description());
        }
    }

    @Test
    void theSeamImportsNoImplementation() throws IOException {
        try (Stream<Path> files = Files.list(MAIN.resolve("backend"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String text = Files.readString(f);
                for (String sub : List.of("cpu", "opencl", "cuda")) {
                    assertTrue(!text.contains("import io.gaussmix.backend." + sub + "."), f + " imports backend." + sub);
                }
            }
        }
    }

    @Test
    void nativeBindingsStayInTheirPackages() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(f -> {
                String text = read(f);
                String dir = MAIN.relativize(f.getParent()).toString().replace('\\', '/');
                if (!dir.equals("backend/opencl")) {
                    assertTrue(!text.contains("import org.jocl"), f + " imports JOCL");
                }
                if (!dir.equals("backend/cuda")) {
                    assertTrue(!text.contains("import jcuda"), f + " imports JCuda");
                }
            });
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
