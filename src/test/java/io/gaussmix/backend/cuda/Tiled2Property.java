package io.gaussmix.backend.cuda;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Sets {@code gaussmix.cuda.tiledKernel=v2} around a test class (and restores what was there), for
 * suites that open CUDA through the public API, where only the property selects the variant.
 */
final class Tiled2Property implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Tiled2Property.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("previous", String.valueOf(System.getProperty(TiledKernel.PROPERTY)));
        System.setProperty(TiledKernel.PROPERTY, "v2");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String previous = context.getStore(NS).get("previous", String.class);
        if ("null".equals(previous)) {
            System.clearProperty(TiledKernel.PROPERTY);
        } else {
            System.setProperty(TiledKernel.PROPERTY, previous);
        }
    }
}
