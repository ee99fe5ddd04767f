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
            description = "Arithmetic of the per-row pass (default: float32 on devices, float64 on the CPU; float32"
                    + " on the CPU runs the full/tied products in float32, promoted to float64 where float32 cannot hold the problem).")
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
        }
        return b.backend(backend).device(device == null ? 0 : device).precision(precision).threads(threads);
    }
}
