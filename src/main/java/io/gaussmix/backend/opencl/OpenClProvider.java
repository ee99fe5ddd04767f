package io.gaussmix.backend.opencl;

import io.gaussmix.BackendType;
import io.gaussmix.backend.Availability;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.BackendProvider;
import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.backend.Precision;
import io.gaussmix.backend.SignalChaining;
import org.jocl.CL;
import org.jocl.CLException;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Provides the OpenCL backend. The first {@link #availability()} loads JOCL and lists every device
 * of every platform (the index of {@link BackendOptions#device()} counts over that list); the result
 * is cached, and a missing native library or OpenCL driver makes it "unavailable", never an exception.
 * On Linux {@link OpenClLibrary} loads {@code libOpenCL.so.1} first, so that JOCL never prints its
 * own loading failures.
 */
public final class OpenClProvider implements BackendProvider {
    private Availability availability;
    private List<ClDevice> devices = List.of();

    @Override
    public BackendType type() {
        return BackendType.OPENCL;
    }

    @Override
    public synchronized Availability availability() {
        if (availability == null) {
            availability = probe();
        }
        return availability;
    }

    private Availability probe() {
        String missing = OpenClLibrary.preload();
        if (missing != null) {
            return Availability.unavailable(missing + "; install an OpenCL driver (an ICD, e.g. pocl-opencl-icd) and "
                    + OpenClLibrary.SONAME);
        }
        try {
            List<ClDevice> found = ClDevice.all();
            if (found.isEmpty()) {
                return Availability.unavailable("OpenCL platforms are installed but expose no device");
            }
            devices = found;
            List<String> lines = new ArrayList<>();
            boolean gpu = false;
            for (ClDevice d : found) {
                lines.add(d.summary());
                gpu |= d.gpu();
            }
            return Availability.available(lines, gpu);
        } catch (LinkageError e) {
            return Availability.unavailable("the OpenCL library could not be loaded (" + e.getMessage()
                    + "); install an OpenCL driver (an ICD, e.g. pocl-opencl-icd) and libOpenCL.so.1");
        } catch (ClCallException e) {
            return Availability.unavailable(noPlatform(e.code()) ? noPlatformReason() : e.getMessage());
        } catch (RuntimeException e) {
            // Not a catch clause for CLException: the verifier would load that class with this one, and a
            // library user without JOCL on the class path could not even construct this provider.
            if (e instanceof CLException cl) {
                return Availability.unavailable(noPlatform(cl.getStatus()) ? noPlatformReason() : cl.getMessage());
            }
            return Availability.unavailable("probing OpenCL failed: " + e);
        }
    }

    private static boolean noPlatform(int code) {
        return code == CL.CL_PLATFORM_NOT_FOUND_KHR;
    }

    private static String noPlatformReason() {
        return "no OpenCL platform found (CL_PLATFORM_NOT_FOUND_KHR); install an OpenCL driver (ICD)";
    }

    /** The index of the first GPU among all devices, which AUTO should use; empty when there is none. */
    public OptionalInt firstGpu() {
        availability();
        for (ClDevice d : devices) {
            if (d.gpu()) {
                return OptionalInt.of(d.index());
            }
        }
        return OptionalInt.empty();
    }

    /** AUTO opens the first GPU, whatever its index. */
    @Override
    public Backend openForAuto(BackendOptions options, Consumer<String> notes) {
        return open(new BackendOptions(firstGpu().orElse(options.device()), options.precision(), options.threads()),
                notes);
    }

    @Override
    public Backend open(BackendOptions options) {
        return open(options, note -> { });
    }

    /** Opens device {@code options.device()} in float32 unless float64 is requested. */
    @Override
    public Backend open(BackendOptions options, Consumer<String> notes) {
        Availability a = availability();
        if (!a.available()) {
            throw new BackendUnavailableException("OpenCL is unavailable: " + a.reason());
        }
        if (options.device() >= devices.size()) {
            throw new BackendUnavailableException("OpenCL device " + options.device() + " does not exist; there are "
                    + devices.size() + ": " + String.join("; ", a.devices()));
        }
        Precision precision = options.precision() == null ? Precision.FLOAT32 : options.precision();
        if (SignalChaining.missing()) {
            // See SignalChaining: an OpenCL compiler may replace the JVM's signal handlers.
            notes.accept("the OpenCL backend runs without the JVM's signal chaining: an OpenCL compiler that "
                    + "installs signal handlers (PoCL's LLVM does) can crash this JVM; start it with LD_PRELOAD="
                    + SignalChaining.library() + " (bin/gaussmix and the gaussmix CLI do)");
        }
        return OpenClBackend.open(devices.get(options.device()), precision, notes);
    }

    /** The device with that index (for tests and tools in this package). */
    ClDevice device(int index) {
        availability();
        return devices.get(index);
    }
}
