package io.gaussmix.cli;

import io.gaussmix.BackendType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.backend.Precision;
import picocli.CommandLine.Option;

/** The options that choose where a fit runs: {@code --backend}, {@code --device}, {@code --precision}, {@code --threads}. */
public final class BackendMixin {
    @Option(names = "--backend", paramLabel = "auto|cpu|opencl|cuda", defaultValue = "auto",
            description = "Where the EM work runs (default: ${DEFAULT-VALUE}: CUDA, then an OpenCL GPU, then the CPU).")
    BackendType backend;

    @Option(names = "--device", paramLabel = "N", defaultValue = "0",
            description = "Device index for OpenCL/CUDA (default: ${DEFAULT-VALUE}; see 'gaussmix devices').")
    int device;

    @Option(names = "--precision", paramLabel = "float32|float64",
            description = "Device arithmetic (default: float32 on devices; the CPU always uses float64).")
    Precision precision;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "CPU worker threads (default: 0 = one per processor).")
    int threads;

    /** Applies these options to {@code b}; the builder validates them (IllegalArgumentException). */
    GaussianMixture.Builder apply(GaussianMixture.Builder b) {
        return b.backend(backend).device(device).precision(precision).threads(threads);
    }
}
