package io.gaussmix.bench;

import io.gaussmix.data.Matrix;
import io.gaussmix.io.NpyWriter;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the inputs of the whole-process timing ({@code benchmarks/fit-phases.py}, a main run by no
 * test): DIR/data.npy with {@link BenchData#sample} rows (overlapping clusters unless told) and
 * DIR/start.json with the peers' common start ({@link BenchData#peerStart}), exactly as the peer
 * comparison prepares them.
 *
 * <pre>
 * java -cp target/test-classes:target/gaussmix.jar io.gaussmix.bench.FitPhaseData DIR N D K [seed] [overlapping|separated]
 * </pre>
 */
public final class FitPhaseData {
    private FitPhaseData() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = (int) Double.parseDouble(args[1]);
        int d = Integer.parseInt(args[2]);
        int k = Integer.parseInt(args[3]);
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 42;
        BenchData.Clusters clusters = args.length > 5 ? BenchData.Clusters.valueOf(args[5].toUpperCase())
                : BenchData.Clusters.OVERLAPPING;
        Files.createDirectories(dir);
        Matrix x = BenchData.sample(n, d, k, seed, clusters);
        NpyWriter.write(dir.resolve("data.npy"), x);
        StartFile.write(dir.resolve("start.json"), BenchData.peerStart(x, k, seed));
    }
}
