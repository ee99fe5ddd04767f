package io.gaussmix.backend.cuda;

import io.gaussmix.backend.DeviceException;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/** One device allocation; {@link #close()} frees it once (later calls do nothing). */
final class DeviceBuffer implements AutoCloseable {
    final CUdeviceptr ptr;
    final long bytes;
    private final String what;
    private boolean closed;

    private DeviceBuffer(CUdeviceptr ptr, long bytes, String what) {
        this.ptr = ptr;
        this.bytes = bytes;
        this.what = what;
    }

    /** Allocates or throws a DeviceException naming the buffer and its size. */
    static DeviceBuffer allocate(long bytes, String what) {
        DeviceBuffer b = tryAllocate(bytes, what);
        if (b == null) {
            throw new DeviceException("cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY (" + what + ", " + bytes + " bytes)");
        }
        return b;
    }

    /** Allocates, or returns null on CUDA_ERROR_OUT_OF_MEMORY so the caller can shrink and retry. */
    static DeviceBuffer tryAllocate(long bytes, String what) {
        CUdeviceptr p = new CUdeviceptr();
        int r = JCudaDriver.cuMemAlloc(p, Math.max(1, bytes));   // zero-byte allocations are an error
        if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            return null;
        }
        Cuda.check(r, "cuMemAlloc", what + ", " + bytes + " bytes");
        return new DeviceBuffer(p, bytes, what);
    }

    /** {@code buf} when it holds at least {@code bytes}, else a new buffer of that size ({@code buf} is freed). */
    static DeviceBuffer atLeast(DeviceBuffer buf, long bytes, String what) {
        if (buf != null && buf.bytes >= bytes) {
            return buf;
        }
        if (buf != null) {
            buf.close();
        }
        return allocate(bytes, what);
    }

    /** The device address {@code offset} bytes in. */
    CUdeviceptr at(long offset) {
        return ptr.withByteOffset(offset);
    }

    /** A kernel argument holding this buffer's address. */
    Pointer arg() {
        return Pointer.to(ptr);
    }

    /** Frees the allocation once; a failure throws a DeviceException naming the buffer (owners turn it into a note). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Cuda.check(JCudaDriver.cuMemFree(ptr), "cuMemFree", what + ", " + bytes + " bytes");
        }
    }
}
