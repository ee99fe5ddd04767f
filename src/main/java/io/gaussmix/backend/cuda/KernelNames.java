package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Precision;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel entry names in {@code estep.ptx}: {@code gmm_<kernel>_<type>_<f32|f64>}, and
 * {@code gmm_pass_triangular_tiled_<f32|f64>} and {@code gmm_pass_triangular_tiled2_f32} for FULL and TIED.
 * Pure strings (no JCuda), so CPU-only tests can check the PTX against them.
 */
final class KernelNames {
    /** Classpath location of the PTX, where the build copies {@code kernels/cuda/estep.ptx}. */
    static final String PTX_RESOURCE = "/io/gaussmix/kernels/cuda/estep.ptx";
    static final String REDUCE = "gmm_reduce_partials";

    private KernelNames() {
    }

    static String suffix(Precision p) {
        return p == Precision.FLOAT64 ? "f64" : "f32";
    }

    /** The straightforward fused pass (every covariance type). */
    static String pass(CovarianceType type, Precision p) {
        return "gmm_pass_" + type.id() + "_" + suffix(p);
    }

    /**
     * The GEMM-tiled fused pass for the two types with a triangular precision factor, FULL and TIED
     * (TIED passes a zero factor stride).
     */
    static String triangularPass(Precision p) {
        return "gmm_pass_triangular_tiled_" + suffix(p);
    }

    /** The second tiled variant ({@link TiledKernel#V2}); float32 only. */
    static String triangularPass2() {
        return "gmm_pass_triangular_tiled2_f32";
    }

    static String logDensities(CovarianceType type, Precision p) {
        return "gmm_logdens_" + type.id() + "_" + suffix(p);
    }

    /** Every entry the backend looks up. */
    static List<String> all() {
        List<String> names = new ArrayList<>();
        for (Precision p : Precision.values()) {
            for (CovarianceType t : CovarianceType.values()) {
                names.add(pass(t, p));
                names.add(logDensities(t, p));
            }
            names.add(triangularPass(p));
        }
        names.add(triangularPass2());
        names.add(REDUCE);
        return names;
    }
}
