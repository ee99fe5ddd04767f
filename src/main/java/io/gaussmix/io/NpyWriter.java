package io.gaussmix.io;

import io.gaussmix.data.Matrix;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a {@link Matrix} as a NumPy {@code .npy} file: format 1.0, dtype {@code <f8}, C order,
 * shape {@code (rows, cols)}, header padded with spaces so the data start at a multiple of 64 bytes
 * (what {@code np.save} writes). {@code np.load} and {@link NpyReader} read it back exactly. The file
 * is written atomically through {@link AtomicFiles}.
 */
public final class NpyWriter {
    private static final int CHUNK_VALUES = 1 << 17;

    private NpyWriter() {
    }

    /**
     * Writes {@code matrix} to {@code target} (replacing it atomically).
     *
     * @throws IOException when the file cannot be written; an existing target is then unchanged
     */
    public static void write(Path target, Matrix matrix) throws IOException {
        Objects.requireNonNull(matrix, "matrix");
        AtomicFiles.write(target, out -> writeTo(out, matrix));
    }

    /** The complete {@code .npy} preamble and header for a float64 C-order array of this shape. */
    static byte[] header(int rows, int cols) {
        return header("<f8", rows, cols, 0);
    }

    /**
     * The preamble and header for a C-order array of dtype {@code descr} and this shape, padded with
     * spaces to a multiple of 64 bytes and to at least {@code minLength}: a writer that learns the row
     * count only at the end reserves {@code header(descr, Long.MAX_VALUE, cols, 0).length} bytes and
     * writes the real header there (np.save reserves room the same way).
     */
    static byte[] header(String descr, long rows, long cols, int minLength) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = 10 + dict.length() + 1;
        int total = Math.max((unpadded + 63) / 64 * 64, minLength);
        byte[] h = new byte[total];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
        System.arraycopy(magic, 0, h, 0, magic.length);
        int headerLen = total - 10;
        h[8] = (byte) (headerLen & 0xFF);
        h[9] = (byte) (headerLen >>> 8);
        byte[] d = dict.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(d, 0, h, 10, d.length);
        for (int i = 10 + d.length; i < total - 1; i++) {
            h[i] = ' ';
        }
        h[total - 1] = '\n';
        return h;
    }

    private static void writeTo(OutputStream out, Matrix m) throws IOException {
        out.write(header(m.rows(), m.cols()));
        double[] data = m.data();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_VALUES * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < data.length; ) {
            int k = Math.min(CHUNK_VALUES, data.length - done);
            buf.clear();
            buf.asDoubleBuffer().put(data, done, k);
            out.write(buf.array(), 0, k * 8);
            done += k;
        }
    }
}
