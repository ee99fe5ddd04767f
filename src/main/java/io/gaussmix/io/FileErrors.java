package io.gaussmix.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Turns I/O failures on an input file into {@link DataFileException}s with a user-facing message. */
final class FileErrors {
    private FileErrors() {
    }

    /** Fails early, with a clear message, when {@code file} is a directory. */
    static void requireNotDirectory(Path file) {
        if (Files.isDirectory(file)) {
            throw new DataFileException(file + ": is a directory, not a data file");
        }
    }

    /** The exception to throw for an I/O failure while opening or reading {@code file}. */
    static DataFileException readFailure(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DataFileException("file not found: " + file, e);
        }
        if (e instanceof AccessDeniedException) {
            return new DataFileException("cannot read " + file + ": permission denied", e);
        }
        if (e instanceof CharacterCodingException) {
            return new DataFileException(file + ": not a UTF-8 text file"
                    + " (a NumPy array must have the .npy extension)", e);
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new DataFileException("cannot read " + file + ": " + why, e);
    }
}
