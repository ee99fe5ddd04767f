package io.gaussmix.backend.cuda;

/**
 * Which kernel runs float32 DIAG and SPHERICAL passes: {@link #SIMPLE} ({@code gmm_pass_diag_f32} and
 * {@code gmm_pass_spherical_f32}, the default: one warp per (row, component) pair) or {@link #TILED}
 * (the three launches of {@code estep_diag_tiled.cuh}: 8 x 8 register tiles over rows and components,
 * meant for large K). Float64 always runs the simple kernel. Both meet the same contract; they stay
 * selectable until a GPU has ranked them (kernels/README.md, "DIAG at large K").
 */
enum DiagKernel {
    SIMPLE, TILED;

    /** The system property that selects the kernel: {@code simple} (default) or {@code tiled}. */
    static final String PROPERTY = "gaussmix.cuda.diagKernel";

    static DiagKernel fromProperty() {
        return KernelVariant.fromProperty(PROPERTY, SIMPLE);
    }
}
