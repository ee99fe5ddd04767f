package io.gaussmix.cli;

import io.gaussmix.backend.cpu.CpuBackend;
import io.gaussmix.data.Matrix;
import io.gaussmix.io.Memory;
import io.gaussmix.io.NpyRowSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The rows {@code fit} fits: one matrix in the heap (CSV, the demo, a .npy file whose float64 copy fits
 * easily, or any input a memory-only feature needs), or a .npy file streamed window by window, so the
 * heap does not grow with N. Closing it closes the file.
 *
 * @param matrix the rows in memory, or null when streamed
 * @param stream the open file, or null when resident
 * @param header CSV column names (empty for .npy)
 * @param name   what the summary calls the data
 */
record FitInput(Matrix matrix, NpyRowSource stream, List<String> header, String name) implements AutoCloseable {
    /**
     * The part of the free heap a .npy file's float64 copy may take and still be read whole: half, so the
     * fit's own memory (responsibility blocks, the initialiser's labels, the model) has the rest.
     */
    static final double RESIDENT_SHARE = 0.5;

    /** A .npy file, resident when its float64 copy fits {@link #RESIDENT_SHARE} of the free heap, else streamed. */
    static FitInput npy(Path file) {
        NpyRowSource source = NpyRowSource.open(file);
        long values = source.rows() * source.cols();
        long bytes = values * Double.BYTES;
        if (values <= Integer.MAX_VALUE - 8 && bytes <= RESIDENT_SHARE * Memory.available()) {
            source.close();
            return new FitInput(Inputs.data(file), null, List.of(), file.toString());
        }
        return new FitInput(null, source, List.of(), file.toString());
    }

    static FitInput resident(Matrix m, List<String> header, String name) {
        return new FitInput(m, null, header, name);
    }

    boolean streamed() {
        return stream != null;
    }

    long rows() {
        return streamed() ? stream.rows() : matrix.rows();
    }

    int cols() {
        return streamed() ? stream.cols() : matrix.cols();
    }

    /**
     * One line for the summary: where the rows live during the fit. The window is the CPU backend's; a
     * device backend plans its own chunks and notes them itself.
     */
    String memoryPlan(int initSample, boolean weighted) {
        if (!streamed()) {
            return String.format(Locale.ROOT, "resident (%d x %d float64, %s in the heap)", rows(), cols(),
                    Memory.text(rows() * cols() * Double.BYTES));
        }
        int window = CpuBackend.streamWindowRows(cols());
        return String.format(Locale.ROOT, "streamed from the file (float%d), one pass per iteration, CPU windows"
                        + " of %d rows (%s); initialiser sample %d of %d rows", stream.itemSize() * 8, window,
                Memory.text((long) window * cols() * Double.BYTES), Math.min(initSample, rows()), rows())
                + (weighted ? "; sample weights read with each window" : "");
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
    }
}
