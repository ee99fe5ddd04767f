package io.gaussmix.cli;

import io.gaussmix.BackendType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.ModelJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library works for an application that depends on the plain jar alone: with only gaussmix's classes,
 * EJML and Jackson on the class path (picocli, XChart, JOCL and JCuda are optional dependencies), it loads,
 * fits with {@link BackendType#AUTO} (falling back to the CPU with a note per skipped backend), and writes
 * and reads model JSON.
 */
class LibraryClasspathTest {
    /** The classes of the non-optional dependencies, each naming its jar. */
    private static final List<Class<?>> REQUIRED = List.of(org.ejml.data.DMatrixRMaj.class,
            org.ejml.dense.row.CommonOps_DDRM.class, com.fasterxml.jackson.databind.ObjectMapper.class,
            com.fasterxml.jackson.core.JsonFactory.class, com.fasterxml.jackson.annotation.JsonProperty.class);

    @TempDir
    Path dir;

    /** Runs in the child JVM: prints what it found and the fitted model's score. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            for (String optional : List.of("picocli.CommandLine", "org.knowm.xchart.XYChart", "org.jocl.CL",
                    "jcuda.driver.JCudaDriver", "org.apache.spark.SparkContext")) {
                try {
                    Class.forName(optional);
                    System.out.println("unexpectedly present: " + optional);
                } catch (ClassNotFoundException expected) {
                    // The point: the library must not need it.
                }
            }
            Matrix x = data();
            GaussianMixtureModel m = GaussianMixture.builder().k(2).backend(BackendType.AUTO)
                    .listener(new io.gaussmix.FitListener() {
                        @Override
                        public void onNote(String message) {
                            System.out.println("note: " + message);
                        }
                    }).build().fit(x);
            Path file = Path.of(args[0]);
            ModelJson.write(file, m);
            System.out.println("backend: " + m.summary().backend());
            System.out.println("score: " + ModelJson.read(file).score(x));
        }
    }

    static Matrix data() {
        Random r = new Random(9);
        double[] v = new double[400 * 2];
        for (int i = 0; i < 400; i++) {
            v[2 * i] = (i % 2) * 5 + r.nextGaussian();
            v[2 * i + 1] = r.nextGaussian();
        }
        return Matrix.wrap(v, 400, 2);
    }

    @Test
    void fitsOnTheCpuWithoutTheOptionalDependencies() throws Exception {
        List<String> cp = new ArrayList<>();
        cp.add(location(GaussianMixture.class));
        cp.add(location(Probe.class));
        for (Class<?> c : REQUIRED) {
            cp.add(location(c));
        }
        Path model = dir.resolve("model.json");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", String.join(File.pathSeparator, cp), Probe.class.getName(), model.toString())
                .redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(!out.contains("unexpectedly present"), "the class path holds an optional dependency: " + out);
        assertTrue(out.contains("skipped backend cuda") && out.contains("skipped backend opencl"),
                "AUTO says why it skipped the device backends: " + out);
        assertTrue(out.contains("backend: cpu"), out);
        assertTrue(!out.contains("Exception") && !out.contains("Error"), out);

        GaussianMixtureModel here = GaussianMixture.builder().k(2).backend(BackendType.CPU).build().fit(data());
        double score = Double.parseDouble(out.lines().filter(l -> l.startsWith("score: ")).findFirst().orElseThrow()
                .substring("score: ".length()));
        assertEquals(here.score(data()), score, 1e-9 * Math.abs(score), "the same fit as with every dependency");
    }

    /** The directory or jar a class was loaded from. */
    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
