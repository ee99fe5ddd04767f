package io.gaussmix.backend.cuda;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Sets one system property around a test class (and restores what was there), for suites that open
 * CUDA through the public API, where only a property selects a kernel variant.
 */
abstract class SystemPropertyExtension implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SystemPropertyExtension.class);
    private final String property;
    private final String value;

    SystemPropertyExtension(String property, String value) {
        this.property = property;
        this.value = value;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put(property, String.valueOf(System.getProperty(property)));
        System.setProperty(property, value);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String previous = context.getStore(NS).get(property, String.class);
        if ("null".equals(previous)) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }
}
