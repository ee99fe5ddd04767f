package io.gaussmix.backend;

/** A device call failed; the message names the call, the error and the context (kernel, sizes). */
public class DeviceException extends RuntimeException {
    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
