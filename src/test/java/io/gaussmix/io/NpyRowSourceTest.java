package io.gaussmix.io;

import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.testing.Blocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NpyRowSourceTest {
    private static final int[] BLOCK_ROWS = {1, 7, 64, 1000};
    /** Windows that cut values and rows at awkward places, the smallest allowed, and the default. */
    private static final int[] WINDOWS = {8, 4096 + 3, 3 * 8 * 100 + 5, NpyRowSource.DEFAULT_WINDOW_BYTES};

    @TempDir
    Path dir;

    private static Matrix random(int rows, int cols, long seed) {
        Random r = new Random(seed);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3);
        }
        return Matrix.wrap(v, rows, cols);
    }

    /** Writes {@code m} as a .npy of dtype {@code descr} ({@code <f8}, {@code >f8}, {@code <f4}, {@code >f4}). */
    private Path npy(String name, String descr, Matrix m) throws IOException {
        byte[] header = NpyWriter.header(descr, m.rows(), m.cols(), 0);
        boolean f4 = descr.endsWith("f4");
        ByteBuffer b = ByteBuffer.allocate(header.length + m.data().length * (f4 ? 4 : 8))
                .order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.put(header);
        for (double v : m.data()) {
            if (f4) {
                b.putFloat((float) v);
            } else {
                b.putDouble(v);
            }
        }
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    /** The values of {@code m} as float32 holds them, widened back: what a float32 file must give. */
    private static double[] throughFloat32(Matrix m) {
        double[] v = m.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) v[i];
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(NpyRowSource.Reading.class)
    void float64BlocksEqualTheMatrixRowsForEveryBlockAndWindowSize(NpyRowSource.Reading reading) throws IOException {
        Matrix m = random(2500, 3, 1);
        Path little = npy("x.npy", "<f8", m);
        Path big = npy("xb.npy", ">f8", m);
        for (int window : WINDOWS) {
            for (int blockRows : BLOCK_ROWS) {
                for (Path file : new Path[] {little, big}) {
                    try (NpyRowSource s = NpyRowSource.open(file, reading, window)) {
                        assertEquals(2500, s.rows());
                        assertEquals(3, s.cols());
                        assertEquals(8, s.itemSize());
                        assertArrayEquals(m.data(), Blocks.joined(s, 0, s.rows(), blockRows),
                                file.getFileName() + " window " + window + ", blocks of " + blockRows);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(NpyRowSource.Reading.class)
    void float32FilesGiveTheFloat32ValuesWidenedExactly(NpyRowSource.Reading reading) throws IOException {
        Matrix m = random(2500, 5, 2);
        double[] expected = throughFloat32(m);
        Path little = npy("x32.npy", "<f4", m);
        Path big = npy("x32b.npy", ">f4", m);
        for (int window : WINDOWS) {
            for (int blockRows : BLOCK_ROWS) {
                for (Path file : new Path[] {little, big}) {
                    try (NpyRowSource s = NpyRowSource.open(file, reading, window)) {
                        assertEquals(4, s.itemSize());
                        assertArrayEquals(expected, Blocks.joined(s, 0, s.rows(), blockRows),
                                file.getFileName() + " window " + window + ", blocks of " + blockRows);
                    }
                }
            }
        }
    }

    @Test
    void aRangeStartsAtItsOwnRowAndTheInMemorySourceAgrees() throws IOException {
        Matrix m = random(1000, 4, 3);
        try (NpyRowSource file = NpyRowSource.open(npy("x.npy", "<f8", m), NpyRowSource.Reading.POSITIONED, 4096 + 3);
             RowSource memory = RowSource.of(m)) {
            for (int blockRows : BLOCK_ROWS) {
                assertArrayEquals(Blocks.joined(memory, 333, 901, blockRows), Blocks.joined(file, 333, 901, blockRows));
            }
        }
    }

    @Test
    void aFileWithNoRowsHasNoBlocks() throws IOException {
        Path p = dir.resolve("empty.npy");
        Files.write(p, NpyWriter.header("<f4", 0, 3, 0));
        try (NpyRowSource s = NpyRowSource.open(p)) {
            assertEquals(0, s.rows());
            assertEquals(3, s.cols());
            s.forEachBlock(64, (first, rows, values) -> {
                throw new AssertionError("no block expected");
            });
        }
    }

    @Test
    void aNaNOrInfinityIsAnErrorNamingItsRowAndColumnFromZero() throws IOException {
        Matrix m = random(5000, 3, 4);
        m.data()[4321 * 3 + 2] = Double.NaN;
        Path p = npy("nan.npy", "<f4", m);
        try (NpyRowSource s = NpyRowSource.open(p, NpyRowSource.Reading.POSITIONED, 4096 + 3)) {
            long[] handed = {0};
            DataFileException e = assertThrows(DataFileException.class,
                    () -> s.forEachBlock(1000, (first, rows, values) -> handed[0] += rows));
            assertEquals(p + ": row 4321, column 2 (0-based): NaN (a missing value) is not accepted in streamed data",
                    e.getMessage());
            assertEquals(4000, handed[0], "the block holding the NaN is not handed over");
        }
        m.data()[4321 * 3 + 2] = 1;
        m.data()[7] = Double.NEGATIVE_INFINITY;
        Path q = npy("inf.npy", "<f8", m);
        try (NpyRowSource s = NpyRowSource.open(q)) {
            assertEquals(q + ": row 2, column 1 (0-based): -Infinity is not a finite number (infinite values are never"
                    + " valid data)", assertThrows(DataFileException.class, () -> s.forEachBlock(64, (f, r, v) -> { }))
                    .getMessage());
        }
    }

    /**
     * {@code read} is what the CPU backend's units call on their own threads: ranges read at once on many
     * threads, spanning several positioned reads ({@code READ_BYTES}) and starting at odd rows, give the
     * file's values (float64 as written, float32 widened) in both byte orders.
     */
    @Test
    void concurrentRangeReadsGiveTheFileValuesInEveryWidthAndByteOrder() throws Exception {
        int rows = 20_000;
        int cols = 3;
        Matrix m = random(rows, cols, 12);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (String descr : new String[] {"<f8", ">f8", "<f4", ">f4"}) {
                double[] expected = descr.endsWith("f4") ? throughFloat32(m) : m.data();
                try (NpyRowSource s = NpyRowSource.open(npy("c" + descr.charAt(0) + descr.charAt(2) + ".npy", descr, m))) {
                    List<Future<?>> reads = new ArrayList<>();
                    Random r = new Random(13);
                    for (int t = 0; t < 64; t++) {
                        int from = r.nextInt(rows);
                        int to = from + r.nextInt(rows - from + 1);
                        reads.add(pool.submit(() -> {
                            double[] out = new double[(to - from) * cols + 5];
                            s.read(from, to, out);
                            assertArrayEquals(Arrays.copyOfRange(expected, from * cols, to * cols),
                                    Arrays.copyOf(out, (to - from) * cols), descr + " rows [" + from + ", " + to + ")");
                            return null;
                        }));
                    }
                    for (Future<?> f : reads) {
                        f.get();
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A range read checks as it widens: a NaN past the first positioned read is named by its own row and
     * column, a range without it reads, ALLOW_NAN hands the NaN over, and an infinity is refused either way.
     */
    @Test
    void aRangeReadNamesItsBadValueByRowAndColumn() throws IOException {
        Matrix m = random(20_000, 3, 14);
        m.data()[15_001 * 3 + 1] = Double.NaN;
        m.data()[17_000 * 3 + 2] = Double.POSITIVE_INFINITY;
        for (String descr : new String[] {"<f8", ">f4"}) {
            Path p = npy("bad" + descr.charAt(2) + ".npy", descr, m);
            double[] out = new double[20_000 * 3];
            try (NpyRowSource s = NpyRowSource.open(p)) {
                assertEquals(p + ": row 15001, column 1 (0-based): NaN (a missing value) is not accepted in streamed"
                        + " data", assertThrows(DataFileException.class, () -> s.read(0, 20_000, out)).getMessage());
                s.read(15_002, 16_999, out);
                double first = m.data()[15_002 * 3];
                assertEquals(descr.endsWith("f4") ? (float) first : first, out[0], 0.0,
                        descr + " the first value of a clean range");
            }
            try (NpyRowSource s = NpyRowSource.open(p, MissingValues.ALLOW_NAN)) {
                s.read(15_001, 15_002, out);
                assertTrue(Double.isNaN(out[1]), descr + " NaN handed over as missing");
                assertEquals(p + ": row 17000, column 2 (0-based): Infinity is not a finite number (infinite values are"
                        + " never valid data)", assertThrows(DataFileException.class, () -> s.read(16_000, 18_000, out))
                        .getMessage());
            }
        }
    }

    @Test
    void fortranOrderThreeDimensionsAndAShortFileAreTheReadersErrors() throws IOException {
        Path fortran = dir.resolve("f.npy");
        Files.write(fortran, withData(header("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }"), 32));
        assertEquals(fortran + ": only C-order arrays are supported (fortran_order is True); save"
                + " np.ascontiguousarray(X) instead", assertThrows(DataFileException.class,
                () -> NpyRowSource.open(fortran)).getMessage());
        Path cube = dir.resolve("c.npy");
        Files.write(cube, withData(header("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 2), }"), 64));
        assertEquals(cube + ": expected a 1-D or 2-D array, got shape (2, 2, 2)",
                assertThrows(DataFileException.class, () -> NpyRowSource.open(cube)).getMessage());
        Path shortFile = dir.resolve("s.npy");
        Files.write(shortFile, withData(NpyWriter.header("<f8", 3, 2, 0), 40));
        assertEquals(shortFile + ": truncated: shape (3, 2) of <f8 needs 48 bytes of data but the file has 40",
                assertThrows(DataFileException.class, () -> NpyRowSource.open(shortFile)).getMessage());
    }

    /**
     * Offsets beyond 2^31 values: a (3e9, 1) float32 array is 12 GB, made sparse by setLength on a
     * header-only file (no disk used); its first and last blocks are read and the file deleted.
     */
    @Test
    void rowCountsBeyondTwoToTheThirtyOneAreLongsEndToEnd() throws IOException {
        long n = 3_000_000_000L;
        Path p = dir.resolve("sparse.npy");
        byte[] header = NpyWriter.header("<f4", n, 1, 0);
        try {
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.write(header);
                try {
                    f.setLength(header.length + n * Float.BYTES);
                } catch (IOException e) {
                    assumeTrue(false, "the file system cannot make a 12 GB sparse file: " + e.getMessage());
                }
                // Two known values: the very last one, and the first of the last block.
                f.seek(header.length + (n - 1) * Float.BYTES);
                f.write(floatBytes(2.5f));
                f.seek(header.length + (n - 1000) * Float.BYTES);
                f.write(floatBytes(-1.25f));
            }
            for (NpyRowSource.Reading reading : NpyRowSource.Reading.values()) {
                try (NpyRowSource s = NpyRowSource.open(p, reading, 4096 + 3)) {
                    assertEquals(n, s.rows());
                    assertArrayEquals(new double[1000], Blocks.joined(s, 0, 1000, 64));
                    double[] expected = new double[1000];
                    expected[0] = -1.25;
                    expected[999] = 2.5;
                    assertArrayEquals(expected, Blocks.joined(s, n - 1000, n, 7), reading.name());
                }
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    private static byte[] floatBytes(float v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array();
    }

    private static byte[] header(String dict) {
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) (total - 10));
        b.put(dict.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        while (b.position() < total - 1) {
            b.put((byte) ' ');
        }
        return b.put((byte) '\n').array();
    }

    private static byte[] withData(byte[] header, int dataBytes) {
        byte[] all = new byte[header.length + dataBytes];
        System.arraycopy(header, 0, all, 0, header.length);
        return all;
    }

    /**
     * A pass over many small mapped windows leaves no mapping of the file behind (each is unmapped once
     * consumed): left to the GC, tens of thousands of live mappings exhaust vm.max_map_count and kill the JVM.
     */
    @Test
    void mappedWindowsAreReleasedAsTheyAreConsumed() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "needs /proc/self/maps (Linux)");
        Matrix m = random(5000, 4, 11);
        Path file = npy("many-windows.npy", "<f8", m);
        String real = file.toRealPath().toString();
        double[] sum = new double[1];
        try (NpyRowSource s = NpyRowSource.open(file, NpyRowSource.Reading.MAPPED, 64)) {
            s.forEachBlock(0, s.rows(), 100, (first, n, block) -> {
                for (int i = 0; i < n * 4; i++) {
                    sum[0] += block[i];
                }
            });
            long live = Files.readAllLines(maps).stream().filter(l -> l.endsWith(real)).count();
            assertEquals(0, live, "mappings of the file left after a pass of 2500 windows");
        }
        double expected = 0;
        for (double v : m.data()) {
            expected += v;
        }
        assertEquals(expected, sum[0], 0.0, "every value read, in order");
    }
}
