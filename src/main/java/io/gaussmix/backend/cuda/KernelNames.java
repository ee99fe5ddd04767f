package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Precision;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel entry names in {@code estep.ptx}: {@code gmm_<kernel>_<type>_<f32|f64>}, and
 * {@code gmm_pass_triangular_tiled_<f32|f64>} and {@code gmm_pass_triangular_tiled2_f32} for FULL and TIED,
 * {@code gmm_diag_tiled_*_f32} for DIAG and SPHERICAL ({@link DiagKernel#TILED}).
 * Pure strings (no JCuda), so CPU-only tests can check the PTX against them.
 */
final class KernelNames {
    /** Classpath location of the PTX, where the build copies {@code kernels/cuda/estep.ptx}. */
    static final String PTX_RESOURCE = "/io/gaussmix/kernels/cuda/estep.ptx";
    static final String REDUCE = "gmm_reduce_partials";
    /** The observed information's rows term (information.cuh), float64 only. */
    static final String INFO_SCORES = "gmm_info_scores";
    static final String INFO_COMPONENT_OUTER = "gmm_info_component_outer";
    static final String INFO_CROSS_OUTER = "gmm_info_cross_outer";
    static final String INFO_SCORE_SUM = "gmm_info_score_sum";
    /** The register-tiled DIAG/SPHERICAL pass (estep_diag_tiled.cuh): its three launches, in order. */
    static final String DIAG_LOGDENS = "gmm_diag_tiled_logdens_f32";
    static final String DIAG_RESPONSIBILITIES = "gmm_diag_tiled_responsibilities_f32";
    static final String DIAG_STATS = "gmm_diag_tiled_stats_f32";

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

    /** The third tiled variant ({@link TiledKernel#V3}, tensor cores); float32 only. */
    static String triangularPass3() {
        return "gmm_pass_triangular_tiled3_f32";
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
        names.add(triangularPass3());
        names.addAll(List.of(DIAG_LOGDENS, DIAG_RESPONSIBILITIES, DIAG_STATS));
        names.add(REDUCE);
        names.addAll(List.of(INFO_SCORES, INFO_COMPONENT_OUTER, INFO_CROSS_OUTER, INFO_SCORE_SUM));
        return names;
    }
}
