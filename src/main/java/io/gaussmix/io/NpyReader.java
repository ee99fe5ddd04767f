package io.gaussmix.io;

import io.gaussmix.data.Matrix;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Reads a NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0) into a {@link Matrix}.
 *
 * <p>Accepted: dtype float64 or float32 in either byte order ({@code <f8}, {@code >f8},
 * {@code <f4}, {@code >f4}; float32 is widened exactly), C order, and a 2-D shape {@code (n, d)} or a
 * 1-D shape {@code (n,)} read as n x 1. Anything else (integer or structured dtypes, Fortran order,
 * 0-D or 3-D arrays, bad magic bytes, a truncated file) is a {@link DataFileException} naming the
 * file. NaN is a missing value (an error with {@link MissingValues#REJECT}); infinities are always
 * errors. Value locations in messages are 1-based row and column, and say so. An array larger than
 * the free heap is refused before it is read, saying how much memory it needs ({@link Memory}).
 *
 * <p>The data are read in 1 MiB chunks through a {@link FileChannel} into one direct {@link ByteBuffer}
 * (a heap buffer costs one more copy: the channel reads through a temporary direct buffer), copied in
 * bulk in the file's byte order into the matrix's row-major array and checked while in cache.
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;
    private static final int MAX_VALUES = Integer.MAX_VALUE - 8;
    private static final int CHUNK = 1 << 20;

    private NpyReader() {
    }

    /** Reads {@code file} as {@code .npy}; see the class comment for what is accepted. */
    public static Matrix read(Path file, MissingValues missing) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(missing, "missing");
        FileErrors.requireNotDirectory(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, file.toString(), missing);
        } catch (IOException e) {
            throw FileErrors.readFailure(file, e);
        }
    }

    private static Matrix read(FileChannel ch, String file, MissingValues missing) throws IOException {
        long fileSize = ch.size();
        ByteBuffer pre = ByteBuffer.allocate((int) Math.min(12, fileSize)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre, 0, file);
        if (fileSize < 10 || !hasMagic(pre)) {
            throw new DataFileException(file + ": not a NumPy .npy file (bad magic bytes)");
        }
        int major = pre.get(6) & 0xFF;
        int minor = pre.get(7) & 0xFF;
        long headerLen;
        int preamble;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xFFFF;
            preamble = 10;
        } else if (major == 2 || major == 3) {
            if (fileSize < 12) {
                throw new DataFileException(file + ": truncated .npy header (" + fileSize + " bytes)");
            }
            headerLen = pre.getInt(8) & 0xFFFFFFFFL;
            preamble = 12;
        } else {
            throw new DataFileException(file + ": unsupported .npy format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        if (headerLen > MAX_HEADER || preamble + headerLen > fileSize) {
            throw new DataFileException(file + ": truncated or malformed .npy header (length " + headerLen
                    + ", file size " + fileSize + " bytes)");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(ch, hb, preamble, file);
        String dict = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader header = NpyHeader.parse(file, dict);
        long dataStart = preamble + headerLen;

        ByteOrder order = byteOrder(file, header.descr());
        int itemSize = header.descr().charAt(2) == '8' ? 8 : 4;
        if (header.fortranOrder()) {
            throw new DataFileException(file + ": only C-order arrays are supported (fortran_order is True);"
                    + " save np.ascontiguousarray(X) instead");
        }
        long[] shape = header.shape();
        if (shape.length < 1 || shape.length > 2) {
            throw new DataFileException(file + ": expected a 1-D or 2-D array, got shape " + header.shapeText());
        }
        long rows = shape[0];
        long cols = shape.length == 2 ? shape[1] : 1;
        if (cols == 0) {
            throw new DataFileException(file + ": the array has no columns (shape " + header.shapeText() + ")");
        }
        if (rows == 0) {
            throw new DataFileException(file + ": no data rows (shape " + header.shapeText() + ")");
        }
        if (rows > MAX_VALUES / cols) {
            throw new DataFileException(file + ": shape " + header.shapeText()
                    + " has too many values for one matrix (at most " + MAX_VALUES + ")");
        }
        int n = (int) (rows * cols);
        long dataBytes = (long) n * itemSize;
        long available = fileSize - dataStart;
        if (available != dataBytes) {
            throw new DataFileException(file + ": " + (available < dataBytes ? "truncated: " : "corrupt: ")
                    + "shape " + header.shapeText() + " of " + header.descr() + " needs " + dataBytes
                    + " bytes of data but the file has " + available);
        }
        // The file's size is known to match the shape: check the heap before the one large allocation.
        Memory.require((long) n * Double.BYTES, file + ": shape " + header.shapeText() + " read as float64");
        double[] values = new double[n];
        readValues(ch, dataStart, order, itemSize, values, file);
        checkValues(values, (int) cols, missing, file);
        return Matrix.wrap(values, (int) rows, (int) cols);
    }

    /** The byte order of a supported float dtype; anything else is an error. */
    private static ByteOrder byteOrder(String file, String descr) {
        if (descr == null) {
            throw new DataFileException(file + ": structured dtypes are not supported;"
                    + " save a plain float64 array (X.astype(np.float64))");
        }
        boolean floatType = descr.length() == 3 && (descr.endsWith("f8") || descr.endsWith("f4"));
        char bo = descr.isEmpty() ? '?' : descr.charAt(0);
        if (floatType && (bo == '<' || bo == '>' || bo == '=')) {
            return bo == '<' ? ByteOrder.LITTLE_ENDIAN : bo == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.nativeOrder();
        }
        throw new DataFileException(file + ": unsupported dtype '" + descr + "'; expected float64 ('<f8')"
                + " or float32 ('<f4'); convert with X.astype(np.float64)");
    }

    private static void readValues(FileChannel ch, long start, ByteOrder order, int itemSize, double[] out,
                                   String file) throws IOException {
        int perChunk = CHUNK / itemSize;
        ByteBuffer buf = ByteBuffer.allocateDirect(perChunk * itemSize);
        long pos = start;
        for (int done = 0; done < out.length; ) {
            int k = Math.min(perChunk, out.length - done);
            buf.clear().limit(k * itemSize);
            readFully(ch, buf, pos, file);
            buf.flip();
            buf.order(order);
            if (itemSize == 8) {
                buf.asDoubleBuffer().get(out, done, k);
            } else {
                FloatBuffer fb = buf.asFloatBuffer();
                for (int i = 0; i < k; i++) {
                    out[done + i] = fb.get(i);
                }
            }
            pos += (long) k * itemSize;
            done += k;
        }
    }

    private static void checkValues(double[] v, int cols, MissingValues missing, String file) {
        for (int i = 0; i < v.length; i++) {
            if (Double.isFinite(v[i])) {
                continue;
            }
            String where = "row " + (i / cols + 1) + ", column " + (i % cols + 1) + " (1-based)";
            if (Double.isInfinite(v[i])) {
                throw new DataFileException(file + ": " + where + ": " + v[i]
                        + " is not a finite number (infinite values are never valid data)");
            }
            if (missing == MissingValues.REJECT) {
                throw new DataFileException(file + ": missing value (NaN) at " + where);
            }
        }
    }

    private static boolean hasMagic(ByteBuffer pre) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Fills {@code buf} from position {@code pos}; the end of the file first is a truncation error. */
    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, String file) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) {
                throw new DataFileException(file + ": truncated .npy file (ends at byte " + p + ")",
                        new EOFException());
            }
            p += r;
        }
    }
}
