package io.gaussmix.backend;

import io.gaussmix.BackendType;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * The registry of backend providers and the AUTO selection policy. The providers are found with
 * {@link ServiceLoader} ({@code META-INF/services/io.gaussmix.backend.BackendProvider}), so this
 * package does not import its implementations; loading a provider touches no native code.
 */
public final class Backends {
    /** AUTO's order of preference. */
    private static final List<BackendType> AUTO_ORDER = List.of(BackendType.CUDA, BackendType.OPENCL, BackendType.CPU);
    private static final List<BackendProvider> PROVIDERS = load();

    private Backends() {
    }

    private static List<BackendProvider> load() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(found::add);
        List<BackendProvider> ordered = new ArrayList<>();
        for (BackendType t : AUTO_ORDER) {
            found.stream().filter(p -> p.type() == t).findFirst().ifPresent(ordered::add);
        }
        return List.copyOf(ordered);
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
     * The opened backend reports to {@code notes} as well (streaming plans, fallbacks).
     */
    public static Backend open(BackendType type, BackendOptions options, Consumer<String> notes) {
        if (type != BackendType.AUTO) {
            BackendProvider p = provider(type);
            Availability a = p.availability();
            if (!a.available()) {
                throw new BackendUnavailableException("backend '" + type.id() + "' is unavailable: " + a.reason());
            }
            return p.open(options, notes);
        }
        for (BackendProvider p : PROVIDERS) {
            if (p.type() == BackendType.CPU) {
                return p.open(options, notes);
            }
            Availability a = p.availability();
            if (!a.available()) {
                notes.accept("skipped backend " + p.type().id() + ": " + a.reason());
            } else if (p.type() == BackendType.OPENCL && !a.hasGpu()) {
                notes.accept("skipped backend opencl: no OpenCL GPU (only " + String.join("; ", a.devices()) + ")");
            } else {
                return p.openForAuto(options, notes);
            }
        }
        throw new IllegalStateException("no CPU provider registered");
    }
}
