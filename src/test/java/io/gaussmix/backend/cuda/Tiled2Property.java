package io.gaussmix.backend.cuda;

/** {@code gaussmix.cuda.tiledKernel=v2} around a test class. */
final class Tiled2Property extends SystemPropertyExtension {
    Tiled2Property() {
        super(TiledKernel.PROPERTY, "v2");
    }
}
