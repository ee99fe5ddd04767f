package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.backend.DeviceException;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.Gaussian;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

/**
 * The E-step on one NVIDIA GPU through the CUDA driver API. Float32 by default (float64 on request);
 * statistics are accumulated in float64 per block and reduced in a fixed order, so repeated passes
 * are bit-identical. Confined to one thread at a time; every public entry makes the backend's
 * context (the device's primary context) current on the calling thread.
 *
 * <p>Ordering: the two streams are created blocking ({@code CU_STREAM_DEFAULT}), so the small
 * synchronous parameter uploads (legacy stream) are ordered before the kernels that read them.
 * The streaming loop uses only asynchronous calls on its two streams, so copies overlap kernels.
 */
public final class CudaBackend implements Backend {
    static final Logger LOG = Logger.getLogger(CudaBackend.class.getName());
    /** Rows per host-side conversion slice when uploading resident data. */
    private static final int UPLOAD_SLICE_ELEMENTS = 1 << 22;
    /** Device bytes for one slice of log densities on the way back to the host. */
    private static final long OUT_SLICE_BYTES = 64L << 20;

    private final Precision precision;
    private final int eb;
    private final int index;
    private final long dataBudget;
    private CUdevice device;
    private CUcontext context;
    private final CUstream[] streams = new CUstream[2];
    private CUmodule module;
    private final Map<String, CUfunction> functions = new HashMap<>();
    private int smCount;
    private long totalBytes;
    private int driverVersion;
    private String description;

    private DeviceBuffer meansBuf;
    private DeviceBuffer precBuf;
    private DeviceBuffer cstBuf;
    private DeviceBuffer partials;
    private DeviceBuffer reduced;
    private DeviceBuffer outSlice;
    private boolean closed;
    /** Tests set this to run FULL and TIED through the simple kernels (normally only for very large K). */
    boolean simpleKernelsOnly;

