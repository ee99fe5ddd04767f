package io.gaussmix.backend.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;

/** Sets a kernel's arguments in order, checking each call. */
final class KernelArgs {
    private final cl_kernel kernel;
    private final String name;
    private int index;

    KernelArgs(cl_kernel kernel, String name) {
        this.kernel = kernel;
        this.name = name;
    }

    KernelArgs mem(ClMem m) {
        return set(Sizeof.cl_mem, Pointer.to(m.mem));
    }

    KernelArgs int32(int v) {
        return set(Sizeof.cl_int, Pointer.to(new int[] {v}));
    }

    KernelArgs int64(long v) {
        return set(Sizeof.cl_long, Pointer.to(new long[] {v}));
    }

    /** A __local buffer of {@code bytes} (at least 1: OpenCL rejects empty local arguments). */
    KernelArgs local(long bytes) {
        return set(Math.max(8, bytes), null);
    }

    private KernelArgs set(long size, Pointer value) {
        Cl.check(CL.clSetKernelArg(kernel, index, size, value), "clSetKernelArg",
                "setting argument " + index + " of kernel " + name);
        index++;
        return this;
    }
}
