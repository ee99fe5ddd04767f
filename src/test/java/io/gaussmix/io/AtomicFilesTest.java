package io.gaussmix.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    @Test
    void deviceTargetIsWrittenInPlaceNeverReplaced() throws IOException {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull), "no /dev/null device here");
        AtomicFiles.writeText(devNull, w -> w.write("discarded"));
        assertFalse(Files.isRegularFile(devNull), "/dev/null must stay a device");
        Path devFull = Path.of("/dev/full");
        if (Files.exists(devFull)) {
            assertThrows(IOException.class, () -> AtomicFiles.write(devFull, out -> out.write(new byte[1 << 17])));
            assertFalse(Files.isRegularFile(devFull), "/dev/full must stay a device");
        }
        try (Stream<Path> s = Files.list(Path.of("/dev"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".gaussmix-")), "no temp file in /dev");
        }
    }

    @Test
    void fifoTargetIsWrittenInPlace() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo is not available");
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        AtomicFiles.writeText(fifo, w -> w.write("through the pipe"));
        assertEquals("through the pipe", reader.get(10, TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo), "the FIFO must stay a FIFO");
        assertEquals(List.of("pipe"), listing());
    }

    @Test
    void readOnlyTargetIsRefusedAndKept() throws IOException {
        Path target = dir.resolve("frozen.json");
        Files.writeString(target, "keep me");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--r--r--"));
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> AtomicFiles.writeText(target, w -> w.write("new")));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        assertThrows(AccessDeniedException.class, () -> AtomicFiles.requireWritable(target));
        assertEquals("keep me", Files.readString(target));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(List.of("frozen.json"), listing());
    }

    @Test
    void existingPermissionsAreKept() throws IOException {
        Path target = dir.resolve("private.json");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.writeText(target, w -> w.write("new"));
        assertEquals("new", Files.readString(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    @Test
    void symbolicLinkIsFollowedAndKept() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real")).resolve("model.json");
        Files.writeString(real, "old");
        Path link = dir.resolve("link.json");
        Files.createSymbolicLink(link, Path.of("real/model.json"));
        AtomicFiles.writeText(link, w -> w.write("new"));
        assertTrue(Files.isSymbolicLink(link), "the link must stay a link");
        assertEquals("new", Files.readString(real));
        assertEquals(real, AtomicFiles.destination(link));

        Path dangling = dir.resolve("dangling.json");
        Files.createSymbolicLink(dangling, Path.of("real/created.json"));
        AtomicFiles.writeText(dangling, w -> w.write("made"));
        assertTrue(Files.isSymbolicLink(dangling));
        assertEquals("made", Files.readString(dir.resolve("real/created.json")));
        assertEquals(List.of("dangling.json", "link.json", "real"), listing());
    }

    @Test
    void directoryTargetAndMissingDirectoryAreRefusedBeforeWriting() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.requireWritable(sub));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        IOException missing = assertThrows(IOException.class,
                () -> AtomicFiles.requireWritable(dir.resolve("nodir/m.json")));
        assertTrue(missing.getMessage().contains("no such directory"), missing.getMessage());
        AtomicFiles.requireWritable(dir.resolve("fresh.json"));
        assertFalse(Files.exists(dir.resolve("fresh.json")), "a check writes nothing");
    }

    @Test
    void leftoversOfDeadOrStaleWritersAreRemovedOnTheNextWrite() throws Exception {
        Path target = dir.resolve("model.json");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long self = ProcessHandle.current().pid();
        long live = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
        Path dead = dir.resolve(".model.json.gaussmix-" + gone.pid() + "-1a2b.tmp");
        Path liveFresh = dir.resolve(".model.json.gaussmix-" + live + "-3c4d.tmp");
        Path liveStale = dir.resolve(".model.json.gaussmix-" + live + "-5e6f.tmp");
        Path own = dir.resolve(".model.json.gaussmix-" + self + "-7a8b.tmp");
        Path otherTarget = dir.resolve(".other.json.gaussmix-" + gone.pid() + "-9c0d.tmp");
        for (Path p : List.of(dead, liveFresh, liveStale, own, otherTarget)) {
            Files.writeString(p, "partial");
        }
        Files.setLastModifiedTime(liveStale, FileTime.from(Instant.now().minus(AtomicFiles.STALE_AFTER).minusSeconds(60)));

        AtomicFiles.writeText(target, w -> w.write("{}"));
        assertEquals("{}", Files.readString(target));
        assertFalse(Files.exists(dead, LinkOption.NOFOLLOW_LINKS), "a dead writer's temp file is removed");
        assertFalse(Files.exists(liveStale), "a temp file untouched for STALE_AFTER is removed");
        assertTrue(Files.exists(liveFresh), "a live writer's temp file is kept");
        assertTrue(Files.exists(own), "this process's own temp files are kept");
        assertTrue(Files.exists(otherTarget), "another target's temp files are not touched");
    }

    @Test
    void aZombieWriterCountsAsGone() throws Exception {
        // sh starts "sleep 0" in the background, then becomes "sleep 5", which never reaps it: a zombie for 5 s.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & exec sleep 5").start();
        try {
            long zombie = -1;
            for (int i = 0; i < 100 && zombie < 0; i++) {
                Thread.sleep(20);
                zombie = parent.toHandle().children().mapToLong(ProcessHandle::pid).filter(AtomicFilesTest::isZombie)
                        .findFirst().orElse(-1);
            }
            assumeTrue(zombie > 0, "no zombie process could be made here");
            Path target = dir.resolve("model.json");
            Path left = dir.resolve(".model.json.gaussmix-" + zombie + "-abc.tmp");
            Files.writeString(left, "partial");
            AtomicFiles.writeText(target, w -> w.write("{}"));
            assertFalse(Files.exists(left), "a killed writer not yet reaped leaves a leftover");
        } finally {
            parent.destroyForcibly();
        }
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
