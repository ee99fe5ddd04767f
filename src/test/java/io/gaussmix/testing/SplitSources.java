package io.gaussmix.testing;

import io.gaussmix.data.Matrix;
import io.gaussmix.io.NpyWriter;
import io.gaussmix.math.SufficientStats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    /**
     * One value per row written as a little-endian {@code .npy} file {@code name} in {@code dir}, as
     * {@code np.save} writes a weights vector: shape {@code (N,)} when {@code flat}, else {@code (N, 1)};
     * float32 ({@code <f4}, each value rounded to float) or float64 ({@code <f8}).
     */
    public static Path npyColumn(Path dir, String name, double[] values, boolean float32, boolean flat)
            throws IOException {
        String shape = flat ? "(" + values.length + ",)" : "(" + values.length + ", 1)";
        String dict = "{'descr': '" + (float32 ? "<f4" : "<f8") + "', 'fortran_order': False, 'shape': " + shape
                + ", }";
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        int item = float32 ? Float.BYTES : Double.BYTES;
        ByteBuffer b = ByteBuffer.allocate(total + values.length * item).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) (total - 10)).put(dict.getBytes(StandardCharsets.US_ASCII));
        while (b.position() < total - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        for (double v : values) {
            if (float32) {
                b.putFloat((float) v);
            } else {
                b.putDouble(v);
            }
        }
        Path file = dir.resolve(name);
        Files.write(file, b.array());
        return file;
    }

    /** The values rounded to float32 and back: what a float32 {@link #npyColumn} file holds. */
    public static double[] toFloat32(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
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
