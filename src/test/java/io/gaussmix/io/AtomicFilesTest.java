package io.gaussmix.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesNewFileAndReplacesExistingOne() throws IOException {
        Path target = dir.resolve("out.txt");
        AtomicFiles.write(target, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
        assertEquals("first", Files.readString(target));
        AtomicFiles.writeText(target, w -> w.write("second ü"));
        assertEquals("second ü", Files.readString(target));
        assertEquals(List.of("out.txt"), listing());
    }

    @Test
    void failingBodyLeavesOldFileAndNoTempFile() throws IOException {
        Path target = dir.resolve("model.json");
        Files.writeString(target, "old content");
        IOException boom = new IOException("disk full");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]);
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals("old content", Files.readString(target));
        assertEquals(List.of("model.json"), listing());
    }

    @Test
    void runtimeExceptionInBodyAlsoCleansUp() throws IOException {
        Path target = dir.resolve("new.csv");
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeText(target, w -> {
            w.write("partial");
            throw new UncheckedIOException(new IOException("stop"));
        }));
        assertFalse(Files.exists(target));
        assertEquals(List.of(), listing());
    }

    @Test
    void missingDirectoryFailsWithoutLeavingAnything() {
        Path target = dir.resolve("no/such/dir/out.csv");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> out.write(1)));
        assertFalse(Files.exists(dir.resolve("no")));
    }
}
