package io.gaussmix.io;

/**
 * An input data file that cannot be used: not found or unreadable, malformed, or holding values the
 * engine does not accept. The message is one line a user can act on and always names the file, e.g.
 * {@code data.csv: line 17, column 3 ("age"): "abc" is not a number}.
 *
 * <p>(Named so as not to clash with the checked {@code java.util.zip.DataFormatException}.)
 */
public class DataFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file and the problem */
    public DataFileException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the file and the problem
     * @param cause the underlying I/O or parse failure
     */
    public DataFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
