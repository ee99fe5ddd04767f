package io.gaussmix.backend.cuda;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.CovarianceCodes;
import io.gaussmix.backend.InformationInputs;
import io.gaussmix.bench.CudaKernelWork;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The numbers the kernels and the Java side must agree on, read from the kernel sources: launch
 * shapes ({@link LaunchConfig}) and the covariance codes ({@link CovarianceCodes}) of both devices.
 * No GPU needed.
 */
class KernelConstantsTest {
    private static final Pattern DEFINE = Pattern.compile("(?m)^\\s*#define\\s+(\\w+)\\s+(-?\\d+)\\b");

    private static Map<String, Integer> defines(String file) throws IOException {
        String text = Files.readString(Path.of("kernels").resolve(file));
        Map<String, Integer> out = new HashMap<>();
        Matcher m = DEFINE.matcher(text);
        while (m.find()) {
            out.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return out;
    }

    private static int define(Map<String, Integer> defines, String name, String file) {
        Integer v = defines.get(name);
        assertNotNull(v, "#define " + name + " is missing from kernels/" + file);
        return v;
    }

    @Test
    void launchShapesMatchTheCudaSources() throws IOException {
        Map<String, Integer> simple = defines("cuda/estep_simple.cuh");
        assertEquals(LaunchConfig.SIMPLE_THREADS, define(simple, "SIMPLE_THREADS", "cuda/estep_simple.cuh"));
        assertEquals(InformationInputs.TILE, define(defines("opencl/information.cl"), "TS", "opencl/information.cl"));
        Map<String, Integer> info = defines("cuda/information.cuh");
        assertEquals(LaunchConfig.INFO_TILE, define(info, "INFO_TILE", "cuda/information.cuh"));
        assertEquals(LaunchConfig.INFO_SCORE_THREADS, define(info, "INFO_SCORE_THREADS", "cuda/information.cuh"));
        Map<String, Integer> tiled = defines("cuda/estep_tiled.cuh");
        assertEquals(LaunchConfig.TILED_THREADS, define(tiled, "TILED_THREADS", "cuda/estep_tiled.cuh"));
        assertEquals(LaunchConfig.TILE_ROWS, define(tiled, "TILE_ROWS", "cuda/estep_tiled.cuh"));
        assertEquals(LaunchConfig.TILE_DEPTH, define(tiled, "TILE_DEPTH", "cuda/estep_tiled.cuh"));
        assertEquals(LaunchConfig.TILE_LD, define(tiled, "TILE_LD", "cuda/estep_tiled.cuh"));
        String file2 = "cuda/estep_tiled2.cuh";
        Map<String, Integer> tiled2 = defines(file2);
        assertEquals(LaunchConfig.TILED2_THREADS, define(tiled2, "TILED2_THREADS", file2));
        assertEquals(LaunchConfig.TILED2_ROWS, define(tiled2, "TILED2_ROWS", file2));
        assertEquals(LaunchConfig.TILED2_SLICE_BYTES, define(tiled2, "TILED2_SLICE_BYTES", file2));
        assertEquals(LaunchConfig.TILED2_LD, define(tiled2, "TILED2_LD", file2));
        assertEquals(LaunchConfig.TILED3_LD, define(defines("cuda/estep_tiled3.cuh"), "TILED3_LD", "cuda/estep_tiled3.cuh"));
        String diagFile = "cuda/estep_diag_tiled.cuh";
        Map<String, Integer> diag = defines(diagFile);
        assertEquals(LaunchConfig.DIAG_THREADS, define(diag, "DIAG_THREADS", diagFile));
        assertEquals(LaunchConfig.DIAG_TILE, define(diag, "DIAG_TILE", diagFile));
        assertEquals(LaunchConfig.DIAG_COLS, define(diag, "DIAG_COLS", diagFile));
        assertEquals(LaunchConfig.DIAG_STATS_ROWS, define(diag, "DIAG_STATS_ROWS", diagFile));
        // Streamed chunks (multiples of CHUNK_ALIGN rows) must be whole statistics tiles.
        assertEquals(0, CudaMemoryPlan.CHUNK_ALIGN % LaunchConfig.DIAG_STATS_ROWS);
    }

    /** The benchmark's work model names the K up to which the backend really runs the second kernel. */
    @Test
    void secondKernelComponentLimitMatchesTheWorkModel() {
        int k = CudaKernelWork.V2_MAX_COMPONENTS;
        assertTrue(LaunchConfig.tiled2SuperRows(k, 4) >= LaunchConfig.TILED2_ROWS, "K = " + k + " fits");
        assertEquals(0, LaunchConfig.tiled2SuperRows(k + 1, 4), "K = " + (k + 1) + " does not fit");
        assertTrue(LaunchConfig.tiled2StaticShared(4) + LaunchConfig.tiled2SuperRows(k, 4) * k * 4 <= LaunchConfig.SHARED_LIMIT);
        int k3 = CudaKernelWork.V3_MAX_COMPONENTS;
        assertTrue(LaunchConfig.tiled3SuperRows(k3) >= LaunchConfig.TILED2_ROWS, "K = " + k3 + " fits the third");
        assertEquals(0, LaunchConfig.tiled3SuperRows(k3 + 1), "K = " + (k3 + 1) + " does not fit the third");
    }

    @Test
    void covarianceCodesMatchBothDevices() throws IOException {
        for (String file : new String[] {"cuda/estep_common.cuh", "opencl/estep.cl"}) {
            Map<String, Integer> defines = defines(file);
            for (CovarianceType t : CovarianceType.values()) {
                String name = "COV_" + t.name();
                assertEquals(CovarianceCodes.of(t), define(defines, name, file), name + " in kernels/" + file);
            }
        }
    }
}
