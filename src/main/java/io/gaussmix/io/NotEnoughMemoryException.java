package io.gaussmix.io;

/**
 * A file or a request too large for the JVM's heap, found before the allocation: the message says
 * how much memory is needed, how much there is, and the {@code -Xmx} to give (see {@link Memory}).
 */
public class NotEnoughMemoryException extends DataFileException {
    private static final long serialVersionUID = 1L;

    /** @param message one line: what needs how much memory, and how to give it */
    public NotEnoughMemoryException(String message) {
        super(message);
    }
}
