package io.gaussmix.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Where the values of a {@code .npy} file are and how they are stored, read from its preamble and
 * header: what {@link NpyReader} (into one matrix) and {@link NpyRowSource} (in windows) both need.
 * Every check that does not depend on how the values are then read is made here, with the same words
 * for both; the row count is a {@code long}.
 *
 * @param header    the parsed header dictionary
 * @param dataStart the byte offset of the first value
 * @param order     the values' byte order
 * @param itemSize  bytes per value: 8 (float64) or 4 (float32)
 * @param rows      shape[0]
 * @param cols      shape[1], or 1 for a 1-D array
 */
record NpyLayout(NpyHeader header, long dataStart, ByteOrder order, int itemSize, long rows, long cols) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;

    /** Reads and checks the preamble and header: magic, version, dtype, C order, a 1-D or 2-D shape with columns. */
    static NpyLayout read(FileChannel ch, String file) throws IOException {
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
        long cols = shape.length == 2 ? shape[1] : 1;
        if (cols == 0) {
            throw new DataFileException(file + ": the array has no columns (shape " + header.shapeText() + ")");
        }
        return new NpyLayout(header, preamble + headerLen, order, itemSize, shape[0], cols);
    }

    /** Checks that the file holds exactly the values the shape says: no fewer (truncated), no more (corrupt). */
    void requireDataSize(long fileSize, String file) {
        long available = fileSize - dataStart;
        boolean tooMany = rows != 0 && cols > Long.MAX_VALUE / itemSize / rows;
        long dataBytes = tooMany ? Long.MAX_VALUE : rows * cols * itemSize;
        if (available != dataBytes) {
            throw new DataFileException(file + ": " + (available < dataBytes ? "truncated: " : "corrupt: ")
                    + "shape " + header.shapeText() + " of " + header.descr() + " needs "
                    + (tooMany ? "more than " + Long.MAX_VALUE : Long.toString(dataBytes))
                    + " bytes of data but the file has " + available);
        }
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

    private static boolean hasMagic(ByteBuffer pre) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Fills {@code buf} from position {@code pos}; the end of the file first is a truncation error. */
    static void readFully(FileChannel ch, ByteBuffer buf, long pos, String file) throws IOException {
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
