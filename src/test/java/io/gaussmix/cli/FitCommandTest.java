package io.gaussmix.cli;

import io.gaussmix.BackendType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.DataFiles;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.ModelJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fit and score through the command line, against the API. */
class FitCommandTest {
    @TempDir
    Path dir;

    @Test
    void fitThenScoreRoundTrip() throws Exception {
        Path data = CliRunner.blobs(dir, "blobs.csv", 300, 1);
        Path model = dir.resolve("model.json");
        CliRunner.Result fit = CliRunner.run("fit", data.toString(), "-k", "3", "--seed", "7", "-o", model.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.err().contains("iter"), "progress on stderr: " + fit.err());
        assertTrue(fit.out().contains("converged"), fit.out());

        CliRunner.Result score = CliRunner.run("score", model.toString(), data.toString());
        assertEquals(0, score.code(), score.err());
        double printed = Double.parseDouble(score.lastOutLine());
        Matrix x = DataFiles.read(data, MissingValues.REJECT);
        assertEquals(ModelJson.read(model).score(x), printed, 0.0);
    }

    @Test
    void maxIterZeroSavesTheStartAndPrintsNoNaN() throws Exception {
        Path data = CliRunner.blobs(dir, "blobs.csv", 120, 4);
        Path model = dir.resolve("start.json");
        CliRunner.Result fit = CliRunner.run("fit", data.toString(), "-k", "2", "--max-iter", "0", "--quiet",
                "-o", model.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("converged:   no after 0 iterations"), fit.out());
        assertTrue(fit.out().contains("lower bound: not computed"), fit.out());
        assertTrue(!fit.out().contains("NaN"), "no NaN in the summary: " + fit.out());
        GaussianMixtureModel start = ModelJson.read(model);
        assertEquals(0, start.summary().iterations());
        // The saved start is the initialisation the same settings give through the API.
        Matrix x = DataFiles.read(data, MissingValues.REJECT);
        GaussianMixtureModel api = GaussianMixture.builder().k(2).maxIter(0).build().fit(x);
        assertArrayEquals(api.weights(), start.weights(), 1e-15);
        assertArrayEquals(api.covariances(), start.covariances(), 1e-12);
    }

