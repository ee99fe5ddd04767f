package io.gaussmix.backend.cpu;

import io.gaussmix.BackendType;
import io.gaussmix.backend.Availability;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.BackendProvider;

import java.util.List;

/** The CPU backend is always available. */
public final class CpuProvider implements BackendProvider {
    @Override
    public BackendType type() {
        return BackendType.CPU;
    }

    @Override
    public Availability availability() {
        int cores = Runtime.getRuntime().availableProcessors();
        return Availability.available(List.of("cpu: " + cores + " hardware threads, float64, "
                + (CpuBackend.VECTOR_DEFAULT ? "Vector API kernels (float32 on request)"
                : "plain-Java kernels (start the JVM with --add-modules jdk.incubator.vector for the faster ones)")),
                false);
    }

    @Override
    public Backend open(BackendOptions options) {
        return new CpuBackend(options.threads(), options.precision());
    }
}
