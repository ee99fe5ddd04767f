package io.gaussmix.cli;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.OnlineGaussianMixture;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.DataFiles;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.ModelJson;
import io.gaussmix.io.NpyRowSource;
import io.gaussmix.io.NpyWriter;
import io.gaussmix.testing.SplitSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fit --online} against the API's partialFit over the same file's batches. */
class OnlineFitCliTest {
    @TempDir
    Path dir;

    private Path npy(int n) throws Exception {
        Matrix x = DataFiles.read(CliRunner.blobs(dir, "blobs.csv", n, 3), MissingValues.REJECT);
        Path file = dir.resolve("blobs.npy");
        NpyWriter.write(file, x);
        return file;
    }

    /** Two epochs in batches of 700 (the last batch of each epoch 500 rows): the same bits as the API. */
    @Test
    void fitOnlineIsPartialFitOverTheFilesBatches() throws Exception {
        Path data = npy(4000);
        Path out = dir.resolve("m.json");
        CliRunner.Result r = CliRunner.run("fit", data.toString(), "--online", "--batch-size", "700", "--epochs", "2",
                "-k", "3", "--covariance-type", "tied", "--seed", "5", "--backend", "cpu", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("online:      12 batches, 8000 rows (2 epochs)"), r.out());

        GaussianMixture settings = GaussianMixture.builder().k(3).covarianceType(CovarianceType.TIED).seed(5)
                .backend(BackendType.CPU).build();
        GaussianMixtureModel api;
        try (OnlineGaussianMixture online = OnlineGaussianMixture.builder(settings).build();
             NpyRowSource source = NpyRowSource.open(data)) {
            for (int epoch = 0; epoch < 2; epoch++) {
                source.forEachBlock(700, (first, n, values) ->
                        online.partialFit(Matrix.wrap(Arrays.copyOf(values, n * 2), n, 2)));
            }
            api = online.model();
        }
        GaussianMixtureModel cli = ModelJson.read(out);
        assertArrayEquals(api.weights(), cli.weights(), 0.0);
        assertArrayEquals(Matrix.of(api.means()).data(), Matrix.of(cli.means()).data(), 0.0);
        assertArrayEquals(api.covariances(), cli.covariances(), 0.0);
        assertEquals(api.summary().online(), cli.summary().online());
        assertEquals(ModelJson.toJson(api).toString(), ModelJson.toJson(cli).toString());
        String json = Files.readString(out);
        assertTrue(json.contains("\"method\" : \"online\""), json);
    }

    /**
     * {@code --weights} with {@code --online}: a (N,) float32 weights file streams batch by batch beside the
     * rows and gives the bits of partialFit over the same batches with the same weights (as float32 holds
     * them); a CSV of the same weights gives the same model.
     */
    @Test
    void fitOnlineWithWeightsIsPartialFitOverTheBatchesWithTheirWeights() throws Exception {
        Path data = npy(3000);
        double[] w = SplitSources.toFloat32(SplitSources.weights(3000, 9));
        Path weights = SplitSources.npyColumn(dir, "w.npy", w, true, true);
        Path csv = dir.resolve("w.csv");
        Files.write(csv, Arrays.stream(w).mapToObj(Double::toString).toList());
        Path out = dir.resolve("m.json");
        Path outCsv = dir.resolve("c.json");
        String[] common = {"--online", "--batch-size", "700", "--epochs", "2", "-k", "3", "--seed", "5",
                "--backend", "cpu", "--quiet"};
        CliRunner.Result r = CliRunner.run(concat(new String[] {"fit", data.toString(), "--weights",
                weights.toString(), "-o", out.toString()}, common));
        assertEquals(0, r.code(), r.err());
        CliRunner.Result c = CliRunner.run(concat(new String[] {"fit", data.toString(), "--weights",
                csv.toString(), "-o", outCsv.toString()}, common));
        assertEquals(0, c.code(), c.err());

        GaussianMixture settings = GaussianMixture.builder().k(3).seed(5).backend(BackendType.CPU).build();
        GaussianMixtureModel api;
        GaussianMixtureModel unweighted;
        try (OnlineGaussianMixture online = OnlineGaussianMixture.builder(settings).build();
             OnlineGaussianMixture plain = OnlineGaussianMixture.builder(settings).build();
             NpyRowSource source = NpyRowSource.open(data)) {
            for (int epoch = 0; epoch < 2; epoch++) {
                source.forEachBlock(700, (first, n, values) -> {
                    Matrix batch = Matrix.wrap(Arrays.copyOf(values, n * 2), n, 2);
                    online.partialFit(batch, Arrays.copyOfRange(w, (int) first, (int) first + n));
                    plain.partialFit(batch);
                });
            }
            api = online.model();
            unweighted = plain.model();
        }
        assertEquals(ModelJson.toJson(api).toString(), ModelJson.toJson(ModelJson.read(out)).toString());
        assertEquals(ModelJson.toJson(api).toString(), ModelJson.toJson(ModelJson.read(outCsv)).toString());
        assertFalse(Arrays.equals(unweighted.covariances(), api.covariances()), "the weights were used");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A CSV is read whole, then fitted in the same batches: the same model as its .npy twin. */
    @Test
    void csvGivesTheSameModelAsNpy() throws Exception {
        Path npy = npy(1500);
        Path csv = dir.resolve("blobs.csv");
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        assertEquals(0, CliRunner.run("fit", npy.toString(), "--online", "-k", "3", "--backend", "cpu", "--quiet",
                "--batch-size", "400", "-o", a.toString()).code());
        CliRunner.Result r = CliRunner.run("fit", csv.toString(), "--online", "-k", "3", "--backend", "cpu", "--quiet",
                "--batch-size", "400", "-o", b.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(ModelJson.read(a).covariances(), ModelJson.read(b).covariances(), 0.0);
    }

    @Test
    void badOnlineOptionsAreOneLineErrorsAndWriteNothing() throws Exception {
        Path data = npy(300);
        Path out = dir.resolve("m.json");
        String[][] cases = {
                {"--online", "--batch-size", "0"},
                {"--online", "--step-exponent", "0.5"},
                {"--online", "--epochs", "0"},
                {"--batch-size", "100"},
                {"--online", "--weights", SplitSources.npyColumn(dir, "short.npy", new double[299], false, true)
                        .toString()},
                {"--online", "--missing", "em"},
                {"--online", "--max-iter", "5"},
        };
        String[] expected = {"--batch-size must be >= 1, got 0", "--step-exponent must be in (0.5, 1], got 0.5",
                "--epochs must be >= 1, got 0", "--batch-size needs --online", "short.npy: 299 weights for 300 data rows",
                "--online needs complete rows", "--max-iter does not apply to --online"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 6];
            System.arraycopy(new String[] {"fit", data.toString(), "-k", "2", "-o", out.toString()}, 0, args, 0, 6);
            System.arraycopy(cases[i], 0, args, 6, cases[i].length);
            CliRunner.Result r = CliRunner.run(args);
            assertTrue(r.code() != 0, Arrays.toString(cases[i]));
            assertTrue(r.err().contains(expected[i]), Arrays.toString(cases[i]) + ": " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            assertFalse(Files.exists(out), "nothing written for " + Arrays.toString(cases[i]));
        }
        // Fewer rows than k in the first batch: named, nothing written.
        CliRunner.Result few = CliRunner.run("fit", data.toString(), "--online", "--batch-size", "2", "-k", "3",
                "-o", out.toString());
        assertTrue(few.code() != 0);
        assertTrue(few.err().contains("fewer than k = 3"), few.err());
        assertFalse(Files.exists(out));
    }
}
