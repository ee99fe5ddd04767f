package io.gaussmix.io;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

/**
 * Unmaps a memory-mapped window as soon as it is consumed. Java 17 has no public unmap: a mapping lives
 * until the GC collects its buffer, and mapped buffers are tiny heap objects, so a long pass can
 * accumulate tens of thousands of live mappings before a GC runs; past the kernel's
 * {@code vm.max_map_count} (65530 by default) every later mmap of the process fails, the JVM's own
 * included, and the JVM dies ("insufficient memory ... committing reserved memory", seen in a test
 * with small windows). {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported, there on every
 * JDK 9+) releases a mapping now; where it cannot be reached, the mapping is left to the GC as before.
 */
final class MappedWindows {
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method cleaner = null;
        try {
            Class<?> c = Class.forName("sun.misc.Unsafe");
            Field f = c.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = f.get(null);
            cleaner = c.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unsafe = null;
            cleaner = null;
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = cleaner;
    }

    private MappedWindows() {
    }

    /**
     * Releases the mapping of {@code mapped} (a buffer returned by {@code FileChannel.map}, never a
     * slice or view of it), or the memory of a buffer from {@code ByteBuffer.allocateDirect} (the
     * positioned reads' buffers, freed when their source closes); the caller must not touch it, or any
     * view of it, afterwards.
     */
    static void unmap(ByteBuffer mapped) {
        if (INVOKE_CLEANER == null || mapped == null || !mapped.isDirect()) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, mapped);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Left to the GC, as without this class.
        }
    }
}
