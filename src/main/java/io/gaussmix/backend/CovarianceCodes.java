package io.gaussmix.backend;

import io.gaussmix.CovarianceType;
import io.gaussmix.math.CovarianceKind;

/**
 * The integer each device kernel uses for a covariance type: {@code COV_*} in
 * {@code kernels/opencl/estep.cl} and {@code kernels/cuda/estep_common.cuh}. Written out rather
 * than taken from {@code ordinal()}, so reordering the enum cannot silently change what the
 * kernels compute; {@code KernelConstantsTest} reads both sources and checks them against this.
 */
public final class CovarianceCodes {
    public static final int FULL = 0;
    public static final int TIED = 1;
    public static final int DIAG = 2;
    public static final int SPHERICAL = 3;

    private CovarianceCodes() {
    }

    public static int of(CovarianceKind kind) {
        switch (CovarianceType.of(kind)) {
            case FULL: return FULL;
            case TIED: return TIED;
            case DIAG: return DIAG;
            case SPHERICAL: return SPHERICAL;
            default: throw new IllegalArgumentException("no kernel code for covariance type " + kind);
        }
    }
}
