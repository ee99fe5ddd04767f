package io.gaussmix.backend.cuda;

import io.gaussmix.backend.DeviceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The option that selects the tiled kernel: v1 by default, v2 on request, anything else refused. No GPU needed. */
class TiledKernelTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(TiledKernel.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(TiledKernel.PROPERTY);
        } else {
            System.setProperty(TiledKernel.PROPERTY, saved);
        }
    }

    @Test
    void defaultIsTheFirstVariant() {
        System.clearProperty(TiledKernel.PROPERTY);
        assertEquals(TiledKernel.V1, TiledKernel.fromProperty());
    }

    @Test
    void v2SelectsTheSecond() {
        System.setProperty(TiledKernel.PROPERTY, " V2 ");
        assertEquals(TiledKernel.V2, TiledKernel.fromProperty());
    }

    @Test
    void anotherValueIsRefusedWithTheOptionNamed() {
        System.setProperty(TiledKernel.PROPERTY, "v3");
        DeviceException e = assertThrows(DeviceException.class, TiledKernel::fromProperty);
        assertTrue(e.getMessage().contains("-Dgaussmix.cuda.tiledKernel=v3") && e.getMessage().contains("v1 or v2"),
                e.getMessage());
    }
}
