package io.gaussmix.backend.cuda;

import io.gaussmix.BackendType;
import io.gaussmix.backend.Availability;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.BackendProvider;
import io.gaussmix.backend.BackendUnavailableException;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The CUDA backend's provider. {@link #availability()} probes the driver once per JVM (cached) and
 * never throws: without {@code libcuda.so.1} the first touch of JCuda throws an
 * {@code UnsatisfiedLinkError} and every later one a {@code NoClassDefFoundError}, so the probe
 * catches {@link LinkageError} once and remembers the reason.
 */
public final class CudaProvider implements BackendProvider {
    /** The bundled PTX is ISA 8.0: CUDA 12.0 drivers and newer can JIT it. */
    static final int MIN_DRIVER_VERSION = 12000;

    private static Availability cached;

    @Override
    public BackendType type() {
        return BackendType.CUDA;
    }

    @Override
    public Availability availability() {
        synchronized (CudaProvider.class) {
            if (cached == null) {
                cached = probe();
            }
            return cached;
        }
    }

    @Override
    public Backend open(BackendOptions options) {
        return open(options, note -> { });
    }

    @Override
    public Backend open(BackendOptions options, Consumer<String> notes) {
        Availability a = availability();
        if (!a.available()) {
            throw new BackendUnavailableException("CUDA is unavailable: " + a.reason());
        }
        if (options.device() >= a.devices().size()) {
            throw new BackendUnavailableException("CUDA device " + options.device() + " does not exist ("
                    + a.devices().size() + " devices: " + String.join("; ", a.devices()) + ")");
        }
        return new CudaBackend(options.device(), options.precision(), Long.MAX_VALUE, notes);
    }

    private static Availability probe() {
        try {
            int r = JCudaDriver.cuInit(0);
            if (r == CUresult.CUDA_ERROR_NO_DEVICE) {
                return Availability.unavailable("no CUDA device: cuInit returned CUDA_ERROR_NO_DEVICE");
            }
            if (r != CUresult.CUDA_SUCCESS) {
                return Availability.unavailable("cuInit failed: " + Cuda.errorName(r)
                        + " (is the NVIDIA driver installed and the GPU visible?)");
            }
            int[] v = new int[1];
            Cuda.check(JCudaDriver.cuDriverGetVersion(v), "cuDriverGetVersion", "");
            if (v[0] < MIN_DRIVER_VERSION) {
                return Availability.unavailable("driver " + Cuda.versionString(v[0])
                        + " too old for the bundled PTX (needs CUDA 12.0+)");
            }
            int[] count = new int[1];
            Cuda.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount", "");
            if (count[0] == 0) {
                return Availability.unavailable("no CUDA device: cuDeviceGetCount returned 0");
            }
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                CUdevice dev = new CUdevice();
                Cuda.check(JCudaDriver.cuDeviceGet(dev, i), "cuDeviceGet", "device " + i);
                long[] mem = new long[1];
                Cuda.check(JCudaDriver.cuDeviceTotalMem(mem, dev), "cuDeviceTotalMem", "device " + i);
                lines.add(String.format(Locale.ROOT, "%s, %.1f GiB, cc %d.%d, driver %s", deviceName(dev),
                        mem[0] / (double) (1L << 30),
                        attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                        attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                        Cuda.versionString(v[0])));
            }
            return Availability.available(lines, true);
        } catch (LinkageError e) {
            return Availability.unavailable(linkageReason(e));
        } catch (RuntimeException e) {
            return Availability.unavailable("CUDA probe failed: " + e.getMessage());
        }
    }

    /** One line from JCuda's multi-line native-loading error. */
    static String linkageReason(LinkageError e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        String text = all.toString();
        if (text.contains("libcuda.so") || e instanceof NoClassDefFoundError) {
            return "no NVIDIA driver: libcuda.so.1 not found";
        }
        String first = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return "JCuda's native library failed to load: " + first + " (java.io.tmpdir must be writable)";
    }

    static String deviceName(CUdevice dev) {
        byte[] name = new byte[256];
        Cuda.check(JCudaDriver.cuDeviceGetName(name, name.length, dev), "cuDeviceGetName", "");
        int len = 0;
        while (len < name.length && name[len] != 0) {
            len++;
        }
        return new String(name, 0, len, StandardCharsets.US_ASCII);
    }

    static int attribute(CUdevice dev, int attribute) {
        int[] v = new int[1];
        Cuda.check(JCudaDriver.cuDeviceGetAttribute(v, attribute, dev), "cuDeviceGetAttribute", "attribute " + attribute);
        return v[0];
    }
}
