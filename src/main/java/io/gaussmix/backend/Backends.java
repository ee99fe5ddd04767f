package io.gaussmix.backend;

import io.gaussmix.BackendType;
import io.gaussmix.backend.cpu.CpuProvider;
import io.gaussmix.backend.cuda.CudaProvider;
import io.gaussmix.backend.opencl.OpenClProvider;

import java.util.List;
import java.util.function.Consumer;

/** The registry of backend providers and the AUTO selection policy. */
public final class Backends {
    /** In AUTO's order of preference. The device providers touch no native code until probed. */
    private static final List<BackendProvider> PROVIDERS = List.of(new CudaProvider(), new OpenClProvider(), new CpuProvider());

    private Backends() {
    }

    /** Every provider, in AUTO's order of preference. */
    public static List<BackendProvider> providers() {
        return PROVIDERS;
    }

    public static BackendProvider provider(BackendType type) {
        for (BackendProvider p : PROVIDERS) {
            if (p.type() == type) {
                return p;
            }
        }
        throw new BackendUnavailableException("backend '" + type.id() + "' is not built into this version of gaussmix");
    }

    /**
     * Opens the requested backend. An explicit type fails fast with the reason when it cannot run;
     * AUTO takes CUDA, then an OpenCL GPU, then the CPU, and reports one note per skipped backend.
     */
    public static Backend open(BackendType type, BackendOptions options, Consumer<String> notes) {
        if (type != BackendType.AUTO) {
            BackendProvider p = provider(type);
            Availability a = p.availability();
            if (!a.available()) {
                throw new BackendUnavailableException("backend '" + type.id() + "' is unavailable: " + a.reason());
            }
            return p.open(options);
        }
        for (BackendProvider p : PROVIDERS) {
            if (p.type() == BackendType.CPU) {
                return p.open(options);
            }
            Availability a = p.availability();
            if (!a.available()) {
                notes.accept("skipped backend " + p.type().id() + ": " + a.reason());
            } else if (p.type() == BackendType.OPENCL && !a.hasGpu()) {
                notes.accept("skipped backend opencl: no OpenCL GPU (only " + String.join("; ", a.devices()) + ")");
            } else {
                return p.openForAuto(options);
            }
        }
        throw new IllegalStateException("no CPU provider registered");
    }
}
