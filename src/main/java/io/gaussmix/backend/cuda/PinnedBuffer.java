package io.gaussmix.backend.cuda;

import jcuda.Pointer;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Page-locked host memory ({@code cuMemAllocHost}) for asynchronous uploads; at most
 * {@link CudaMemoryPlan#MAX_CHUNK_BYTES}, so one ByteBuffer view covers it.
 */
final class PinnedBuffer implements AutoCloseable {
    final Pointer ptr;
    final long bytes;
    final ByteBuffer buffer;
    private boolean closed;

    private PinnedBuffer(Pointer ptr, long bytes) {
        this.ptr = ptr;
        this.bytes = bytes;
        this.buffer = ptr.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
    }

    /** Allocates, or returns null on CUDA_ERROR_OUT_OF_MEMORY. */
    static PinnedBuffer tryAllocate(long bytes, String what) {
        Pointer p = new Pointer();
        int r = JCudaDriver.cuMemAllocHost(p, Math.max(1, bytes));
        if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            return null;
        }
        Cuda.check(r, "cuMemAllocHost", what + ", " + bytes + " bytes");
        return new PinnedBuffer(p, Math.max(1, bytes));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Cuda.check(JCudaDriver.cuMemFreeHost(ptr), "cuMemFreeHost", bytes + " bytes");
        }
    }
}
