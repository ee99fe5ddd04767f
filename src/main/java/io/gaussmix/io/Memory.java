package io.gaussmix.io;

import java.util.Locale;

/**
 * Heap checks before a large allocation, so that a file too large for the JVM's memory is one line
 * saying how much is needed and how to give it, instead of an {@link OutOfMemoryError} part-way.
 */
public final class Memory {
    /** What stays free for everything else (buffers, the fit's own arrays are checked where they are made). */
    private static final double MARGIN = 0.9;

    private Memory() {
    }

    /**
     * Bytes the heap can still give: the maximum heap minus what is in use. "In use" includes garbage
     * not yet collected, so a caller that finds too little should {@link #require} (which collects once)
     * rather than refuse on this figure alone.
     */
    public static long available() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /**
     * Fails with a {@link NotEnoughMemoryException} "{@code <subject>} needs {@code <bytes>} of memory ..., but
     * the JVM can give about ...; run java with -Xmx..." unless {@code bytes} fit in the free heap
     * (after one garbage collection when they seem not to).
     *
     * @param bytes   the allocation about to be made
     * @param subject what needs it, starting with the file name, e.g. "data.npy: shape (100000000, 10) of float64"
     */
    public static void require(long bytes, String subject) {
        if (bytes <= MARGIN * available()) {
            return;
        }
        System.gc(); // garbage may be most of what looks used; collect once before refusing
        long free = available();
        if (bytes <= MARGIN * free) {
            return;
        }
        long used = Runtime.getRuntime().maxMemory() - free;
        // Suggest room for the data twice over (a fit copies or streams it) on top of what is in use.
        long suggest = (long) Math.ceil((used + 2.0 * bytes) / (1L << 30));
        throw new NotEnoughMemoryException(subject + " needs " + text(bytes) + " of memory, but the JVM can give about "
                + text(free) + "; run java with a larger heap, e.g. java -Xmx" + Math.max(1, suggest)
                + "g -jar gaussmix.jar (bin/gaussmix: GAUSSMIX_JAVA_OPTS=-Xmx" + Math.max(1, suggest) + "g)");
    }

    /** "1.5 GB", "320 MB", "12 KB", "100 bytes". */
    public static String text(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.0f MB", bytes / (double) (1L << 20));
        }
        if (bytes >= 1L << 10) {
            return String.format(Locale.ROOT, "%.0f KB", bytes / (double) (1L << 10));
        }
        return bytes + " bytes";
    }
}
