package io.gaussmix.backend.opencl;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.io.NpyRowSource;
import io.gaussmix.io.NpyWriter;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.testing.SyntheticMixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times one OpenCL pass over resident rows against the same rows streamed from the matrix and from a
 * {@code .npy} file in the page cache (benchmarks/RESULTS.md, "Device passes streamed from a row
 * source"). Not a test: run as {@code java -cp ... io.gaussmix.backend.opencl.ClStreamTiming DIR N CHUNK_ROWS}.
 * D=16, K=8, full, float32; the median of 5 passes each, after one warm-up pass.
 */
public final class ClStreamTiming {
    private static final int D = 16;
    private static final int K = 8;

    private ClStreamTiming() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        long chunkRows = Long.parseLong(args[2]);
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, K, D, 1, 3.0, 10.0);
        Matrix x = SyntheticMixtures.sample(p, n, 2);
        Path file = Files.createTempFile(dir, "stream-timing-", ".npy");
        ClDevice device = new OpenClProvider().device(0);
        long budget = 2 * chunkRows * (D + 1L) * 4;
        try {
            NpyWriter.write(file, x);
            try (OpenClBackend resident = OpenClBackend.open(device, Precision.FLOAT32, note -> { });
                 OpenClBackend streamed = new OpenClBackend(device, Precision.FLOAT32, budget, device.fp64(),
                         System.out::println);
                 NpyRowSource npy = NpyRowSource.open(file)) {
                double r = time(resident, RowSource.of(x), p);
                double m = time(streamed, RowSource.of(x), p);
                double f = time(streamed, npy, p);
                System.out.printf(Locale.ROOT, "N=%d chunk=%d: resident %.3f s, streamed from the matrix %.3f s (%.2fx),"
                        + " streamed from .npy %.3f s (%.2fx)%n", n, chunkRows, r, m, m / r, f, f / r);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double time(OpenClBackend backend, RowSource source, MixtureParams p) {
        try (LoadedData data = backend.load(source, (RowSource) null)) {
            backend.accumulate(data, p);
            double[] t = new double[5];
            for (int i = 0; i < t.length; i++) {
                long t0 = System.nanoTime();
                backend.accumulate(data, p);
                t[i] = (System.nanoTime() - t0) / 1e9;
            }
            Arrays.sort(t);
            return t[t.length / 2];
        }
    }
}
