package io.gaussmix.backend.cuda;

/**
 * Which tiled kernel runs FULL and TIED passes: {@link #V1} ({@code gmm_pass_triangular_tiled_*},
 * the default), {@link #V2} ({@code gmm_pass_triangular_tiled2_f32}: 8 x 8 micro-tiles and 32-wide
 * diagonal blocks, float32 only) or {@link #V3} ({@code gmm_pass_triangular_tiled3_f32}: the second's
 * blocking with its products on the tensor cores in error-compensated TF32, float32 only). All meet the
 * same contract; they stay selectable until a GPU has ranked them (kernels/README.md, "The second tiled
 * kernel", "The third tiled kernel").
 */
enum TiledKernel {
    V1, V2, V3;

    /** The system property that selects the variant: {@code v1} (default), {@code v2} or {@code v3}. */
    static final String PROPERTY = "gaussmix.cuda.tiledKernel";

    /** The variant the property names; any other value is refused, never ignored. */
    static TiledKernel fromProperty() {
        return KernelVariant.fromProperty(PROPERTY, V1);
    }
}
