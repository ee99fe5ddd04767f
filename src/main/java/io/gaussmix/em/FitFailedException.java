package io.gaussmix.em;

/** The fit cannot continue; the message names the component and says what to change. */
public final class FitFailedException extends RuntimeException {
    public FitFailedException(String message) {
        super(message);
    }
}
