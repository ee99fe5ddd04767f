package io.gaussmix.io;

import io.gaussmix.data.RowSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The rows of a {@code .npy} file as a {@link RowSource}, read in windows of bounded size, so a file of
 * any size is visited with constant memory: the window plus one block.
 *
 * <p>Accepted: what {@link NpyReader} accepts (float64 or float32 in either byte order, C order, 1-D or
 * 2-D; the same errors for anything else), with N a {@code long} and N = 0 allowed. float64 values are
 * copied from the window with one bulk get; float32 values are read as float32 and widened per block
 * (exactly), so no float64 copy of the file is ever made.
 *
 * <p>Every value handed over is finite: a NaN or an infinity is a {@link DataFileException} naming its
 * row and column (0-based, the row a {@code long}), thrown before the block holding it is handed over.
 * Opened with {@link MissingValues#ALLOW_NAN} (for imputation), NaN is handed over as a missing value;
 * an infinity is still an error.
 *
 * <p>Windows start at the first byte not yet consumed and end at the window size, wherever that falls:
 * a value cut by a window's end is read again whole from the next one, so the blocks are the same for
 * any window size. The default, {@link Reading#MAPPED} windows of 16 MiB, was the fastest measured
 * from the page cache (float64 about 1.6x, float32 about 1.1x the best positioned reads, which peak at
 * 1 MiB buffers: {@code benchmarks/RESULTS.md}, "Reading .npy windows").
 *
 * <p>{@link #read} (what the CPU backend's work units call, each for its own rows on its own thread) is
 * a positioned read of just those rows into a small direct buffer of the calling thread, widened and
 * checked in one loop while the bytes are in cache; so a streamed pass reads the file on every worker
 * at once instead of one window at a time on one thread (issue 13: {@code benchmarks/RESULTS.md},
 * "Streamed exact EM"). Thread-safe: {@link #read} and {@link #forEachBlock} may run on several
 * threads at once (each {@link #forEachBlock} has its own windows and block).
 */
public final class NpyRowSource implements RowSource {
    /** How windows of the file are read. */
    public enum Reading {
        /**
         * {@link FileChannel#map} per window: no copy out of the page cache. A mapping lives until the
         * garbage collector frees its buffer; when mappings pile up to the kernel's limit, the JDK's
         * {@code map} collects and retries.
         */
        MAPPED,
        /** Positioned {@link FileChannel#read(ByteBuffer, long)} calls into one reused direct buffer. */
        POSITIONED
    }

    /** The default window (measured: larger mapped windows gained nothing more). */
    public static final int DEFAULT_WINDOW_BYTES = 16 << 20;

    /**
     * Bytes per positioned read of {@link #read}: a 2048-row unit of 16 float32 columns in one call, and
     * small enough to stay in L2 between the read and the widening.
     */
    static final int READ_BYTES = 128 << 10;

    private final FileChannel channel;
    private final String file;
    private final NpyLayout layout;
    private final int cols;
    private final Reading reading;
    private final int windowBytes;
    private final MissingValues missing;
    /** Direct buffers of {@link #READ_BYTES} for {@link #read}: taken by one call, given back after it. */
    private final ConcurrentLinkedDeque<ByteBuffer> readBuffers = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    private NpyRowSource(FileChannel channel, String file, NpyLayout layout, Reading reading, int windowBytes,
                         MissingValues missing) {
        this.channel = channel;
        this.file = file;
        this.layout = layout;
        this.cols = (int) layout.cols();
        this.reading = reading;
        this.windowBytes = windowBytes;
        this.missing = missing;
    }

    /** Opens {@code file} with the default reading and window; the header and the file's size are checked now. */
    public static NpyRowSource open(Path file) {
        return open(file, MissingValues.REJECT);
    }

    /** Opens {@code file} with the default reading and window; with {@link MissingValues#ALLOW_NAN} NaN is handed over. */
    public static NpyRowSource open(Path file, MissingValues missing) {
        return open(file, Reading.MAPPED, DEFAULT_WINDOW_BYTES, missing);
    }

    /**
     * Opens {@code file}, reading windows of {@code windowBytes} bytes (at least 8) the given way.
     *
     * @throws DataFileException when the file cannot be read or is not an acceptable {@code .npy} file
     */
    public static NpyRowSource open(Path file, Reading reading, int windowBytes) {
        return open(file, reading, windowBytes, MissingValues.REJECT);
    }

    /**
     * As {@link #open(Path, Reading, int)}; {@code missing} says whether NaN is an error (REJECT) or
     * handed over as a missing value (ALLOW_NAN). Infinities are errors either way.
     */
    public static NpyRowSource open(Path file, Reading reading, int windowBytes, MissingValues missing) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reading, "reading");
        Objects.requireNonNull(missing, "missing");
        if (windowBytes < Double.BYTES) {
            throw new IllegalArgumentException("windowBytes must be >= " + Double.BYTES + ", got " + windowBytes);
        }
        FileErrors.requireNotDirectory(file);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            NpyLayout layout = NpyLayout.read(ch, file.toString());
            if (layout.cols() > Integer.MAX_VALUE - 8) {
                throw new DataFileException(file + ": shape " + layout.header().shapeText()
                        + " has more columns than one row can hold (at most " + (Integer.MAX_VALUE - 8) + ")");
            }
            layout.requireDataSize(ch.size(), file.toString());
            NpyRowSource source = new NpyRowSource(ch, file.toString(), layout, reading, windowBytes, missing);
            ch = null; // the source owns it now
            return source;
        } catch (IOException e) {
            throw FileErrors.readFailure(file, e);
        } finally {
            closeQuietly(ch);
        }
    }

    @Override
    public long rows() {
        return layout.rows();
    }

    @Override
    public int cols() {
        return cols;
    }

    /** Bytes per value in the file: 8 (float64) or 4 (float32). */
    public int itemSize() {
        return layout.itemSize();
    }

    @Override
    public void forEachBlock(long from, long to, int blockRows, BlockConsumer consumer) {
        Objects.requireNonNull(consumer, "consumer");
        requireOpen();
        double[] block = new double[RowSource.blockLength(rows(), cols, from, to, blockRows)];
        Windows windows = new Windows(offset(from), offset(to));
        try {
            for (long first = from; first < to; first += blockRows) {
                int n = (int) Math.min(blockRows, to - first);
                windows.fill(block, n * cols);
                requireFinite(block, n, first);
                consumer.accept(first, n, block);
            }
        } catch (IOException e) {
            throw new DataFileException("cannot read " + file + ": " + e.getMessage(), e);
        } finally {
            windows.release();
        }
    }

    /** The byte offset of row {@code row} ({@code long} throughout: a file may hold far more than 2^31 values). */
    private long offset(long row) {
        return layout.dataStart() + row * cols * layout.itemSize();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(file + ": the row source is closed");
        }
    }

    private void requireFinite(double[] block, int n, long firstRow) {
        requireFinite(block, 0, n * cols, firstRow * cols);
    }

    /**
     * Throws for the first value of {@code values[from, to)} that is not accepted; {@code firstValue} is the
     * file's index of {@code values[from]} counted in values, so the row and column can be named.
     */
    private void requireFinite(double[] values, int from, int to, long firstValue) {
        for (int i = from; i < to; i++) {
            double v = values[i];
            if (!Double.isFinite(v) && !(Double.isNaN(v) && missing == MissingValues.ALLOW_NAN)) {
                long at = firstValue + (i - from);
                String where = file + ": row " + at / cols + ", column " + at % cols + " (0-based): ";
                throw new DataFileException(where + (Double.isNaN(v)
                        ? "NaN (a missing value) is not accepted in streamed data"
                        : v + " is not a finite number (infinite values are never valid data)"));
            }
        }
    }

    /**
     * Rows {@code [from, to)} by positioned reads of at most {@link #READ_BYTES} into a direct buffer of this
     * call's own, each widened into {@code out} and checked in the same loop (one pass over bytes that are
     * in cache): the same values and the same located errors as {@link #forEachBlock}. Thread-safe.
     */
    @Override
    public void read(long from, long to, double[] out) {
        RowSource.requireReadRange(rows(), cols, from, to, out);
        requireOpen();
        ByteBuffer buf = readBuffers.pollFirst();
        if (buf == null) {
            buf = ByteBuffer.allocateDirect(READ_BYTES).order(layout.order());
        }
        try {
            int itemSize = layout.itemSize();
            long end = offset(to);
            int filled = 0;
            for (long pos = offset(from); pos < end; ) {
                int length = (int) Math.min(READ_BYTES, end - pos);
                buf.clear().limit(length);
                NpyLayout.readFully(channel, buf, pos, file);
                int count = length / itemSize;
                boolean finite = itemSize == Float.BYTES ? widenFloats(buf, count, out, filled)
                        : copyDoubles(buf, count, out, filled);
                if (!finite) {
                    requireFinite(out, filled, filled + count, from * cols + filled);
                }
                pos += length;
                filled += count;
            }
        } catch (IOException e) {
            throw new DataFileException("cannot read " + file + ": " + e.getMessage(), e);
        } finally {
            readBuffers.addFirst(buf);
        }
    }

    /**
     * Widens {@code count} float32 values of {@code buf} into {@code out} from {@code at}; false when one is
     * not finite ({@code v - v} is 0 exactly for the finite ones), so the check costs no branch per value.
     */
    private static boolean widenFloats(ByteBuffer buf, int count, double[] out, int at) {
        boolean finite = true;
        for (int i = 0; i < count; i++) {
            double v = buf.getFloat(i * Float.BYTES);
            out[at + i] = v;
            finite &= v - v == 0;
        }
        return finite;
    }

    /** As {@link #widenFloats} for float64 values. */
    private static boolean copyDoubles(ByteBuffer buf, int count, double[] out, int at) {
        boolean finite = true;
        for (int i = 0; i < count; i++) {
            double v = buf.getDouble(i * Double.BYTES);
            out[at + i] = v;
            finite &= v - v == 0;
        }
        return finite;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(channel);
        for (ByteBuffer b; (b = readBuffers.pollFirst()) != null; ) {
            MappedWindows.unmap(b);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            // A read-only channel loses nothing when its close fails.
        }
    }

    /** One pass's windows over the bytes [next, end): each window starts at the first value not yet consumed. */
    private final class Windows {
        private final int itemSize = layout.itemSize();
        private final long end;
        private long next;
        private ByteBuffer window = ByteBuffer.allocate(0);
        private float[] narrow = new float[0];
        /** POSITIONED: this pass's own buffer (so passes on several threads never share one). */
        private ByteBuffer buffer;

        Windows(long start, long end) {
            this.next = start;
            this.end = end;
        }

        /** Fills {@code out[0, count)} with the next {@code count} values, widening float32. */
        void fill(double[] out, int count) throws IOException {
            for (int filled = 0; filled < count; ) {
                if (window.remaining() < itemSize) {
                    window = read(next, (int) Math.min(windowBytes, end - next));
                }
                int k = Math.min(count - filled, window.remaining() / itemSize);
                if (itemSize == Double.BYTES) {
                    window.asDoubleBuffer().get(out, filled, k);
                } else {
                    if (narrow.length < k) {
                        narrow = new float[k];
                    }
                    window.asFloatBuffer().get(narrow, 0, k);
                    for (int i = 0; i < k; i++) {
                        out[filled + i] = narrow[i];
                    }
                }
                window.position(window.position() + k * itemSize);
                next += (long) k * itemSize;
                filled += k;
            }
        }

        /**
         * Unmaps the current mapped window (at most one is alive per pass; see {@link MappedWindows}) or,
         * for POSITIONED, frees this pass's direct buffer now rather than at some later GC.
         */
        void release() {
            if (reading == Reading.MAPPED) {
                MappedWindows.unmap(window);
            } else {
                MappedWindows.unmap(buffer);
                buffer = null;
            }
            window = ByteBuffer.allocate(0);
        }

        private ByteBuffer read(long pos, int length) throws IOException {
            if (reading == Reading.MAPPED) {
                release();
                return channel.map(FileChannel.MapMode.READ_ONLY, pos, length).order(layout.order());
            }
            if (buffer == null) {
                buffer = ByteBuffer.allocateDirect((int) Math.min(windowBytes, end - pos));
            }
            buffer.clear().limit(length);
            NpyLayout.readFully(channel, buffer, pos, file);
            return buffer.flip().order(layout.order());
        }
    }
}
