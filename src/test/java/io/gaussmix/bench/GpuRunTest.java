package io.gaussmix.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gaussmix.CovarianceType;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.MissingValues;
import io.gaussmix.io.NpyReader;
import io.gaussmix.math.MixtureParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java side of benchmarks/gpu/run.sh, on the CPU backend (the device steps run in the rehearsal). */
class GpuRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Counted by hand from estep_tiled.cuh: phase A 64 x roundUp16(min(D, j0 + 64)) per column block, phase C 64 x 64 per block pair. */
    @Test
    void executedWorkCountsTheTiledKernelsPaddingAndSquares() {
        long n = 1000;
        int k = 3;
        // D = 64: A 64*64, C 64*64 -> 8192 FMAs = 4 D^2 flops, twice the credited 2 D^2.
        assertEquals(2 * 8192.0 * n * k, CudaKernelWork.passFlops(CovarianceType.FULL, n, 64, k));
        assertEquals(2.0, CudaKernelWork.passFlops(CovarianceType.FULL, n, 64, k)
                / FlopModel.passFlops(CovarianceType.FULL, n, 64, k), 0);
        // D = 16: A 64*16 + C 64*64 = 5120 FMAs against the credited 256: 20 times.
        assertEquals(20.0, CudaKernelWork.passFlops(CovarianceType.TIED, n, 16, k)
                / FlopModel.passFlops(CovarianceType.TIED, n, 16, k), 0);
        // D = 128: A 64*64 + 64*128, C 3 blocks of 64*64 = 24576 FMAs; credited 16384: 1.5 times.
        assertEquals(2 * 24576.0 * n * k, CudaKernelWork.passFlops(CovarianceType.FULL, n, 128, k));
        // D = 20: A 64 * 32 (depth padded to 16) + C 64*64.
        assertEquals(2 * (64 * 32 + 4096.0) * n * k, CudaKernelWork.passFlops(CovarianceType.FULL, n, 20, k));
        assertEquals(6.0 * n * k * 128, CudaKernelWork.passFlops(CovarianceType.DIAG, n, 128, k));
    }

    /**
     * Counted by hand from estep_diag_tiled.cuh: log densities 4 flops per element over rows and components
     * padded to 128 and features to 16; statistics 5 flops per element over rows padded to 16, components to
     * 128 and features to 64.
     */
    @Test
    void executedWorkCountsTheTiledDiagKernelsPadding() {
        long n = 1 << 20;
        // K = 1024, D = 128: nothing padded, 9 flops per element against the credited 6.
        assertEquals(9.0 * n * 1024 * 128, CudaKernelWork.passFlopsDiagTiled(n, 128, 1024));
        assertEquals(1.5, CudaKernelWork.passFlopsDiagTiled(n, 128, 1024) / FlopModel.passFlops(CovarianceType.DIAG, n, 128, 1024), 0);
        // 1000 rows, K = 8, D = 5: 4 * 1024 * 128 * 16 + 5 * 1008 * 128 * 64.
        assertEquals(4.0 * 1024 * 128 * 16 + 5.0 * 1008 * 128 * 64, CudaKernelWork.passFlopsDiagTiled(1000, 5, 8));
    }

    /**
     * Counted by hand from estep_tiled2.cuh: phase A 32 x roundUp16(min(D, j0 + 32)) per 32-column
     * block for roundUp4(K) component slots, phase C 32 x 32 per block pair for roundUp16(K) slots.
     */
    @Test
    void executedWorkCountsTheSecondTiledKernelsBlocksAndSlots() {
        long n = 1000;
        // D = 64, K = 16: A 32*32 + 32*64, C 3 * 32*32 -> 6144 FMAs = 3 D^2 flops, 1.5 times the credited.
        assertEquals(2 * 6144.0 * 16 * n, CudaKernelWork.passFlopsV2(CovarianceType.FULL, n, 64, 16));
        assertEquals(1.5, CudaKernelWork.passFlopsV2(CovarianceType.FULL, n, 64, 16)
                / FlopModel.passFlops(CovarianceType.FULL, n, 64, 16), 0);
        // D = 16, K = 8: A 32*16 for 8 slots, C 32*32 for 16 slots: 10 times the credited 2 D^2 K.
        assertEquals(10.0, CudaKernelWork.passFlopsV2(CovarianceType.FULL, n, 16, 8)
                / FlopModel.passFlops(CovarianceType.FULL, n, 16, 8), 0);
        // D = 70, K = 5: A 32*(32 + 64 + 80) for 8 slots, C 6 pairs of 32*32 for 16 slots.
        assertEquals(2.0 * n * (32 * 176 * 8 + 6 * 1024 * 16), CudaKernelWork.passFlopsV2(CovarianceType.TIED, n, 70, 5));
        assertEquals(6.0 * n * 3 * 128, CudaKernelWork.passFlopsV2(CovarianceType.DIAG, n, 128, 3));
        // The third kernel: the same blocks, K slots in both phases (D = 16, K = 8: A 32*16, C 32*32 for 8).
        assertEquals(2.0 * n * 8 * (32 * 16 + 1024), CudaKernelWork.passFlopsV3(CovarianceType.FULL, n, 16, 8));
        assertEquals(1.5, CudaKernelWork.passFlopsV3(CovarianceType.FULL, n, 64, 16)
                / FlopModel.passFlops(CovarianceType.FULL, n, 64, 16), 0);
        assertEquals(6.0 * n * 3 * 128, CudaKernelWork.passFlopsV3(CovarianceType.DIAG, n, 128, 3));
    }

    @Test
    void prepareWritesTheDataAndTheCommonStart() throws Exception {
        Path c = dir.resolve("case");
        assertEquals(0, GpuRun.run("prepare", c.toString(), "900x3x4", "diag"));
        Matrix x = NpyReader.read(c.resolve("data.npy"), MissingValues.REJECT);
        assertEquals(900, x.rows());
        assertEquals(3, x.cols());
        MixtureParams p = StartFile.read(c.resolve("start.json"));
        assertEquals(CovarianceType.DIAG, p.type());
        assertEquals(4, p.components());
        for (double w : p.weights()) {
            assertEquals(0.25, w, 1e-15);
        }
        // Overlapping clusters: the generator's means are 2/sqrt(D) per feature, so every column's
        // spread stays of the order of the within-component scales (0.5 .. 1.5, plus the mixing term).
        double[] var = BenchData.covariance(x, 0);
        for (int i = 0; i < 3; i++) {
            assertTrue(var[i * 3 + i] > 0.1 && var[i * 3 + i] < 10, "column variance " + var[i * 3 + i]);
        }
    }

    /**
     * The first lower bound of the fit is the mean log-likelihood of the start, which this test
     * computes on its own (a hand-written 3 x 3 Cholesky); the bound never decreases (EM).
     */
    @Test
    void measureTimesPassesAndAFitOfExactlyMIterations() throws Exception {
        Path c = dir.resolve("case");
        assertEquals(0, GpuRun.run("prepare", c.toString(), "600x3x2", "full"));
        Path out = dir.resolve("a-cpu.json");
        assertEquals(0, GpuRun.run("measure", c.toString(), "cpu", out.toString(),
                "--iters", "4", "--passes", "2", "--warmup", "1"));
        JsonNode r = JSON.readTree(out.toFile());
        assertEquals(2.0 * 600 * 2 * 9, r.get("credited_flops").asDouble());
        assertEquals(2, r.get("pass").get("seconds").size());
        assertTrue(r.get("pass").get("median_s").asDouble() > 0);
        JsonNode fit = r.get("fit");
        assertEquals(4, fit.get("iterations").asInt());
        assertEquals(4, fit.get("iteration_s").size());
        JsonNode model = JSON.readTree(dir.resolve(fit.get("model").asText()).toFile());
        JsonNode history = model.get("lowerBoundHistory");
        assertEquals(4, history.size());
        for (int i = 1; i < history.size(); i++) {
            assertTrue(history.get(i).asDouble() >= history.get(i - 1).asDouble() - 1e-12, "monotone: " + history);
        }
        assertEquals(history.get(3).asDouble(), fit.get("lower_bound").asDouble(), 0);

        Matrix x = NpyReader.read(c.resolve("data.npy"), MissingValues.REJECT);
        double expected = meanLogLikelihood(x, StartFile.read(c.resolve("start.json")));
        assertEquals(expected, history.get(0).asDouble(), 1e-10 * Math.abs(expected));
        assertEquals(expected, r.get("pass").get("mean_log_lik").asDouble(), 1e-10 * Math.abs(expected));
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, GpuRun.run("prepare", dir.toString(), "100x3", "full"));
            assertEquals(2, GpuRun.run("measure", dir.toString(), "gpu", "out.json"));
            assertEquals(2, GpuRun.run("measure", dir.toString(), "cpu", "out.json", "--iters", "0"));
            assertEquals(2, GpuRun.run("frobnicate"));
        } finally {
            System.setErr(saved);
        }
        String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length, err.toString(StandardCharsets.UTF_8));
        assertTrue(lines[0].contains("a size is NxDxK"), lines[0]);
        assertTrue(lines[1].contains("unknown backend 'gpu'"), lines[1]);
        assertTrue(lines[2].contains("--iters needs an integer >= 1"), lines[2]);
        assertTrue(lines[3].contains("unknown command 'frobnicate'"), lines[3]);
    }

    /** Mean over rows of log sum_k w_k N(x; mu_k, Sigma_k), full covariances, D = 3, straight from the formulas. */
    private static double meanLogLikelihood(Matrix x, MixtureParams p) {
        int d = x.cols();
        int k = p.components();
        double total = 0;
        for (int r = 0; r < x.rows(); r++) {
            double[] logp = new double[k];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double[] l = cholesky(p.covariances(), c * d * d, d);
                double[] z = new double[d];   // solve L z = x - mu
                double quad = 0;
                double logDet = 0;
                for (int i = 0; i < d; i++) {
                    double s = x.get(r, i) - p.means()[c * d + i];
                    for (int j = 0; j < i; j++) {
                        s -= l[i * d + j] * z[j];
                    }
                    z[i] = s / l[i * d + i];
                    quad += z[i] * z[i];
                    logDet += 2 * Math.log(l[i * d + i]);
                }
                logp[c] = Math.log(p.weights()[c]) - 0.5 * (d * Math.log(2 * Math.PI) + logDet + quad);
                max = Math.max(max, logp[c]);
            }
            double sum = 0;
            for (double v : logp) {
                sum += Math.exp(v - max);
            }
            total += max + Math.log(sum);
        }
        return total / x.rows();
    }

    private static double[] cholesky(double[] a, int off, int d) {
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[off + i * d + j];
                for (int m = 0; m < j; m++) {
                    s -= l[i * d + m] * l[j * d + m];
                }
                l[i * d + j] = i == j ? Math.sqrt(s) : s / l[j * d + j];
            }
        }
        return l;
    }
}
