package io.gaussmix.backend.opencl;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the provider looks for libOpenCL.so.1 before JOCL does (so JOCL never prints its own failure). */
class OpenClLibraryTest {
    @Test
    void searchesLdLibraryPathThenTheCacheThenTheDefaults() {
        byte[] cache = ("glibc-ld.so.cache1.1\0libOpenCL.so.1\0/opt/icd/lib/libOpenCL.so.1\0"
                + "libm.so.6\0/lib/x86_64-linux-gnu/libm.so.6\0").getBytes(StandardCharsets.ISO_8859_1);
        List<Path> c = OpenClLibrary.candidates("/a:/b/lib:", cache, "amd64");
        assertEquals(Path.of("/a/libOpenCL.so.1"), c.get(0));
        assertEquals(Path.of("/b/lib/libOpenCL.so.1"), c.get(1));
        assertEquals(Path.of("/opt/icd/lib/libOpenCL.so.1"), c.get(2));
        assertEquals(Path.of("/lib/x86_64-linux-gnu/libOpenCL.so.1"), c.get(3));
        assertTrue(c.contains(Path.of("/usr/lib/x86_64-linux-gnu/libOpenCL.so.1")));
        assertTrue(c.contains(Path.of("/usr/lib/libOpenCL.so.1")));
        assertTrue(c.stream().allMatch(p -> p.getFileName().toString().equals(OpenClLibrary.SONAME)), c.toString());
    }

    @Test
    void withoutEnvironmentOrCacheOnlyTheDefaultsRemain() {
        List<Path> c = OpenClLibrary.candidates(null, new byte[0], "riscv64");
        assertEquals(List.of(Path.of("/lib64/libOpenCL.so.1"), Path.of("/usr/lib64/libOpenCL.so.1"),
                Path.of("/lib/libOpenCL.so.1"), Path.of("/usr/lib/libOpenCL.so.1"),
                Path.of("/usr/local/lib/libOpenCL.so.1")), c);
    }
}
