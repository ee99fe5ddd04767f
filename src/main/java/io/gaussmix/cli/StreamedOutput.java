package io.gaussmix.cli;

import io.gaussmix.data.Matrix;
import io.gaussmix.io.BlockSink;
import io.gaussmix.io.CsvWriter;
import io.gaussmix.io.NpyWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A command's per-row result written while it is computed, block by block, so that its memory does not
 * grow with N: a {@code .npy} target (any case) as float64 {@code (N, cols)}, anything else as CSV. One
 * atomic write per target ({@code AtomicFiles}): a failure anywhere in the pass, or a non-finite value,
 * leaves an existing target as it was and no partial file. The sinks handed to a body report a failed
 * write as a {@link CliException} naming their own target, so that bodies can nest (two outputs of one pass).
 */
final class StreamedOutput {
    private StreamedOutput() {
    }

    /** Whether {@code file} is named as a {@code .npy} file (the rule of {@code DataFiles}). */
    static boolean isNpy(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".npy");
    }

    /** The CSV header p0, p1, ... of K responsibilities. */
    static List<String> probabilityHeader(int k) {
        List<String> header = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            header.add("p" + c);
        }
        return header;
    }

    /**
     * Writes the {@code rows x cols} blocks that {@code body} hands its sink, in order.
     *
     * @param header the CSV column names (empty for none; a {@code .npy} file has none)
     */
    static void matrix(Path target, List<String> header, long rows, int cols, Consumer<Consumer<Matrix>> body) {
        try {
            if (isNpy(target)) {
                NpyWriter.writeStreamed(target, rows, cols, sink -> body.accept(block -> add(target, sink, block)));
            } else {
                CsvWriter.writeFiniteStreamed(target, header, cols, sink -> body.accept(block -> add(target, sink, block)));
            }
        } catch (IOException e) {
            throw Inputs.cannotWrite(target, e);
        }
    }

    /** Writes the labels {@code body} hands its sink: one per line in CSV, a float64 {@code (N, 1)} column in {@code .npy}. */
    static void labels(Path target, long rows, Consumer<Consumer<int[]>> body) {
        if (isNpy(target)) {
            matrix(target, List.of(), rows, 1, sink -> body.accept(labels -> sink.accept(column(labels))));
            return;
        }
        try {
            CsvWriter.writeLabelsStreamed(target, null, sink -> body.accept(labels -> {
                try {
                    sink.add(labels);
                } catch (IOException e) {
                    throw Inputs.cannotWrite(target, e);
                }
            }));
        } catch (IOException e) {
            throw Inputs.cannotWrite(target, e);
        }
    }

    private static void add(Path target, BlockSink sink, Matrix block) {
        try {
            sink.add(block);
        } catch (IOException e) {
            throw Inputs.cannotWrite(target, e);
        }
    }

    private static Matrix column(int[] labels) {
        double[] values = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            values[i] = labels[i];
        }
        return Matrix.wrap(values, labels.length, 1);
    }
}
