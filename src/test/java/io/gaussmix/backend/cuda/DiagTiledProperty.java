package io.gaussmix.backend.cuda;

/** {@code gaussmix.cuda.diagKernel=tiled} around a test class. */
final class DiagTiledProperty extends SystemPropertyExtension {
    DiagTiledProperty() {
        super(DiagKernel.PROPERTY, "tiled");
    }
}
