package io.gaussmix.testing;

import io.gaussmix.data.Matrix;
import io.gaussmix.io.NpyWriter;
import io.gaussmix.math.SufficientStats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rows of one matrix in the other shapes a row source takes, and the bit-for-bit check of streamed passes. */
public final class SplitSources {
    private SplitSources() {
    }

    /** The rows of {@code x} as consecutive matrices of the given sizes, then one holding the rest. */
    public static List<Matrix> parts(Matrix x, int... sizes) {
        List<Matrix> out = new ArrayList<>();
        int d = x.cols();
        int row = 0;
        for (int size : sizes) {
            out.add(Matrix.wrap(Arrays.copyOfRange(x.data(), row * d, (row + size) * d), size, d));
            row += size;
        }
        out.add(Matrix.wrap(Arrays.copyOfRange(x.data(), row * d, x.rows() * d), x.rows() - row, d));
        return out;
    }

    /** {@code x} written as a float64 {@code .npy} file {@code name} in {@code dir}. */
    public static Path npy(Path dir, String name, Matrix x) throws IOException {
        Path file = dir.resolve(name);
        NpyWriter.write(file, x);
        return file;
    }

    /** N sample weights between 0.5 and 1.5, every 11th zero (a zero weight must add nothing). */
    public static double[] weights(int n, long seed) {
        Random r = new Random(seed);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = i % 11 == 0 ? 0 : 0.5 + r.nextDouble();
        }
        return w;
    }

    /** The same statistics, bit for bit. */
    public static void assertIdentical(SufficientStats expected, SufficientStats actual, String what) {
        assertEquals(expected.logLikelihood, actual.logLikelihood, 0.0, what + ": logLikelihood");
        assertEquals(expected.totalWeight, actual.totalWeight, 0.0, what + ": totalWeight");
        assertArrayEquals(expected.nk, actual.nk, 0.0, what + ": nk");
        assertArrayEquals(expected.sumDiff, actual.sumDiff, 0.0, what + ": sumDiff");
        assertArrayEquals(expected.sumSq, actual.sumSq, 0.0, what + ": sumSq");
    }
}
