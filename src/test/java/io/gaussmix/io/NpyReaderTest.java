package io.gaussmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gaussmix.data.Matrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReaderTest {
    @TempDir
    Path dir;

    /** A hand-built .npy: version major.0, the given header dict, raw data bytes. */
    private Path npy(String name, int major, String dict, byte[] data) throws IOException {
        int pre = major == 1 ? 10 : 12;
        int total = (pre + dict.length() + 1 + 63) / 64 * 64;
        int headerLen = total - pre;
        ByteBuffer b = ByteBuffer.allocate(total + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) headerLen);
        } else {
            b.putInt(headerLen);
        }
        b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
        while (b.position() < total - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        b.put(data);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private static String dict(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
                + ", 'shape': " + shape + ", }";
    }

    private static byte[] floats(ByteOrder order, float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(order);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static byte[] doubles(ByteOrder order, double... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(order);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    private String error(Path p, MissingValues mode) {
        return assertThrows(DataFileException.class, () -> NpyReader.read(p, mode)).getMessage();
    }

    @Test
    void float64RoundTripThroughWriter() throws IOException {
        double[] v = new double[3 * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i) * 1e10 + 1.0 / (i + 3);
        }
        v[5] = Double.MIN_VALUE;
        v[6] = -Double.MAX_VALUE;
        Path p = dir.resolve("m.npy");
        NpyWriter.write(p, Matrix.wrap(v.clone(), 3, 4));
        assertEquals(0, NpyWriter.header(3, 4).length % 64);
        Matrix m = NpyReader.read(p, MissingValues.REJECT);
        assertEquals(3, m.rows());
        assertEquals(4, m.cols());
        assertArrayEquals(v, m.data());
    }

    @Test
    void writerHeaderMatchesNumpyByteForByte() throws Exception {
        Path reference = Path.of(NpyReaderTest.class.getResource("/reference/blobs2d.npy").toURI());
        byte[] numpy = Files.readAllBytes(reference);
        byte[] ours = NpyWriter.header(600, 2);
        assertArrayEquals(Arrays.copyOf(numpy, ours.length), ours);
        Path p = dir.resolve("copy.npy");
        NpyWriter.write(p, NpyReader.read(reference, MissingValues.REJECT));
        assertArrayEquals(numpy, Files.readAllBytes(p));
    }

    @Test
    void float32LittleAndBigEndianWidenExactly() throws IOException {
        float[] v = {1.5f, -0.1f, 3.4028235e38f, 1e-45f, 0f, 7.25f};
        double[] expected = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            expected[i] = v[i];
        }
        Path le = npy("le.npy", 1, dict("<f4", false, "(3, 2)"), floats(ByteOrder.LITTLE_ENDIAN, v));
        Path be = npy("be.npy", 2, dict(">f4", false, "(3, 2)"), floats(ByteOrder.BIG_ENDIAN, v));
        for (Path p : new Path[] {le, be}) {
            Matrix m = NpyReader.read(p, MissingValues.REJECT);
            assertEquals(3, m.rows());
            assertEquals(2, m.cols());
            assertArrayEquals(expected, m.data());
        }
    }

    @Test
    void bigEndianFloat64AndVersion3() throws IOException {
        double[] v = {1.0 / 3, -2, 5e-300};
        Path be = npy("be.npy", 3, dict(">f8", false, "(1, 3)"), doubles(ByteOrder.BIG_ENDIAN, v));
        assertArrayEquals(v, NpyReader.read(be, MissingValues.REJECT).data());
    }

    @Test
    void oneDimensionalIsAColumn() throws IOException {
        Path p = npy("v.npy", 1, dict("<f8", false, "(4,)"), doubles(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4));
        Matrix m = NpyReader.read(p, MissingValues.REJECT);
        assertEquals(4, m.rows());
        assertEquals(1, m.cols());
        assertArrayEquals(new double[] {1, 2, 3, 4}, m.data());
    }

    @Test
    void fortranOrderRejected() throws IOException {
        Path p = npy("f.npy", 1, dict("<f8", true, "(2, 2)"), doubles(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4));
        assertEquals(p + ": only C-order arrays are supported (fortran_order is True);"
                + " save np.ascontiguousarray(X) instead", error(p, MissingValues.REJECT));
    }

    @Test
    void integerAndStructuredDtypesRejected() throws IOException {
        Path p = npy("i.npy", 1, dict("<i8", false, "(2, 2)"), new byte[32]);
        assertEquals(p + ": unsupported dtype '<i8'; expected float64 ('<f8') or float32 ('<f4');"
                + " convert with X.astype(np.float64)", error(p, MissingValues.REJECT));
        Path s = npy("s.npy", 1, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,), }", new byte[16]);
        assertTrue(error(s, MissingValues.REJECT).startsWith(s + ": structured dtypes are not supported"));
    }

    @Test
    void threeDimensionalAndScalarRejected() throws IOException {
        Path p = npy("3d.npy", 1, dict("<f8", false, "(1, 2, 2)"), new byte[32]);
        assertEquals(p + ": expected a 1-D or 2-D array, got shape (1, 2, 2)", error(p, MissingValues.REJECT));
        Path s = npy("0d.npy", 1, dict("<f8", false, "()"), new byte[8]);
        assertEquals(s + ": expected a 1-D or 2-D array, got shape ()", error(s, MissingValues.REJECT));
    }

    @Test
    void emptyArrayHasNoDataRows() throws IOException {
        Path p = npy("e.npy", 1, dict("<f8", false, "(0, 3)"), new byte[0]);
        assertEquals(p + ": no data rows (shape (0, 3))", error(p, MissingValues.REJECT));
    }

    @Test
    void badMagicAndTinyFileRejected() throws IOException {
        Path p = dir.resolve("bad.npy");
        Files.writeString(p, "1,2\n3,4\n5,6\n");
        assertEquals(p + ": not a NumPy .npy file (bad magic bytes)", error(p, MissingValues.REJECT));
        Path t = dir.resolve("tiny.npy");
        Files.write(t, new byte[] {(byte) 0x93, 'N'});
        assertEquals(t + ": not a NumPy .npy file (bad magic bytes)", error(t, MissingValues.REJECT));
    }

    @Test
    void truncatedDataAndHeaderRejected() throws IOException {
        Path p = npy("t.npy", 1, dict("<f8", false, "(3, 2)"), new byte[40]);
        assertEquals(p + ": truncated: shape (3, 2) of <f8 needs 48 bytes of data but the file has 40",
                error(p, MissingValues.REJECT));
        Path h = dir.resolve("h.npy");
        Files.write(h, Arrays.copyOf(NpyWriter.header(3, 2), 30));
        assertEquals(h + ": truncated or malformed .npy header (length 118, file size 30 bytes)",
                error(h, MissingValues.REJECT));
    }

    @Test
    void unsupportedVersionRejected() throws IOException {
        Path p = npy("v.npy", 1, dict("<f8", false, "(1,)"), new byte[8]);
        byte[] b = Files.readAllBytes(p);
        b[6] = 9;
        Files.write(p, b);
        assertEquals(p + ": unsupported .npy format version 9.0 (supported: 1.0, 2.0, 3.0)",
                error(p, MissingValues.REJECT));
    }

    @Test
    void nanIsMissingAndInfinityIsAlwaysAnError() throws IOException {
        Path nan = npy("n.npy", 1, dict("<f8", false, "(2, 2)"),
                doubles(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, Double.NaN));
        assertEquals(nan + ": missing value (NaN) at row 2, column 2 (1-based)", error(nan, MissingValues.REJECT));
        assertTrue(Double.isNaN(NpyReader.read(nan, MissingValues.ALLOW_NAN).get(1, 1)));
        Path inf = npy("i.npy", 1, dict("<f4", false, "(2, 2)"),
                floats(ByteOrder.LITTLE_ENDIAN, 1, Float.NEGATIVE_INFINITY, 3, 4));
        String expected = inf + ": row 1, column 2 (1-based): -Infinity is not a finite number"
                + " (infinite values are never valid data)";
        assertEquals(expected, error(inf, MissingValues.REJECT));
        assertEquals(expected, error(inf, MissingValues.ALLOW_NAN));
    }

    @Test
    void fileNotFound() {
        Path p = dir.resolve("missing.npy");
        assertEquals("file not found: " + p, error(p, MissingValues.REJECT));
    }

    @Test
    void largeMatrixRoundTripsAcrossChunks() throws IOException {
        int rows = 70_000;
        int cols = 3;
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.5 - 17;
        }
        Path p = dir.resolve("big.npy");
        NpyWriter.write(p, Matrix.wrap(v, rows, cols));
        assertArrayEquals(v, NpyReader.read(p, MissingValues.REJECT).data());
    }


    /** Issue #11.15: an array larger than the heap is refused before it is read, saying how much it needs. */
    @Test
    void arrayLargerThanTheHeapIsRefusedUpFront() throws IOException {
        long rows = 150_000_000L;
        Path p = npy("big.npy", 1, dict("<f4", false, "(" + rows + ", 10)"), new byte[0]);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(f.length() + rows * 10 * 4); // sparse: no disk is used
        }
        NotEnoughMemoryException e = assertThrows(NotEnoughMemoryException.class,
                () -> NpyReader.read(p, MissingValues.REJECT));
        assertTrue(e.getMessage().startsWith(p + ": shape (150000000, 10) read as float64 needs 11.2 GB of memory,"
                + " but the JVM can give about "), e.getMessage());
        assertTrue(e.getMessage().contains("-Xmx"), e.getMessage());
    }
}
