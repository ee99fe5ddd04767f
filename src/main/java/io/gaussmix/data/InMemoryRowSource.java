package io.gaussmix.data;

import java.util.List;

/**
 * A {@link RowSource} over matrices held in memory, one after another. Blocks are cut by row index,
 * not by matrix, so a block may span matrices: the blocks are the same as those of one matrix holding
 * all the rows.
 */
final class InMemoryRowSource implements RowSource {
    private final Matrix[] parts;
    /** starts[i] is the first row of parts[i]; starts[parts.length] is the row count. */
    private final long[] starts;
    private final int cols;

    InMemoryRowSource(List<Matrix> matrices) {
        if (matrices.isEmpty()) {
            throw new IllegalArgumentException("no matrices: a row source needs at least one to know its width");
        }
        parts = matrices.toArray(Matrix[]::new);
        cols = parts[0].cols();
        starts = new long[parts.length + 1];
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].cols() != cols) {
                throw new IllegalArgumentException("matrix " + i + " has " + parts[i].cols()
                        + " columns but matrix 0 has " + cols);
            }
            starts[i + 1] = starts[i] + parts[i].rows();
        }
    }

    @Override
    public long rows() {
        return starts[parts.length];
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public Matrix asMatrix() {
        return parts.length == 1 ? parts[0] : null;
    }

    @Override
    public void forEachBlock(long from, long to, int blockRows, BlockConsumer consumer) {
        double[] block = new double[RowSource.blockLength(rows(), cols, from, to, blockRows)];
        int part = partOf(from);
        for (long first = from; first < to; first += blockRows) {
            int n = (int) Math.min(blockRows, to - first);
            part = copyRows(first, n, block, part);
            consumer.accept(first, n, block);
        }
    }

    /** Straight from the parts into {@code out}: one copy, nothing allocated (the CPU pass reads each unit so). */
    @Override
    public void read(long from, long to, double[] out) {
        RowSource.requireReadRange(rows(), cols, from, to, out);
        if (to > from) {
            copyRows(from, (int) (to - from), out, partOf(from));
        }
    }

    /** The part holding row {@code row} (the last part for the row count itself). */
    private int partOf(long row) {
        int part = 0;
        while (part < parts.length - 1 && starts[part + 1] <= row) {
            part++;
        }
        return part;
    }

    /** Copies rows [first, first + n) into out[0..], starting the search at {@code part}; returns the last part read. */
    private int copyRows(long first, int n, double[] out, int part) {
        int filled = 0;
        while (filled < n) {
            long row = first + filled;
            while (starts[part + 1] <= row) {
                part++;
            }
            int local = (int) (row - starts[part]);
            int take = Math.min(n - filled, parts[part].rows() - local);
            System.arraycopy(parts[part].data(), local * cols, out, filled * cols, take * cols);
            filled += take;
        }
        return part;
    }

    @Override
    public void close() {
        // Nothing held but the matrices, which belong to the caller.
    }
}