    /** A wide fit's summary shows the first means and says how many columns the model file holds beyond them. */
    @Test
    void wideSummaryShowsTheFirstColumnsOnly() throws Exception {
        int d = ComponentTable.MAX_COLUMNS + 8;
        StringBuilder csv = new StringBuilder();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 80; i++) {
            for (int j = 0; j < d; j++) {
                csv.append(j == 0 ? "" : ",").append(r.nextGaussian() + (j == 0 ? 1000 + i % 2 : 0));
            }
            csv.append('\n');
        }
        Path data = dir.resolve("wide.csv");
        Files.writeString(data, csv);
        CliRunner.Result fit = CliRunner.run("fit", data.toString(), "-k", "1", "--quiet", "-o",
                dir.resolve("m.json").toString());
        assertEquals(0, fit.code(), fit.err());
        String head = fit.out().lines().filter(l -> l.startsWith("component")).findFirst().orElseThrow();
        assertTrue(head.contains("mean x" + (ComponentTable.MAX_COLUMNS - 1)), head);
        assertTrue(!head.contains("mean x" + ComponentTable.MAX_COLUMNS), head);
        assertTrue(head.endsWith("... 8 more columns in the model file"), head);
        String row = fit.out().lines().filter(l -> l.startsWith("0 ")).findFirst().orElseThrow();
        // weight, then exactly MAX_COLUMNS means; the first is the data's first column's mean, about 1000.5.
        String[] cells = row.trim().split("\\s+");
        assertEquals(2 + ComponentTable.MAX_COLUMNS, cells.length, row);
        assertEquals(1000.5, Double.parseDouble(cells[2]), 0.5, row);
    }

    @Test
    void quietPrintsNoProgress() throws Exception {
        Path data = CliRunner.blobs(dir, "blobs.csv", 90, 2);
        CliRunner.Result fit = CliRunner.run("fit", data.toString(), "-k", "2", "--quiet", "-o",
                dir.resolve("m.json").toString());
        assertEquals(0, fit.code(), fit.err());
        assertEquals("", fit.err());
    }

    @Test
    void initModelReproducesTheApiFit() throws Exception {
        Path data = CliRunner.blobs(dir, "blobs.csv", 240, 3);
        Path start = dir.resolve("start.json");
        Files.writeString(start, "{\"format\": \"gaussmix-model\", \"version\": 1, \"covarianceType\": \"full\","
                + " \"weights\": [0.3, 0.3, 0.4], \"means\": [[0.5, 0.1], [5, 1.5], [2.5, 6]],"
                + " \"covariances\": [[[1, 0], [0, 1]], [[2, 0.1], [0.1, 1]], [[1, -0.2], [-0.2, 0.5]]]}");
        Path model = dir.resolve("model.json");
        CliRunner.Result fit = CliRunner.run("fit", data.toString(), "--init-model", start.toString(), "--tol", "0",
                "--max-iter", "12", "--backend", "cpu", "--quiet", "-o", model.toString());
        assertEquals(0, fit.code(), fit.err());

        Matrix x = DataFiles.read(data, MissingValues.REJECT);
        GaussianMixtureModel api = GaussianMixture.builder().initialModel(ModelJson.read(start)).tol(0).maxIter(12)
                .backend(BackendType.CPU).build().fit(x);
        GaussianMixtureModel cli = ModelJson.read(model);
        assertEquals(12, cli.summary().iterations());
        assertArrayEquals(api.covariances(), cli.covariances(), 1e-12);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(api.means()[c], cli.means()[c], 1e-12);
        }
        assertEquals(api.score(x), cli.score(x), 1e-12);
        assertEquals(api.summary().lowerBound(), cli.summary().lowerBound(), 0.0);
    }

    @Test
    void initModelWithAnotherKIsAnError() throws Exception {
        Path data = CliRunner.blobs(dir, "blobs.csv", 60, 4);
        Path start = dir.resolve("start.json");
        Files.writeString(start, "{\"format\": \"gaussmix-model\", \"version\": 1, \"covarianceType\": \"spherical\","
                + " \"weights\": [0.5, 0.5], \"means\": [[0, 0], [5, 5]], \"covariances\": [1, 1]}");
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "-k", "3", "--init-model", start.toString(), "-o",
                dir.resolve("m.json").toString());
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("does not match"), r.err());
    }

    @Test
    void demoFits() {
        CliRunner.Result r = CliRunner.run("fit", "--demo", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("150 rows x 4 columns"), r.out());
        assertTrue(r.out().contains("BIC"), r.out());
        assertTrue(r.out().contains("petal_length"), r.out());
    }

    @Test
    void plotWritesPngs() throws Exception {
        Path png = dir.resolve("fit.png");
        CliRunner.Result r = CliRunner.run("fit", "--demo", "--quiet", "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        checkPng(png);
        checkPng(dir.resolve("fit-lowerbound.png"));

        Path cols = dir.resolve("cols.png");
        r = CliRunner.run("fit", "--demo", "--quiet", "--plot", cols.toString(), "--plot-columns", "2,3");
        assertEquals(0, r.code(), r.err());
        checkPng(cols);
    }

    @Test
    void plotOfOneDimensionalData() throws Exception {
        Path data = dir.resolve("one.csv");
        StringBuilder s = new StringBuilder();
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < 200; i++) {
            s.append(i % 2 == 0 ? rnd.nextGaussian() : 5 + rnd.nextGaussian()).append('\n');
        }
        Files.writeString(data, s);
        Path png = dir.resolve("one.png");
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "-k", "2", "--quiet", "--plot", png.toString(),
                "-o", dir.resolve("m.json").toString());
        assertEquals(0, r.code(), r.err());
        checkPng(png);
    }

    static void checkPng(Path png) throws Exception {
        assertTrue(Files.size(png) > 1000, png + " is too small");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " is not an image");
        assertTrue(img.getWidth() >= 400 && img.getWidth() <= 4000, "width " + img.getWidth());
        assertTrue(img.getHeight() >= 300 && img.getHeight() <= 4000, "height " + img.getHeight());
    }
}
