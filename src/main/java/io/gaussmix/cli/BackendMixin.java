package io.gaussmix.cli;

import io.gaussmix.BackendType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.backend.Precision;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options that choose where a fit runs: {@code --backend}, {@code --device}, {@code --precision}, {@code --threads}. */
public final class BackendMixin {
    @Option(names = "--backend", paramLabel = "auto|cpu|opencl|cuda", defaultValue = "auto",
            description = "Where the EM work runs (default: ${DEFAULT-VALUE}: CUDA, then an OpenCL GPU, then the CPU).")
    BackendType backend;

    @Option(names = "--device", paramLabel = "N",
            description = "Device index for OpenCL/CUDA (default: 0; see 'gaussmix devices'). Not with --backend cpu.")
    Integer device;

    @Option(names = "--precision", paramLabel = "float32|float64",
            description = "Device arithmetic (default: float32 on devices; the CPU always uses float64).")
    Precision precision;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "CPU worker threads (default: 0 = one per processor).")
    int threads;

    /**
     * Applies these options to {@code b}; the builder validates them (IllegalArgumentException).
     *
     * @throws CommandLine.ParameterException for a device setting given with {@code --backend cpu}, which
     *                                        would otherwise be ignored without a word
     */
    GaussianMixture.Builder apply(GaussianMixture.Builder b, CommandLine cl) {
        if (backend == BackendType.CPU) {
            if (device != null && device != 0) {
                throw new CommandLine.ParameterException(cl, "--device " + device
                        + " selects an OpenCL/CUDA device; the cpu backend has none (drop it or choose --backend opencl|cuda)");
            }
            if (precision == Precision.FLOAT32) {
                throw new CommandLine.ParameterException(cl, "--precision float32 applies to the OpenCL/CUDA backends;"
                        + " the cpu backend always computes in float64 (drop it or choose --backend opencl|cuda)");
            }
        }
        return b.backend(backend).device(device == null ? 0 : device).precision(precision).threads(threads);
    }
}