    /**
     * Opens device {@code index} (use {@link CudaProvider#open}, which checks availability first).
     *
     * @param dataBudget at most this many device bytes are planned for rows (tests force streaming
     *                   with a small value); Long.MAX_VALUE = the free memory
     */
    CudaBackend(int index, Precision precision, long dataBudget) {
        this.index = index;
        this.precision = precision == null ? Precision.FLOAT32 : precision;
        this.eb = this.precision == Precision.FLOAT64 ? 8 : 4;
        this.dataBudget = dataBudget;
        try {
            init(index);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void init(int index) {
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
        String name = CudaProvider.deviceName(dev);
        int major = CudaProvider.attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int minor = CudaProvider.attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        smCount = CudaProvider.attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        long[] mem = new long[1];
        Cuda.check(JCudaDriver.cuDeviceTotalMem(mem, dev), "cuDeviceTotalMem", "device " + index);
        totalBytes = mem[0];
        description = "cuda: " + name + " (cc " + major + "." + minor + ", driver "
                + Cuda.versionString(driverVersion) + "), " + precision.id();
        for (int s = 0; s < 2; s++) {
            CUstream st = new CUstream();
            Cuda.check(JCudaDriver.cuStreamCreate(st, CUstream_flags.CU_STREAM_DEFAULT), "cuStreamCreate", "");
            streams[s] = st;
        }
        loadModule();
        LOG.fine(() -> "opened " + description + ", " + smCount + " SMs");
    }

    /** JIT-compiles the bundled PTX (ISA 8.0) and looks up every kernel once. */
    private void loadModule() {
        byte[] ptx = readPtx();
        byte[] image = new byte[ptx.length + 1];   // the driver reads a NUL-terminated string
        System.arraycopy(ptx, 0, image, 0, ptx.length);
        CUmodule m = new CUmodule();
        int r = JCudaDriver.cuModuleLoadDataEx(m, Pointer.to(image), 0, new int[0], Pointer.to(new int[0]));
        if (r == CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION) {
            throw new BackendUnavailableException("CUDA driver " + Cuda.versionString(driverVersion)
                    + " too old for the bundled PTX (.version 8.0 needs CUDA 12.0+): cuModuleLoadDataEx returned "
                    + "CUDA_ERROR_UNSUPPORTED_PTX_VERSION; update the NVIDIA driver");
        }
        Cuda.check(r, "cuModuleLoadDataEx", "estep.ptx, driver " + Cuda.versionString(driverVersion));
        module = m;
        for (String name : KernelNames.all()) {
            CUfunction f = new CUfunction();
            Cuda.check(JCudaDriver.cuModuleGetFunction(f, module, name), "cuModuleGetFunction", name);
            functions.put(name, f);
        }
    }

    static byte[] readPtx() {
        try (InputStream in = CudaBackend.class.getResourceAsStream(KernelNames.PTX_RESOURCE)) {
            if (in == null) {
                throw new BackendUnavailableException("the CUDA kernels are missing from the classpath ("
                        + KernelNames.PTX_RESOURCE + "); rebuild gaussmix");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BackendUnavailableException("cannot read " + KernelNames.PTX_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public Backend reopen(Precision p) {
        return new CudaBackend(index, p, dataBudget);
    }

    @Override
    public String description() {
        return description;
    }

    boolean isClosed() {
        return closed;
    }

    /** Makes this backend's context current on the calling thread. */
    void makeCurrent() {
        Cuda.check(cuCtxSetCurrent(context), "cuCtxSetCurrent", description);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA backend is closed");
        }
        makeCurrent();
    }

    /** Free device memory in bytes (cuMemGetInfo), for planning and the leak tests. */
    long freeBytes() {
        long[] free = new long[1];
        long[] total = new long[1];
        Cuda.check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo", description);
        return free[0];
    }

    // ------------------------------------------------------------------------------------ load

    @Override
    public LoadedData load(Matrix x, double[] sampleWeights) {
        ensureOpen();
        int n = x.rows();
        int d = x.cols();
        if (sampleWeights != null && sampleWeights.length != n) {
            throw new IllegalArgumentException(sampleWeights.length + " sample weights for " + n + " rows");
        }
        double[] shift = columnMeans(x);
        double totalWeight = n;
        if (sampleWeights != null) {
            totalWeight = 0;
            for (double wv : sampleWeights) {
                totalWeight += wv;
            }
        }
        boolean weighted = sampleWeights != null;
        MemoryPlan plan;
        try {
            plan = MemoryPlan.forData(Math.min(freeBytes(), dataBudget), n, d, eb, weighted);
        } catch (IllegalStateException e) {
            throw new DeviceException(e.getMessage() + " (n=" + n + ", d=" + d + ")");
        }
        LOG.fine(() -> "memory plan " + plan + " for n=" + n + ", d=" + d);
        CudaData data = null;
        try {
            if (plan.resident()) {
                data = new CudaData(this, n, d, shift, totalWeight, weighted, true, n);
                data.x = DeviceBuffer.tryAllocate((long) n * d * eb, "rows");
                if (data.x != null && weighted) {
                    data.w = DeviceBuffer.tryAllocate((long) n * eb, "sample weights");
                }
                if (data.x != null && (!weighted || data.w != null)) {
                    uploadResident(data, x, sampleWeights);
                    return data;
                }
                data.close();   // out of memory after all: stream instead
                data = null;
            }
            long chunk = plan.resident() ? MemoryPlan.shrink(Math.max(n, MemoryPlan.CHUNK_ALIGN * 2L)) : plan.chunkRows();
            chunk = Math.min(chunk, MemoryPlan.MAX_CHUNK_BYTES / plan.bytesPerRow() / MemoryPlan.CHUNK_ALIGN
                    * MemoryPlan.CHUNK_ALIGN);
            while (true) {
                if (chunk <= 0) {
                    throw new DeviceException("cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY (streaming buffers for n="
                            + n + ", d=" + d + " do not fit even at " + MemoryPlan.CHUNK_ALIGN + " rows per chunk)");
                }
                data = new CudaData(this, n, d, shift, totalWeight, weighted, false, Math.min(chunk, Math.max(n, 1)));
                if (allocateStreaming(data)) {
                    fillHost(data, x, sampleWeights);
                    return data;
                }
                data.close();
                data = null;
                chunk = MemoryPlan.shrink(chunk);
            }
        } catch (RuntimeException e) {
            if (data != null) {
                data.close();
            }
            throw e;
        }
    }

    private static double[] columnMeans(Matrix x) {
        int n = x.rows();
        int d = x.cols();
        double[] m = new double[d];
        double[] a = x.data();
        for (int r = 0; r < n; r++) {
            int o = r * d;
            for (int j = 0; j < d; j++) {
                m[j] += a[o + j];
            }
        }
        for (int j = 0; j < d; j++) {
            m[j] = n == 0 ? 0 : m[j] / n;
        }
        return m;
    }

    /** Converts (shifted, to the device precision) and uploads in slices, never holding a full copy. */
    private void uploadResident(CudaData data, Matrix x, double[] weights) {
        double[] a = x.data();
        int d = data.d;
        int sliceRows = Math.max(1, UPLOAD_SLICE_ELEMENTS / d);
        for (int r0 = 0; r0 < data.n; r0 += sliceRows) {
            int rows = Math.min(sliceRows, data.n - r0);
            int from = r0 * d;
            int len = rows * d;
            Pointer src = eb == 4 ? Pointer.to(shifted32(a, from, len, d, data.shift))
                    : Pointer.to(shifted64(a, from, len, d, data.shift));
            Cuda.check(cuMemcpyHtoD(data.x.at((long) from * eb), src, (long) len * eb), "cuMemcpyHtoD",
                    "rows " + r0 + ".." + (r0 + rows) + " of " + data.n);
        }
        if (weights != null && data.n > 0) {
            Pointer src = eb == 4 ? Pointer.to(toFloat(weights)) : Pointer.to(weights);
            Cuda.check(cuMemcpyHtoD(data.w.ptr, src, (long) data.n * eb), "cuMemcpyHtoD", "sample weights");
        }
    }

    private static float[] shifted32(double[] a, int from, int len, int d, double[] shift) {
        float[] f = new float[len];
        for (int i = 0; i < len; i++) {
            f[i] = (float) (a[from + i] - shift[(from + i) % d]);
        }
        return f;
    }

    private static double[] shifted64(double[] a, int from, int len, int d, double[] shift) {
        double[] f = new double[len];
        for (int i = 0; i < len; i++) {
            f[i] = a[from + i] - shift[(from + i) % d];
        }
        return f;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /** Two pinned staging buffers and two device chunk buffers per array; false on out-of-memory. */
    private boolean allocateStreaming(CudaData data) {
        long rowBytes = (long) data.d * eb;
        for (int s = 0; s < 2; s++) {
            data.chunkX[s] = DeviceBuffer.tryAllocate(data.chunkRows * rowBytes, "row chunk " + s);
            data.pinnedX[s] = data.chunkX[s] == null ? null : PinnedBuffer.tryAllocate(data.chunkRows * rowBytes, "row staging " + s);
            if (data.pinnedX[s] == null) {
                return false;
            }
            if (data.weighted) {
                data.chunkW[s] = DeviceBuffer.tryAllocate(data.chunkRows * eb, "weight chunk " + s);
                data.pinnedW[s] = data.chunkW[s] == null ? null : PinnedBuffer.tryAllocate(data.chunkRows * eb, "weight staging " + s);
                if (data.pinnedW[s] == null) {
                    return false;
                }
            }
        }
        return true;
    }

    private void fillHost(CudaData data, Matrix x, double[] weights) {
        double[] a = x.data();
        if (eb == 4) {
            data.hostXf = shifted32(a, 0, a.length, data.d, data.shift);
            data.hostWf = weights == null ? null : toFloat(weights);
        } else {
            data.hostXd = shifted64(a, 0, a.length, data.d, data.shift);
            data.hostWd = weights == null ? null : weights.clone();
        }
    }

    // ------------------------------------------------------------------------------ parameters

    /** Uploads means (shifted like the rows), precision factors and per-component constants. */
    private void uploadParams(MixtureParams p, double[] shift) {
        int k = p.components();
        int d = p.dimensions();
        double[] mu = new double[k * d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                mu[c * d + j] = p.means()[c * d + j] - shift[j];
            }
        }
        double[] cst = new double[k];
        for (int c = 0; c < k; c++) {
            cst[c] = p.logWeights()[c] + p.logDetPrecChol()[c] - 0.5 * d * Gaussian.LOG_2PI;
        }
        meansBuf = upload(meansBuf, mu, eb, "means");
        precBuf = upload(precBuf, p.precisionCholesky(), eb, "precision factors");
        cstBuf = upload(cstBuf, cst, 8, "log constants");
    }

    /** Copies values (as float32 when elementBytes is 4) into buf, growing it when too small. */
    private static DeviceBuffer upload(DeviceBuffer buf, double[] values, int elementBytes, String what) {
        long bytes = (long) values.length * elementBytes;
        buf = ensure(buf, bytes, what);
        Pointer src = elementBytes == 4 ? Pointer.to(toFloat(values)) : Pointer.to(values);
        Cuda.check(cuMemcpyHtoD(buf.ptr, src, bytes), "cuMemcpyHtoD", what + ", " + bytes + " bytes");
        return buf;
    }

    private static DeviceBuffer ensure(DeviceBuffer buf, long bytes, String what) {
        if (buf != null && buf.bytes >= bytes) {
            return buf;
        }
        if (buf != null) {
            buf.close();
        }
        return DeviceBuffer.allocate(bytes, what);
    }

    private CudaData own(LoadedData data, MixtureParams p) {
        if (!(data instanceof CudaData) || ((CudaData) data).owner != this) {
            throw new IllegalArgumentException("data was not loaded by this CUDA backend");
        }
        CudaData dd = (CudaData) data;
        if (dd.isClosed()) {
            throw new IllegalStateException("the loaded data is closed");
        }
        if (p.dimensions() != dd.d) {
            throw new IllegalArgumentException("parameters have D=" + p.dimensions() + " but the data has " + dd.d + " columns");
        }
        long kdd = (long) p.components() * p.dimensions() * p.dimensions();
        if (kdd > Integer.MAX_VALUE / 2) {
            throw new DeviceException("K*D*D = " + kdd + " is too large for the CUDA kernels (int indexing)");
        }
        return dd;
    }

    // -------------------------------------------------------------------------------- the pass

    /** The kernel choice and launch shape of one fused pass. */
    private final class Pass {
        final CovarianceType type;
        final int k;
        final int d;
        final boolean tiled;
        final int tileRows;
        final int shared;
        final int threads;
        final String kernel;
        final int stride;
        int blocks;

        Pass(MixtureParams p) {
            type = CovarianceType.of(p.type());
            k = p.components();
            d = p.dimensions();
            int superRows = LaunchConfig.tiledSuperRows(k, eb);
            boolean square = type == CovarianceType.FULL || type == CovarianceType.TIED;
            tiled = square && superRows >= LaunchConfig.TILE_ROWS && !simpleKernelsOnly;
            if (tiled) {
                tileRows = superRows;
                shared = superRows * k * eb;
                threads = LaunchConfig.TILED_THREADS;
                kernel = KernelNames.tiledPass(precision);
            } else {
                tileRows = LaunchConfig.simpleTileRows(d, k, eb);
                if (tileRows < 1) {
                    throw new DeviceException("D=" + d + " and K=" + k + " need more shared memory per row than the CUDA kernels allow");
                }
                shared = tileRows * (d + k) * eb;
                threads = LaunchConfig.SIMPLE_THREADS;
                kernel = KernelNames.pass(type, precision);
            }
            stride = Math.toIntExact(LaunchConfig.stride(type, k, d));
        }

        String context(long n) {
            return "n=" + n + ", d=" + d + ", k=" + k + ", " + type.id() + ", " + precision.id();
        }

        void launch(CUstream stream, CUdeviceptr x, CUdeviceptr w, long n, CUdeviceptr partialSet) {
            Pointer wArg = Pointer.to(w == null ? new CUdeviceptr() : w);   // NULL = unit weights
            Pointer params;
            if (tiled) {
                long uStride = type == CovarianceType.FULL ? (long) d * d : 0L;
                params = Pointer.to(Pointer.to(x), Pointer.to(new long[] {n}), Pointer.to(new int[] {d}),
                        Pointer.to(new int[] {k}), wArg, meansBuf.arg(), precBuf.arg(), Pointer.to(new long[] {uStride}),
                        cstBuf.arg(), Pointer.to(new int[] {tileRows}), Pointer.to(partialSet), Pointer.to(new int[] {stride}));
            } else {
                params = Pointer.to(Pointer.to(x), Pointer.to(new long[] {n}), Pointer.to(new int[] {d}),
                        Pointer.to(new int[] {k}), wArg, meansBuf.arg(), precBuf.arg(), cstBuf.arg(),
                        Pointer.to(new int[] {tileRows}), Pointer.to(partialSet), Pointer.to(new int[] {stride}));
            }
            Cuda.check(cuLaunchKernel(function(kernel), blocks, 1, 1, threads, 1, 1, shared, stream, params, null),
                    "cuLaunchKernel(" + kernel + ")", context(n));
        }
    }

    private CUfunction function(String name) {
        CUfunction f = functions.get(name);
        if (f == null) {
            throw new DeviceException("kernel " + name + " is not in estep.ptx");
        }
        return f;
    }

    @Override
    public SufficientStats accumulate(LoadedData data, MixtureParams params) {
        ensureOpen();
        CudaData dd = own(data, params);
        Pass pass = new Pass(params);
        uploadParams(params, dd.shift);
        int sets = dd.resident ? 1 : 2;
        int wanted = smCount * (pass.tiled ? 2 : 4);
        // From the total (not the free) memory: the grid, and so the summation order, must not
        // change between passes, or repeated passes would stop being bit-identical.
        pass.blocks = MemoryPlan.partialBlocks(totalBytes / 2, wanted, pass.stride, sets);
        long setBytes = (long) pass.blocks * pass.stride * 8;
        partials = ensure(partials, setBytes * sets, "partial statistics");
        reduced = ensure(reduced, (long) pass.stride * 8, "reduced statistics");
        Cuda.check(JCudaDriver.cuMemsetD32Async(partials.ptr, 0, setBytes * sets / 4, streams[0]),
                "cuMemsetD32Async", "partials, " + setBytes * sets + " bytes");
        if (dd.resident) {
            pass.launch(streams[0], dd.x.ptr, dd.w == null ? null : dd.w.ptr, dd.n, partials.ptr);
        } else {
            // Set 1 is zeroed on stream 0 but first used on stream 1: wait for the memset.
            sync(0, pass.kernel);
            long chunk = dd.chunkRows;
            long i = 0;
            for (long off = 0; off < dd.n; off += chunk, i++) {
                int s = (int) (i & 1);
                long rows = Math.min(chunk, dd.n - off);
                sync(s, pass.kernel);   // the chunk before on this stream no longer needs its buffers
                dd.stage(s, off, rows);
                Cuda.check(cuMemcpyHtoDAsync(dd.chunkX[s].ptr, dd.pinnedX[s].ptr, rows * dd.d * eb, streams[s]),
                        "cuMemcpyHtoDAsync", "rows " + off + ".." + (off + rows));
                if (dd.weighted) {
                    Cuda.check(cuMemcpyHtoDAsync(dd.chunkW[s].ptr, dd.pinnedW[s].ptr, rows * eb, streams[s]),
                            "cuMemcpyHtoDAsync", "weights " + off + ".." + (off + rows));
                }
                pass.launch(streams[s], dd.chunkX[s].ptr, dd.weighted ? dd.chunkW[s].ptr : null, rows,
                        partials.at(s * setBytes));
            }
            sync(1, pass.kernel);
        }
        sync(0, pass.kernel);
        int count = pass.blocks * sets;
        Pointer args = Pointer.to(partials.arg(), Pointer.to(new int[] {count}), Pointer.to(new int[] {pass.stride}),
                reduced.arg());
        int grid = (pass.stride + LaunchConfig.REDUCE_THREADS - 1) / LaunchConfig.REDUCE_THREADS;
        Cuda.check(cuLaunchKernel(function(KernelNames.REDUCE), grid, 1, 1, LaunchConfig.REDUCE_THREADS, 1, 1, 0,
                streams[0], args, null), "cuLaunchKernel(" + KernelNames.REDUCE + ")", "partials=" + count
                + ", stride=" + pass.stride);
        sync(0, KernelNames.REDUCE);
        double[] r = new double[pass.stride];
        Cuda.check(cuMemcpyDtoH(Pointer.to(r), reduced.ptr, (long) pass.stride * 8), "cuMemcpyDtoH", "statistics");
        return toStats(r, pass, dd.totalWeight);
    }

    private static SufficientStats toStats(double[] r, Pass pass, double totalWeight) {
        int k = pass.k;
        int d = pass.d;
        SufficientStats s = new SufficientStats(pass.type, k, d);
        s.logLikelihood = r[0];
        s.totalWeight = totalWeight;
        System.arraycopy(r, 1, s.nk, 0, k);
        System.arraycopy(r, 1 + k, s.sumDiff, 0, k * d);
        System.arraycopy(r, 1 + k + k * d, s.sumSq, 0, s.sumSq.length);
        if (s.sumSq.length != k * d) {
            // The kernels fill the upper triangles only.
            for (int c = 0; c < k; c++) {
                int base = c * d * d;
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < i; j++) {
                        s.sumSq[base + i * d + j] = s.sumSq[base + j * d + i];
                    }
                }
            }
        }
        return s;
    }

    private void sync(int s, String after) {
        Cuda.check(cuStreamSynchronize(streams[s]), "cuStreamSynchronize", "after " + after);
    }

    void synchronizeQuietly() {
        for (CUstream st : streams) {
            if (st != null) {
                cuStreamSynchronize(st);
            }
        }
    }

    // --------------------------------------------------------------------------- log densities

    @Override
    public void logDensities(LoadedData data, MixtureParams params, double[] out) {
        ensureOpen();
        CudaData dd = own(data, params);
        int k = params.components();
        int d = params.dimensions();
        if (out.length != (long) dd.n * k) {
            throw new IllegalArgumentException("out has " + out.length + " values, expected N*K = " + dd.n + "*" + k);
        }
        uploadParams(params, dd.shift);
        int tileRows = LaunchConfig.simpleTileRows(d, k, eb);
        if (tileRows < 1) {
            throw new DeviceException("D=" + d + " and K=" + k + " need more shared memory per row than the CUDA kernels allow");
        }
        String kernel = KernelNames.logDensities(CovarianceType.of(params.type()), precision);
        long sliceRows = Math.max(1, Math.min(Math.max(dd.n, 1), OUT_SLICE_BYTES / (8L * k)));
        outSlice = ensure(outSlice, sliceRows * k * 8, "log-density slice");
        if (dd.resident) {
            logDensityRange(kernel, dd.x, 0, dd.n, sliceRows, tileRows, d, k, out);
            return;
        }
        for (long off = 0; off < dd.n; off += dd.chunkRows) {
            long rows = Math.min(dd.chunkRows, dd.n - off);
            sync(0, kernel);
            dd.stage(0, off, rows);
            Cuda.check(cuMemcpyHtoDAsync(dd.chunkX[0].ptr, dd.pinnedX[0].ptr, rows * d * eb, streams[0]),
                    "cuMemcpyHtoDAsync", "rows " + off + ".." + (off + rows));
            logDensityRange(kernel, dd.chunkX[0], off, rows, sliceRows, tileRows, d, k, out);
        }
    }

    /** Log densities of the first {@code rows} rows of x (global rows from globalRow0), slice by slice into out. */
    private void logDensityRange(String kernel, DeviceBuffer x, long globalRow0, long rows, long sliceRows,
                                 int tileRows, int d, int k, double[] out) {
        for (long r0 = 0; r0 < rows; r0 += sliceRows) {
            long n = Math.min(sliceRows, rows - r0);
            long tiles = (n + tileRows - 1) / tileRows;
            int grid = (int) Math.max(1, Math.min(tiles, (long) smCount * 8));
            Pointer params = Pointer.to(Pointer.to(x.at(r0 * d * eb)), Pointer.to(new long[] {n}),
                    Pointer.to(new int[] {d}), Pointer.to(new int[] {k}), meansBuf.arg(), precBuf.arg(), cstBuf.arg(),
                    Pointer.to(new int[] {tileRows}), outSlice.arg());
            Cuda.check(cuLaunchKernel(function(kernel), grid, 1, 1, LaunchConfig.SIMPLE_THREADS, 1, 1,
                    tileRows * (d + k) * eb, streams[0], params, null), "cuLaunchKernel(" + kernel + ")",
                    "n=" + n + ", d=" + d + ", k=" + k);
            sync(0, kernel);
            long dst = (globalRow0 + r0) * k * 8;
            Cuda.check(cuMemcpyDtoH(Pointer.to(out).withByteOffset(dst), outSlice.ptr, n * k * 8), "cuMemcpyDtoH",
                    "log densities of rows " + (globalRow0 + r0) + ".." + (globalRow0 + r0 + n));
        }
    }

    // ----------------------------------------------------------------------------------- close

    /** Frees everything in reverse order of creation and releases the primary context; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (context == null) {
            releaseDevice();
            return;
        }
        if (cuCtxSetCurrent(context) != CUresult.CUDA_SUCCESS) {
            LOG.warning("cuCtxSetCurrent failed while closing " + description);
        }
        synchronizeQuietly();
        DeviceBuffer[] buffers = {outSlice, reduced, partials, cstBuf, precBuf, meansBuf};
        for (DeviceBuffer b : buffers) {
            if (b != null) {
                b.close();
            }
        }
        outSlice = reduced = partials = cstBuf = precBuf = meansBuf = null;
        if (module != null) {
            JCudaDriver.cuModuleUnload(module);
            module = null;
        }
        functions.clear();
        for (int s = 1; s >= 0; s--) {
            if (streams[s] != null) {
                JCudaDriver.cuStreamDestroy(streams[s]);
                streams[s] = null;
            }
        }
        releaseDevice();
    }

    private void releaseDevice() {
        if (context != null && device != null) {
            JCudaDriver.cuDevicePrimaryCtxRelease(device);
        }
        context = null;
    }
}
