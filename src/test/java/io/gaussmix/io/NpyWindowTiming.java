package io.gaussmix.io;

import io.gaussmix.data.RowSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times one pass of {@link NpyRowSource} over a .npy file from the page cache, positioned reads against
 * mapped windows (benchmarks/RESULTS.md, "Reading .npy windows"). Not a test: run as
 * {@code java -cp target/classes:target/test-classes io.gaussmix.io.NpyWindowTiming DIR GB [f4|f8]...}.
 * It writes a file of GB gigabytes with 16 columns in DIR (deleted at the end), reads it once to fill
 * the page cache, then takes the median of 3 passes for each reading and window size.
 */
public final class NpyWindowTiming {
    private static final int COLS = 16;
    private static final int BLOCK_ROWS = 65536;

    private NpyWindowTiming() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        double gb = Double.parseDouble(args[1]);
        for (int a = 2; a < args.length; a++) {
            String descr = "<" + args[a];
            int itemSize = descr.endsWith("f4") ? 4 : 8;
            long rows = (long) (gb * 1e9 / itemSize / COLS);
            Path file = Files.createTempFile(dir, "timing-", ".npy");
            try {
                write(file, descr, rows, itemSize);
                pass(file, NpyRowSource.Reading.MAPPED, NpyRowSource.DEFAULT_WINDOW_BYTES); // fills the page cache
                for (int window : new int[] {256 << 10, 1 << 20, 4 << 20, 16 << 20, 64 << 20}) {
                    for (NpyRowSource.Reading reading : NpyRowSource.Reading.values()) {
                        double[] s = new double[3];
                        for (int i = 0; i < s.length; i++) {
                            s[i] = pass(file, reading, window);
                        }
                        Arrays.sort(s);
                        System.out.printf(Locale.ROOT, "%s %d x %d (%.2f GB), %-10s window %5d KiB: %.3f s/pass,"
                                        + " %.2f GB/s (passes %.3f..%.3f s)%n", descr, rows, COLS, Files.size(file) / 1e9,
                                reading, window >> 10, s[1], Files.size(file) / 1e9 / s[1], s[0], s[2]);
                    }
                }
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private static double pass(Path file, NpyRowSource.Reading reading, int window) {
        long t0 = System.nanoTime();
        double[] sum = {0};
        try (RowSource s = NpyRowSource.open(file, reading, window)) {
            s.forEachBlock(BLOCK_ROWS, (first, n, values) -> sum[0] += values[0] + values[n * COLS - 1]);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (sum[0] == 42.4242) {
            System.out.println("(unlikely sum)");
        }
        return seconds;
    }

    private static void write(Path file, String descr, long rows, int itemSize) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(NpyWriter.header(descr, rows, COLS, 0)));
            ByteBuffer b = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
            long values = rows * COLS;
            for (long v = 0; v < values; ) {
                b.clear();
                while (b.remaining() >= itemSize && v < values) {
                    double x = (v++ % 1000) * 0.001 - 0.5;
                    if (itemSize == 4) {
                        b.putFloat((float) x);
                    } else {
                        b.putDouble(x);
                    }
                }
                b.flip();
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }
    }
}
