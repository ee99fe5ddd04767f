package io.gaussmix.io;

import io.gaussmix.data.Matrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.OptionalInt;

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

    /**
     * The number of columns in the header of {@code file}, or empty when it is not a readable .npy
     * file: a look before the arguments are parsed (the kernel warm-up), so it never fails.
     */
    public static OptionalInt columns(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long cols = NpyLayout.read(ch, file.toString()).cols();
            return cols <= Integer.MAX_VALUE ? OptionalInt.of((int) cols) : OptionalInt.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    private static Matrix read(FileChannel ch, String file, MissingValues missing) throws IOException {
        NpyLayout layout = NpyLayout.read(ch, file);
        NpyHeader header = layout.header();
        long rows = layout.rows();
        long cols = layout.cols();
        int itemSize = layout.itemSize();
        if (rows == 0) {
            throw new DataFileException(file + ": no data rows (shape " + header.shapeText() + ")");
        }
        if (rows > MAX_VALUES / cols) {
            throw new DataFileException(file + ": shape " + header.shapeText()
                    + " has too many values for one matrix (at most " + MAX_VALUES + ")");
        }
        int n = (int) (rows * cols);
        layout.requireDataSize(ch.size(), file);
        // The file's size is known to match the shape: check the heap before the one large allocation.
        Memory.require((long) n * Double.BYTES, file + ": shape " + header.shapeText() + " read as float64");
        double[] values = new double[n];
        readValues(ch, layout.dataStart(), layout.order(), itemSize, values, file);
        checkValues(values, (int) cols, missing, file);
        return Matrix.wrap(values, (int) rows, (int) cols);
    }

    private static void readValues(FileChannel ch, long start, ByteOrder order, int itemSize, double[] out,
                                   String file) throws IOException {
        int perChunk = CHUNK / itemSize;
        ByteBuffer buf = ByteBuffer.allocateDirect(perChunk * itemSize);
        long pos = start;
        for (int done = 0; done < out.length; ) {
            int k = Math.min(perChunk, out.length - done);
            buf.clear().limit(k * itemSize);
            NpyLayout.readFully(ch, buf, pos, file);
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
}
