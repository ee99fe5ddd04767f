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
 * is written atomically through {@link AtomicFiles}, whole ({@link #write}) or block by block as a
 * result is computed ({@link #writeStreamed}).
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
        writeValues(out, newChunk(), m.data());
    }

    private static ByteBuffer newChunk() {
        return ByteBuffer.allocate(CHUNK_VALUES * 8).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void writeValues(OutputStream out, ByteBuffer buf, double[] data) throws IOException {
        for (int done = 0; done < data.length; ) {
            int k = Math.min(CHUNK_VALUES, data.length - done);
            buf.clear();
            buf.asDoubleBuffer().put(data, done, k);
            out.write(buf.array(), 0, k * 8);
            done += k;
        }
    }

    /**
     * Writes a float64 {@code (rows, cols)} file from the blocks {@code body} hands the sink while it
     * runs, as they come (a result computed block by block over a streamed source; {@code rows} may
     * exceed 2^31). One atomic write: when the body or a write fails, a value is not finite (named by its
     * 1-based row and column: results are complete by definition, as {@link CsvWriter#writeFinite}'s), or
     * the blocks do not add up to {@code rows}, the target is left as it was.
     *
     * @throws IOException when the file cannot be written, or the body throws it; an existing target is then unchanged
     */
    public static void writeStreamed(Path target, long rows, int cols, IOConsumer<BlockSink> body) throws IOException {
        Objects.requireNonNull(body, "body");
        AtomicFiles.write(target, out -> {
            out.write(header("<f8", rows, cols, 0));
            ByteBuffer buf = newChunk();
            long[] written = {0};
            body.accept(block -> {
                if (block.cols() != cols) {
                    throw new IllegalArgumentException(block.cols() + " columns in a block of a " + cols + "-column file");
                }
                requireFinite(target, block, written[0]);
                if (block.rows() > rows - written[0]) {
                    throw new IllegalStateException(target + ": more than the " + rows + " rows of its header");
                }
                writeValues(out, buf, block.data());
                written[0] += block.rows();
            });
            if (written[0] != rows) {
                throw new IllegalStateException(target + ": " + written[0] + " rows written for the " + rows
                        + " of its header");
            }
        });
    }

    private static void requireFinite(Path target, Matrix block, long firstRow) {
        double[] v = block.data();
        int cols = block.cols();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(target + ": not written: row " + (firstRow + i / cols + 1)
                        + ", column " + (i % cols + 1) + " (1-based) of the result is " + v[i]
                        + " (the model cannot represent that row in float64)");
            }
        }
    }
}
