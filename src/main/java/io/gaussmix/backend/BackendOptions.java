package io.gaussmix.backend;

/**
 * How to open a backend.
 *
 * @param device    device index within the backend's device list (0 = first)
 * @param precision arithmetic precision; null = the backend's default (float64 on the CPU, float32 on devices)
 * @param threads   CPU worker threads; 0 = one per available processor
 */
public record BackendOptions(int device, Precision precision, int threads) {
    public static final BackendOptions DEFAULT = new BackendOptions(0, null, 0);

    public BackendOptions {
        if (device < 0) {
            throw new IllegalArgumentException("device index must be >= 0, got " + device);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
    }

    public BackendOptions withPrecision(Precision p) {
        return new BackendOptions(device, p, threads);
    }
}
