package io.gaussmix.backend.cuda;

import io.gaussmix.backend.BackendUnavailableException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

import java.util.function.Consumer;

/**
 * One GPU's primary context, its two streams and the properties the backend plans with. Every
 * entry of the backend makes the context current first ({@link #makeCurrent}), since the driver
 * binds contexts to threads.
 *
 * <p>Ordering: the two streams are created blocking ({@code CU_STREAM_DEFAULT}), so the small
 * synchronous parameter uploads (legacy stream) are ordered before the kernels that read them;
 * the streaming loop uses only asynchronous calls on its two streams, so copies overlap kernels.
 */
final class CudaContext implements AutoCloseable {
    final int index;
    final int smCount;
    /** Total device memory: fixed, so the grid planned from it never changes between passes. */
    final long totalBytes;
    final int driverVersion;
    /** "NAME (cc X.Y, driver V)". */
    final String deviceDescription;
    private final Consumer<String> notes;
    private final CUstream[] streams = new CUstream[2];
    private CUdevice device;
    private CUcontext context;
    private boolean closed;

    /** Retains device {@code index}'s primary context and creates the streams; releases what it took if that fails. */
    CudaContext(int index, Consumer<String> notes) {
        this.index = index;
        this.notes = notes;
        try {
            Cuda.check(JCudaDriver.cuInit(0), "cuInit", "");
            int[] v = new int[1];
            Cuda.check(JCudaDriver.cuDriverGetVersion(v), "cuDriverGetVersion", "");
            driverVersion = v[0];
            int[] count = new int[1];
            Cuda.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount", "");
            if (index >= count[0]) {
                throw new BackendUnavailableException("CUDA device " + index + " does not exist (" + count[0] + " devices)");
            }
            CUdevice dev = new CUdevice();
            Cuda.check(JCudaDriver.cuDeviceGet(dev, index), "cuDeviceGet", "device " + index);
            CUcontext ctx = new CUcontext();
            Cuda.check(JCudaDriver.cuDevicePrimaryCtxRetain(ctx, dev), "cuDevicePrimaryCtxRetain", "device " + index);
            device = dev;
            context = ctx;
            makeCurrent();
            int major = CudaProvider.attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
            int minor = CudaProvider.attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
            smCount = CudaProvider.attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
            long[] mem = new long[1];
            Cuda.check(JCudaDriver.cuDeviceTotalMem(mem, dev), "cuDeviceTotalMem", "device " + index);
            totalBytes = mem[0];
            deviceDescription = CudaProvider.deviceName(dev) + " (cc " + major + "." + minor + ", driver "
                    + Cuda.versionString(driverVersion) + ")";
            for (int s = 0; s < 2; s++) {
                CUstream st = new CUstream();
                Cuda.check(JCudaDriver.cuStreamCreate(st, CUstream_flags.CU_STREAM_DEFAULT), "cuStreamCreate", "");
                streams[s] = st;
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Reports something the caller should know (the {@code notes} of {@code Backends.open}). */
    void note(String message) {
        notes.accept(message);
    }

    boolean isClosed() {
        return closed;
    }

    /** Makes this context current on the calling thread. */
    void makeCurrent() {
        Cuda.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent", "CUDA device " + index);
    }

    /** Makes the context current, or throws IllegalStateException once closed. */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA backend is closed");
        }
        makeCurrent();
    }

    CUstream stream(int s) {
        return streams[s];
    }

    /** Waits for stream {@code s}; {@code after} names the work for the error message. */
    void sync(int s, String after) {
        Cuda.check(JCudaDriver.cuStreamSynchronize(streams[s]), "cuStreamSynchronize", "after " + after);
    }

    /** Waits for both streams, ignoring errors (before freeing memory the kernels may still read). */
    void synchronizeQuietly() {
        for (CUstream st : streams) {
            if (st != null) {
                JCudaDriver.cuStreamSynchronize(st);
            }
        }
    }

    /** Free device memory in bytes (cuMemGetInfo), for planning and the leak tests. */
    long freeBytes() {
        long[] free = new long[1];
        long[] total = new long[1];
        Cuda.check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo", "CUDA device " + index);
        return free[0];
    }

    /** Closes a resource of this context, turning a failure into a note (so the rest is still freed). */
    void closeQuietly(AutoCloseable resource, String what) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            note("freeing " + what + " on CUDA device " + index + " failed: " + e.getMessage());
        }
    }

    /** Destroys the streams and releases the primary context (which frees what is left on it); idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (context != null && JCudaDriver.cuCtxSetCurrent(context) != CUresult.CUDA_SUCCESS) {
            note("cuCtxSetCurrent failed while closing CUDA device " + index);
        }
        synchronizeQuietly();
        for (int s = 1; s >= 0; s--) {
            if (streams[s] != null) {
                JCudaDriver.cuStreamDestroy(streams[s]);
                streams[s] = null;
            }
        }
        if (context != null && device != null) {
            JCudaDriver.cuDevicePrimaryCtxRelease(device);
        }
        context = null;
    }
}
