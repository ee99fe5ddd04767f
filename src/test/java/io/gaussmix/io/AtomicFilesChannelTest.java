package io.gaussmix.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AtomicFiles#writeChannel}: positioned writes, all or nothing like {@link AtomicFiles#write}. */
class AtomicFilesChannelTest {
    @TempDir
    Path dir;

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void theBodyWritesAtPositionsAndTheTargetAppearsWhole() throws IOException {
        Path target = dir.resolve("t.bin");
        AtomicFiles.writeChannel(target, ch -> {
            ch.position(4);
            ch.write(ascii("data"));
            ch.write(ascii("head"), 0);
        });
        assertEquals("headdata", Files.readString(target));
    }

    @Test
    void aFailingBodyLeavesTheOldTargetAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("t.bin");
        Files.writeString(target, "old");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.writeChannel(target, ch -> {
            ch.write(ascii("new, half written"));
            throw new IllegalStateException("stop");
        }));
        assertEquals("old", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aDeviceIsRefused() {
        Path dev = Path.of("/dev/null");
        if (!Files.exists(dev)) {
            return;
        }
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> AtomicFiles.writeChannel(dev, ch -> ch.write(ascii("x"))));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }
}
