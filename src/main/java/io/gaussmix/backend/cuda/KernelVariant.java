package io.gaussmix.backend.cuda;

import io.gaussmix.backend.DeviceException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads a kernel choice from a system property: the lower-case name of one of the enum's constants.
 * The choices stay selectable until a GPU has ranked them (kernels/README.md); a value that names
 * none of them is refused, never ignored.
 */
final class KernelVariant {
    private KernelVariant() {
    }

    static <E extends Enum<E>> E fromProperty(String property, E fallback) {
        String raw = System.getProperty(property);
        if (raw == null) {
            return fallback;
        }
        E[] values = fallback.getDeclaringClass().getEnumConstants();
        String v = raw.trim().toLowerCase(Locale.ROOT);
        for (E e : values) {
            if (e.name().toLowerCase(Locale.ROOT).equals(v)) {
                return e;
            }
        }
        throw new DeviceException("-D" + property + "=" + raw + ": expected "
                + names(values));
    }

    /** "a or b", "a, b or c". */
    private static <E extends Enum<E>> String names(E[] values) {
        String[] n = Arrays.stream(values).map(e -> e.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
        String head = Arrays.stream(n, 0, n.length - 1).collect(Collectors.joining(", "));
        return n.length == 1 ? n[0] : head + " or " + n[n.length - 1];
    }
}
