package io.gaussmix.backend.cuda;

/**
 * Which tiled kernel runs FULL and TIED passes: {@link #V1} ({@code gmm_pass_triangular_tiled_*},
 * the default) or {@link #V2} ({@code gmm_pass_triangular_tiled2_f32}: 8 x 8 micro-tiles and 32-wide
 * diagonal blocks, float32 only). Both meet the same contract; they stay selectable until a GPU
 * has ranked them (kernels/README.md, "The second tiled kernel").
 */
enum TiledKernel {
    V1, V2;

    /** The system property that selects the variant: {@code v1} (default) or {@code v2}. */
    static final String PROPERTY = "gaussmix.cuda.tiledKernel";

    /** The variant the property names; a value other than v1 or v2 is refused, never ignored. */
    static TiledKernel fromProperty() {
        return KernelVariant.fromProperty(PROPERTY, V1);
    }
}
