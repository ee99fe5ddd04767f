package io.gaussmix.backend;

import java.util.List;

/**
 * Whether a backend can run on this machine and, if not, why.
 *
 * @param available whether {@link BackendProvider#open} can succeed
 * @param reason    when unavailable: the cause in one line, with what to do about it
 * @param devices   one human-readable line per device the backend can use
 * @param hasGpu    whether one of the devices is a GPU (AUTO only picks OpenCL for a GPU)
 */
public record Availability(boolean available, String reason, List<String> devices, boolean hasGpu) {
    public static Availability unavailable(String reason) {
        return new Availability(false, reason, List.of(), false);
    }

    public static Availability available(List<String> devices, boolean hasGpu) {
        return new Availability(true, null, List.copyOf(devices), hasGpu);
    }
}
