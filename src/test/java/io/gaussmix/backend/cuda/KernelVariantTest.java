package io.gaussmix.backend.cuda;

import io.gaussmix.backend.DeviceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The options that select kernel variants: the tiled FULL/TIED kernel (v1 by default, v2 or v3 on request) and
 * the float32 DIAG/SPHERICAL kernel (simple by default, tiled on request); anything else refused. No GPU needed.
 */
class KernelVariantTest {
    private String savedTiled;
    private String savedDiag;

    @BeforeEach
    void save() {
        savedTiled = System.getProperty(TiledKernel.PROPERTY);
        savedDiag = System.getProperty(DiagKernel.PROPERTY);
    }

    @AfterEach
    void restore() {
        restore(TiledKernel.PROPERTY, savedTiled);
        restore(DiagKernel.PROPERTY, savedDiag);
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    void defaultsAreTheFirstTiledVariantAndTheSimpleDiagKernel() {
        System.clearProperty(TiledKernel.PROPERTY);
        System.clearProperty(DiagKernel.PROPERTY);
        assertEquals(TiledKernel.V1, TiledKernel.fromProperty());
        assertEquals(DiagKernel.SIMPLE, DiagKernel.fromProperty());
    }

    @Test
    void namesSelectTheOtherVariants() {
        System.setProperty(TiledKernel.PROPERTY, " V2 ");
        System.setProperty(DiagKernel.PROPERTY, "Tiled");
        assertEquals(TiledKernel.V2, TiledKernel.fromProperty());
        assertEquals(DiagKernel.TILED, DiagKernel.fromProperty());
        System.setProperty(TiledKernel.PROPERTY, "v3");
        assertEquals(TiledKernel.V3, TiledKernel.fromProperty());
    }

    @Test
    void anotherValueIsRefusedWithTheOptionNamed() {
        System.setProperty(TiledKernel.PROPERTY, "v4");
        DeviceException e = assertThrows(DeviceException.class, TiledKernel::fromProperty);
        assertTrue(e.getMessage().contains("-Dgaussmix.cuda.tiledKernel=v4") && e.getMessage().contains("v1, v2 or v3"),
                e.getMessage());
        System.setProperty(DiagKernel.PROPERTY, "gemm");
        e = assertThrows(DeviceException.class, DiagKernel::fromProperty);
        assertTrue(e.getMessage().contains("-Dgaussmix.cuda.diagKernel=gemm") && e.getMessage().contains("simple or tiled"),
                e.getMessage());
    }
}
