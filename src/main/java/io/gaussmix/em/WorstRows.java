package io.gaussmix.em;

import io.gaussmix.backend.cpu.HostScorer;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;

import java.util.stream.IntStream;

/** Finds the rows a mixture explains worst: where dead components are re-seeded. Rarely called. */
final class WorstRows {
    private WorstRows() {
    }

    /** The m rows of lowest log-likelihood under p, row-major m*D, scored on the host CPU. */
    static double[] under(Matrix x, MixtureParams p, int m) {
        return lowest(x, HostScorer.scoreSamples(x, p), m);
    }

    /** The m rows with the lowest score (ties to the lower index), row-major m*D; repeats rows if m > N. */
    static double[] lowest(Matrix x, double[] score, int m) {
        int d = x.cols();
        int[] order = IntStream.range(0, x.rows()).boxed()
                .sorted((a, b) -> score[a] != score[b] ? Double.compare(score[a], score[b]) : Integer.compare(a, b))
                .limit(m).mapToInt(Integer::intValue).toArray();
        double[] out = new double[m * d];
        for (int i = 0; i < m; i++) {
            System.arraycopy(x.data(), order[i % order.length] * d, out, i * d, d);
        }
        return out;
    }
}
