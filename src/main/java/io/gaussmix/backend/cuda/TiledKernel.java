package io.gaussmix.backend.cuda;

import io.gaussmix.backend.DeviceException;

import java.util.Locale;

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
        String v = System.getProperty(PROPERTY, "v1").trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "v1":
                return V1;
            case "v2":
                return V2;
            default:
                throw new DeviceException("-D" + PROPERTY + "=" + System.getProperty(PROPERTY) + ": expected v1 or v2");
        }
    }
}
