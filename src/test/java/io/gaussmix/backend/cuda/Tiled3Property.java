package io.gaussmix.backend.cuda;

/** {@code gaussmix.cuda.tiledKernel=v3} around a test class. */
final class Tiled3Property extends SystemPropertyExtension {
    Tiled3Property() {
        super(TiledKernel.PROPERTY, "v3");
    }
}
