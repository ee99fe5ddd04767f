package io.gaussmix.backend.cuda;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The committed PTX was built from the committed CUDA sources (no GPU needed). */
class PtxFreshnessTest {
    static final Path DIR = Path.of("kernels", "cuda");

    /** Same bytes as build-ptx.sh hashes: "<name>\n<content>" of every .cu/.cuh in byte order of names. */
    static String sourceHash() throws IOException, NoSuchAlgorithmException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".cu") || p.toString().endsWith(".cuh"))
                    .sorted((a, b) -> compareBytes(a.getFileName().toString(), b.getFileName().toString()))
                    .collect(Collectors.toList());
        }
        assertFalse(files.isEmpty(), "no CUDA sources in " + DIR.toAbsolutePath());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path f : files) {
            all.writeBytes((f.getFileName().toString() + "\n").getBytes(StandardCharsets.UTF_8));
            all.writeBytes(Files.readAllBytes(f));
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all.toByteArray()));
    }

    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void committedPtxMatchesTheSources() throws Exception {
        String first = Files.readAllLines(DIR.resolve("estep.ptx"), StandardCharsets.US_ASCII).get(0);
        assertEquals("// gaussmix-source-sha256: " + sourceHash(), first,
                "kernels/cuda/estep.ptx is stale: run kernels/build-ptx.sh (needs nvcc) and commit the PTX");
    }
}
