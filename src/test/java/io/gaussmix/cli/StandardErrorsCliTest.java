package io.gaussmix.cli;

import io.gaussmix.BackendType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.StandardErrors;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.DataFiles;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.ModelJson;
import io.gaussmix.backend.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fit --standard-errors}: the API's standard errors in the model file and a table in the summary. */
class StandardErrorsCliTest {
    @TempDir
    Path dir;

    @Test
    void fitWritesTheApisStandardErrors() throws Exception {
        Path data = CliRunner.blobs(dir, "blobs.csv", 300, 4);
        Path model = dir.resolve("model.json");
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "-k", "3", "--backend", "cpu", "--quiet",
                "--standard-errors", "-o", model.toString());
        assertEquals(0, r.code(), r.err());
        Matrix x = DataFiles.read(data, MissingValues.REJECT);
        GaussianMixtureModel api = GaussianMixture.builder().k(3).backend(BackendType.CPU).build().fit(x);
        StandardErrors expected = api.standardErrors(x);
        // Same fit, same rows: the same bits, written and read back exactly.
        assertEquals(expected, ModelJson.readStandardErrors(model).orElseThrow());
        assertTrue(r.out().contains("standard errors: observed information on 300 rows, "
                + api.parameterCount() + " parameters"), r.out());
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "%-9s %-8.4f", "+- 0", expected.weights()[0])),
                r.out());
        // Without the option the file has none.
        Path plain = dir.resolve("plain.json");
        assertEquals(0, CliRunner.run("fit", data.toString(), "-k", "3", "--quiet", "-o", plain.toString()).code());
        assertTrue(ModelJson.readStandardErrors(plain).isEmpty());
        assertFalse(Files.readString(plain).contains("standardErrors"));
    }

    /**
     * {@code --backend opencl} runs the passes on OpenCL in float64 and gives the CPU's standard errors to 1e-10
     * relative (see OpenClRowInformationTest for why): both start from one fitted model with --max-iter 0, so
     * the model is the same and only where the information is computed differs. Skipped without OpenCL fp64.
     */
    @Test
    void openClGivesTheCpusStandardErrors() throws Exception {
        Assumptions.assumeTrue(Backends.provider(BackendType.OPENCL).availability().available(), "no OpenCL");
        Path data = CliRunner.blobs(dir, "blobs.csv", 600, 5);
        Path start = dir.resolve("start.json");
        assertEquals(0, CliRunner.run("fit", data.toString(), "-k", "3", "--backend", "cpu", "--quiet", "-o",
                start.toString()).code());
        Path cpu = dir.resolve("cpu.json");
        Path cl = dir.resolve("cl.json");
        CliRunner.Result onCpu = CliRunner.run("fit", data.toString(), "--init-model", start.toString(), "--max-iter",
                "0", "--backend", "cpu", "--quiet", "--standard-errors", "-o", cpu.toString());
        assertEquals(0, onCpu.code(), onCpu.err());
        CliRunner.Result onCl = CliRunner.run("fit", data.toString(), "--init-model", start.toString(), "--max-iter",
                "0", "--backend", "opencl", "--precision", "float64", "--quiet", "--standard-errors", "-o",
                cl.toString());
        Assumptions.assumeFalse(onCl.err().contains("cl_khr_fp64"), "the OpenCL device has no float64");
        assertEquals(0, onCl.code(), onCl.err());
        StandardErrors a = ModelJson.readStandardErrors(cpu).orElseThrow();
        StandardErrors b = ModelJson.readStandardErrors(cl).orElseThrow();
        assertRelative(a.weights(), b.weights(), "weights");
        for (int c = 0; c < a.means().length; c++) {
            assertRelative(a.means()[c], b.means()[c], "means of " + c);
        }
        assertRelative(a.covariances(), b.covariances(), "covariances");
    }

    private static void assertRelative(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-10 * Math.abs(expected[i]), what + "[" + i + "]");
        }
    }

    @Test
    void aVariationalFitIsRefusedBeforeItRuns() throws Exception {
        Path data = CliRunner.blobs(dir, "blobs.csv", 100, 4);
        Path model = dir.resolve("model.json");
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "-k", "3", "--bayesian", "dirichlet-process",
                "--standard-errors", "-o", model.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("--standard-errors needs a maximum-likelihood fit"), r.err());
        assertFalse(Files.exists(model));
    }

    @Test
    void aSingularInformationIsOneLineAndNoFile() throws Exception {
        // Three components on two well separated clusters with a duplicate start: the fit keeps two
        // components on one cluster only if they coincide, which --max-iter 0 guarantees.
        Path start = dir.resolve("start.json");
        GaussianMixtureModel twin = GaussianMixtureModel.of(io.gaussmix.CovarianceType.SPHERICAL,
                new double[] {0.5, 0.5}, new double[][] {{0, 0}, {0, 0}}, new double[] {1, 1},
                io.gaussmix.FitSummary.notFitted());
        ModelJson.write(start, twin);
        Path data = dir.resolve("x.csv");
        StringBuilder csv = new StringBuilder();
        Matrix x = twin.sample(200, 3).x();
        for (int i = 0; i < x.rows(); i++) {
            csv.append(x.get(i, 0)).append(',').append(x.get(i, 1)).append('\n');
        }
        Files.writeString(data, csv);
        Path model = dir.resolve("model.json");
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "--init-model", start.toString(), "--max-iter", "0",
                "--standard-errors", "--quiet", "-o", model.toString());
        assertEquals(1, r.code(), r.out());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("observed information is not positive definite") && r.err().contains("weight 0"),
                r.err());
        assertFalse(Files.exists(model));
    }
}
