package io.gaussmix.backend.cuda;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PTX the backend loads is on the classpath, has the portable header and every entry it looks up. */
class PtxResourceTest {
    @Test
    void ptxIsOnTheClasspathWithThePortableHeader() {
        String ptx = new String(CudaModule.readPtx(), StandardCharsets.US_ASCII);
        List<String> directives = ptx.lines().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("//")).limit(3).collect(Collectors.toList());
        assertEquals(List.of(".version 8.0", ".target sm_80", ".address_size 64"), directives,
                "estep.ptx must declare ISA 8.0 for sm_80 (loadable by CUDA 12.0+ drivers)");
    }

    @Test
    void ptxHoldsEveryKernelTheBackendLooksUp() {
        String ptx = new String(CudaModule.readPtx(), StandardCharsets.US_ASCII);
        for (String name : KernelNames.all()) {
            assertTrue(ptx.contains(".entry " + name + "("), "estep.ptx has no entry " + name);
        }
    }
}
