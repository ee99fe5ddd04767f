package io.gaussmix.testing;

import io.gaussmix.data.RowSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Joins the blocks a {@link RowSource} hands over, checking their order and sizes on the way. */
public final class Blocks {
    private Blocks() {
    }

    /** Rows [from, to) of {@code source} visited in blocks of {@code blockRows}, as one row-major array. */
    public static double[] joined(RowSource source, long from, long to, int blockRows) {
        int cols = source.cols();
        double[] all = new double[Math.toIntExact((to - from) * cols)];
        long[] expectedFirst = {from};
        source.forEachBlock(from, to, blockRows, (first, rows, values) -> {
            assertEquals(expectedFirst[0], first, "blocks in order, none skipped");
            assertEquals(Math.min(blockRows, to - first), rows, "full blocks but the last");
            System.arraycopy(values, 0, all, (int) (first - from) * cols, rows * cols);
            expectedFirst[0] += rows;
        });
        assertEquals(to, expectedFirst[0], "every row visited");
        return all;
    }
}
