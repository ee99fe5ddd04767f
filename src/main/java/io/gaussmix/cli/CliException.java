package io.gaussmix.cli;

/** A failure the user can act on, reported as one line without a stack trace (exit code 1). */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line saying what went wrong and, where possible, what to do */
    public CliException(String message) {
        super(message);
    }

    /**
     * @param message one line saying what went wrong
     * @param cause   the underlying failure (shown with {@code --debug})
     */
    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
