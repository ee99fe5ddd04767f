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
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * All-or-nothing file writes: the content goes to a temporary file in the target's directory, is
 * flushed to disk, and only then moved over the target (atomically where the file system allows).
 * If the body throws, the temporary file is deleted and an existing target is left untouched; a
 * crash at any point leaves either the old target or the complete new one, never a partial file.
 *
 * <p>The temporary file is named {@code .<target name>.<random>.tmp} and created with the default
 * permissions of new files (the process umask), so the result is as readable as a plain write.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically from {@code body}, which receives a buffered stream (it need
     * not close it).
     *
     * @throws IOException when the temporary file cannot be created, written or moved, or the body
     *                     throws it; the target is then unchanged
     */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        Objects.requireNonNull(body, "body");
        Path abs = target.toAbsolutePath();
        Path tmp = createTemp(abs);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                body.accept(out);
                out.flush();
                channel.force(true);
            }
            move(tmp, abs);
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

    private static Path createTemp(Path abs) throws IOException {
        Path dir = abs.getParent();
        String name = abs.getFileName().toString();
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            Path tmp = dir.resolve("." + name + "." + suffix + ".tmp");
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
            // Nothing more to do: the target is intact, and the stray file is hidden and named .tmp.
        }
    }
}
