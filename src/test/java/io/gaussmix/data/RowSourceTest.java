package io.gaussmix.data;

import io.gaussmix.testing.Blocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowSourceTest {
    private static Matrix random(int rows, int cols, long seed) {
        Random r = new Random(seed);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Matrix.wrap(v, rows, cols);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 64, 1000, 5000})
    void oneMatrixGivesItsRowsInBlocks(int blockRows) {
        Matrix m = random(2500, 3, 1);
        try (RowSource s = RowSource.of(m)) {
            assertEquals(2500, s.rows());
            assertEquals(3, s.cols());
            assertArrayEquals(m.data(), Blocks.joined(s, 0, 2500, blockRows));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 64, 1000})
    void aListOfMatricesGivesTheSameBlocksAsOneMatrix(int blockRows) {
        Matrix m = random(2500, 3, 2);
        List<Matrix> parts = new ArrayList<>();
        int[] cuts = {0, 1, 1, 8, 700, 701, 2000, 2500}; // includes an empty part and one-row parts
        for (int i = 0; i + 1 < cuts.length; i++) {
            parts.add(Matrix.wrap(Arrays.copyOfRange(m.data(), cuts[i] * 3, cuts[i + 1] * 3), cuts[i + 1] - cuts[i], 3));
        }
        try (RowSource one = RowSource.of(m); RowSource list = RowSource.of(parts)) {
            assertEquals(one.rows(), list.rows());
            assertArrayEquals(Blocks.joined(one, 0, 2500, blockRows), Blocks.joined(list, 0, 2500, blockRows));
            assertArrayEquals(Arrays.copyOfRange(m.data(), 699 * 3, 2001 * 3), Blocks.joined(list, 699, 2001, blockRows));
        }
    }

    @Test
    void anEmptyRangeVisitsNothing() {
        try (RowSource s = RowSource.of(List.of(Matrix.wrap(new double[0], 0, 4)))) {
            assertEquals(0, s.rows());
            s.forEachBlock(64, (first, rows, values) -> {
                throw new AssertionError("no block expected");
            });
        }
    }

    @Test
    void badRequestsAreRefusedNamingWhatIsWrong() {
        try (RowSource s = RowSource.of(random(10, 2, 3))) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> s.forEachBlock(0, (f, r, v) -> { }))
                    .getMessage().contains("blockRows must be >= 1"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> s.forEachBlock(5, 11, 4, (f, r, v) -> { }))
                    .getMessage().contains("[5, 11) are not within [0, 10)"));
        }
        String msg = assertThrows(IllegalArgumentException.class,
                () -> RowSource.of(List.of(random(2, 2, 4), random(2, 3, 5)))).getMessage();
        assertEquals("matrix 1 has 3 columns but matrix 0 has 2", msg);
    }

    /**
     * read(from, to, out) copies exactly those rows, from a matrix in place or from parts across their
     * boundaries and across its own blocks (a range longer than READ_BLOCK_VALUES); bad ranges are refused.
     */
    @Test
    void readCopiesARangeOfRowsFromAnySource() {
        int n = 3 * RowSource.READ_BLOCK_VALUES + 11;
        Matrix column = random(n, 1, 5);
        Matrix m = random(300, 4, 6);
        List<Matrix> mParts = List.of(Matrix.wrap(Arrays.copyOfRange(m.data(), 0, 4 * 7), 7, 4),
                Matrix.wrap(Arrays.copyOfRange(m.data(), 4 * 7, 4 * 300), 293, 4));
        List<Matrix> cParts = List.of(Matrix.wrap(Arrays.copyOfRange(column.data(), 0, 5), 5, 1),
                Matrix.wrap(Arrays.copyOfRange(column.data(), 5, n), n - 5, 1));
        long[][] ranges = {{0, 0}, {0, 300}, {3, 9}, {6, 8}, {299, 300}};
        for (RowSource s : List.of(RowSource.of(m), RowSource.of(mParts))) {
            for (long[] r : ranges) {
                double[] out = new double[(int) (r[1] - r[0]) * 4 + 3];
                s.read(r[0], r[1], out);
                assertArrayEquals(Arrays.copyOfRange(m.data(), (int) r[0] * 4, (int) r[1] * 4),
                        Arrays.copyOf(out, (int) (r[1] - r[0]) * 4), Arrays.toString(r));
            }
        }
        for (RowSource s : List.of(RowSource.ofColumn(column.data()), RowSource.of(cParts))) {
            double[] out = new double[n - 2];
            s.read(1, n - 1, out);
            assertArrayEquals(Arrays.copyOfRange(column.data(), 1, n - 1), out);
        }
        RowSource s = RowSource.of(m);
        assertThrows(IllegalArgumentException.class, () -> s.read(5, 301, new double[2000]));
        assertThrows(IllegalArgumentException.class, () -> s.read(0, 10, new double[39]));
    }

    @Test
    void weightsMustBeOneColumnOfTheRowCount() {
        RowSource.requireWeightsFor(null, 10);
        RowSource.requireWeightsFor(RowSource.ofColumn(new double[10]), 10);
        assertEquals("9 sample weights for 10 rows", assertThrows(IllegalArgumentException.class,
                () -> RowSource.requireWeightsFor(RowSource.ofColumn(new double[9]), 10)).getMessage());
        assertEquals("sample weights must be one column, got 2", assertThrows(IllegalArgumentException.class,
                () -> RowSource.requireWeightsFor(RowSource.of(Matrix.wrap(new double[20], 10, 2)), 10)).getMessage());
        assertNull(RowSource.ofColumn(null));
    }
}
