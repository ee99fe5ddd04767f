package io.gaussmix.io;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * All-or-nothing file writes: the content goes to a temporary file in the target's directory, is
 * flushed to disk, and only then moved over the target (atomically where the file system allows).
 * If the body throws, the temporary file is deleted and an existing target is left untouched; a
 * crash at any point leaves either the old target or the complete new one, never a partial file.
 *
 * <p>What a target can be:
 * <ul>
 *   <li>a <b>symbolic link</b> is followed: the file it points to is replaced atomically and the link
 *       stays a link;</li>
 *   <li>a <b>non-regular file</b> (a device such as {@code /dev/null}, a FIFO) is written directly,
 *       never renamed over (renaming would replace the device node by a regular file);</li>
 *   <li>a <b>read-only</b> regular file (not writable by this process, or with no write permission
 *       bit at all, which also stops root) is refused with {@link AccessDeniedException}, as tools that
 *       respect permissions do; a directory is refused too;</li>
 *   <li>an existing regular file keeps its POSIX permissions.</li>
 * </ul>
 *
 * <p>The temporary file is named {@code .<target name>.gaussmix-<pid>-<random>.tmp}. A process killed
 * mid-write leaves it behind; the next write of the same target deletes such leftovers whose writing
 * process is gone (or that are older than {@link #STALE_AFTER}, in case the pid was reused).
 */
public final class AtomicFiles {
    /** A temporary file untouched for this long is a leftover even if its pid is alive again (pid reuse). */
    public static final Duration STALE_AFTER = Duration.ofMinutes(15);

    private static final String TAG = ".gaussmix-";

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically from {@code body}, which receives a buffered stream (it need
     * not close it).
     *
     * @throws IOException when the target is refused (see the class comment), the temporary file cannot
     *                     be created, written or moved, or the body throws it; the target is then unchanged
     */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        Objects.requireNonNull(body, "body");
        Path dest = destination(target);
        if (checkWritable(dest)) {
            writeDirectly(dest, body);
            return;
        }
        writeReplacing(dest, channel -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            body.accept(out);
            out.flush();
        });
    }

    /**
     * As {@link #write}, for content written at chosen positions (e.g. a header completed at the end): the
     * body gets the temporary file's channel, positioned at 0. A device or FIFO target cannot be written
     * this way and is refused.
     *
     * @throws IOException as {@link #write} does, and for a target that is not a regular file
     */
    public static void writeChannel(Path target, IOConsumer<FileChannel> body) throws IOException {
        Objects.requireNonNull(body, "body");
        Path dest = destination(target);
        if (checkWritable(dest)) {
            throw new FileSystemException(dest.toString(), null, "not a regular file (this output is written"
                    + " at positions, which a device or FIFO cannot take)");
        }
        writeReplacing(dest, body);
    }

    /** The temporary file, forced, then moved over {@code dest}; deleted when anything fails. */
    private static void writeReplacing(Path dest, IOConsumer<FileChannel> body) throws IOException {
        removeLeftovers(dest);
        Set<PosixFilePermission> keep = Files.exists(dest) ? permissions(dest) : null;
        Path tmp = createTemp(dest);
        boolean moved = false;
        try {
            if (keep != null) {
                Files.setPosixFilePermissions(tmp, keep);
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                body.accept(channel);
                channel.force(true);
            }
            move(tmp, dest);
            moved = true;
        } finally {
            if (!moved) {
                deleteQuietly(tmp);
            }
        }
    }

    /** As {@link #write}, with a buffered UTF-8 {@link Writer} for text content. */
    public static void writeText(Path target, IOConsumer<Writer> body) throws IOException {
        Objects.requireNonNull(body, "body");
        write(target, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            body.accept(w);
            w.flush();
        });
    }

    /**
     * The file a write of {@code target} replaces: its absolute path with symbolic links followed, also
     * a dangling link's final target (which the write creates). Lets callers compare outputs with inputs.
     *
     * @throws IOException for a link loop or an unreadable link
     */
    public static Path destination(Path target) throws IOException {
        // Not normalize(): "link/.." is the link target's parent, which only the file system can tell.
        Path p = target.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops >= 40) {
                throw new FileSystemException(target.toString(), null, "too many levels of symbolic links");
            }
            p = p.resolveSibling(Files.readSymbolicLink(p));
        }
        return p;
    }

    /**
     * Checks, without writing, that {@link #write} could write {@code target}: its directory exists and
     * is writable, and the target is not a directory or a read-only file.
     *
     * @throws IOException naming the problem ({@link NoSuchFileException} for a missing directory,
     *                     {@link AccessDeniedException} for a read-only target or directory)
     */
    public static void requireWritable(Path target) throws IOException {
        checkWritable(destination(target));
    }

    /** The checks of {@link #requireWritable} on a resolved destination; true when it is a non-regular file. */
    private static boolean checkWritable(Path dest) throws IOException {
        if (Files.exists(dest)) {
            if (Files.isDirectory(dest)) {
                throw new FileSystemException(dest.toString(), null, "is a directory");
            }
            boolean regular = Files.isRegularFile(dest);
            if (!Files.isWritable(dest) || regular && noWriteBit(dest)) {
                throw new AccessDeniedException(dest.toString(), null, "the file is read-only");
            }
            if (!regular) {
                return true;
            }
        }
        Path dir = dest.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(String.valueOf(dir), null, "no such directory");
        }
        if (!Files.isWritable(dir)) {
            throw new AccessDeniedException(dir.toString(), null, "the directory is not writable");
        }
        return false;
    }

    /** True when no one has write permission (root ignores permissions, so access(2) alone would not tell). */
    private static boolean noWriteBit(Path file) throws IOException {
        Set<PosixFilePermission> p = permissions(file);
        return p != null && !p.contains(PosixFilePermission.OWNER_WRITE) && !p.contains(PosixFilePermission.GROUP_WRITE)
                && !p.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** The POSIX permissions, or null on a file system without them. */
    private static Set<PosixFilePermission> permissions(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    /** A device or FIFO: opened and written in place (nothing to be atomic about, and nothing to rename over). */
    private static void writeDirectly(Path dest, IOConsumer<OutputStream> body) throws IOException {
        try (OutputStream raw = Files.newOutputStream(dest, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(raw, 1 << 16);
            body.accept(out);
            out.flush();
        }
    }

    private static Path createTemp(Path dest) throws IOException {
        Path dir = dest.getParent();
        String prefix = "." + dest.getFileName() + TAG + ProcessHandle.current().pid() + "-";
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            Path tmp = dir.resolve(prefix + suffix + ".tmp");
            try {
                FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 16) {
                    throw e;
                }
            }
        }
    }

    /**
     * Deletes the temporary files that killed writes of {@code dest} left: those whose pid no longer runs,
     * or that have not been touched for {@link #STALE_AFTER}. This process's own are never touched (another
     * thread may be writing), nor those of a live process (a concurrent writer).
     */
    private static void removeLeftovers(Path dest) {
        String name = dest.getFileName().toString();
        Pattern pattern = Pattern.compile(Pattern.quote("." + name + TAG) + "(\\d+)-[0-9a-f]+\\.tmp");
        long self = ProcessHandle.current().pid();
        Instant staleBefore = Instant.now().minus(STALE_AFTER);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dest.getParent(), "." + globQuote(name) + TAG + "*.tmp")) {
            for (Path f : files) {
                Matcher m = pattern.matcher(f.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long pid = Long.parseLong(m.group(1));
                if (pid == self) {
                    continue;
                }
                FileTime modified = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS);
                if (!running(pid) || modified.toInstant().isBefore(staleBefore)) {
                    deleteQuietly(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: a leftover that cannot be listed or removed does not stop this write.
        }
    }

    /**
     * Whether process {@code pid} still runs. A killed process whose parent has not reaped it yet (a
     * zombie, common for orphans in containers) counts as gone: it writes nothing any more.
     */
    private static boolean running(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                char state = stat.charAt(stat.lastIndexOf(')') + 2);
                return state != 'Z' && state != 'X';
            } catch (IOException | RuntimeException e) {
                return true;
            }
        }
        return false;
    }

    /** Escapes the glob metacharacters of a file name. */
    private static String globQuote(String s) {
        return s.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // Nothing more to do: the target is intact, and the stray file is found by the next write.
        }
    }
}
