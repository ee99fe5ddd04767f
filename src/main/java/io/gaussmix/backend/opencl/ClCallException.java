package io.gaussmix.backend.opencl;

import io.gaussmix.backend.DeviceException;

/** An OpenCL call returned an error code; the code is kept so callers can react to allocation failures. */
final class ClCallException extends DeviceException {
    private final int code;

    ClCallException(String message, int code) {
        super(message);
        this.code = code;
    }

    int code() {
        return code;
    }

    /** Whether the device ran out of memory (a smaller allocation may still succeed). */
    boolean isOutOfMemory() {
        return code == org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || code == org.jocl.CL.CL_OUT_OF_RESOURCES
                || code == org.jocl.CL.CL_OUT_OF_HOST_MEMORY || code == org.jocl.CL.CL_INVALID_BUFFER_SIZE;
    }
}
