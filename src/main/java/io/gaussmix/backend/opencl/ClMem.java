package io.gaussmix.backend.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_mem;

import java.util.concurrent.atomic.AtomicInteger;

/** One device buffer, released once by {@link #close()}; a process-wide count of live buffers catches leaks. */
final class ClMem implements AutoCloseable {
    private static final AtomicInteger LIVE = new AtomicInteger();

    final cl_mem mem;
    final long bytes;
    private boolean released;

    private ClMem(cl_mem mem, long bytes) {
        this.mem = mem;
        this.bytes = bytes;
    }

    /** Allocates {@code bytes} (at least 1) with {@code flags}; {@code host} is copied when flags say so. */
    static ClMem allocate(cl_context context, long flags, long bytes, Pointer host, String what) {
        int[] err = new int[1];
        long size = Math.max(1, bytes);
        cl_mem m = CL.clCreateBuffer(context, flags, size, host, err);
        Cl.check(err[0], "clCreateBuffer", "allocating " + size + " bytes for " + what);
        LIVE.incrementAndGet();
        return new ClMem(m, size);
    }

    /** Buffers allocated and not yet released, over the whole process. */
    static int live() {
        return LIVE.get();
    }

    @Override
    public void close() {
        if (!released) {
            released = true;
            LIVE.decrementAndGet();
            Cl.check(CL.clReleaseMemObject(mem), "clReleaseMemObject", "releasing a " + bytes + "-byte buffer");
        }
    }
}
