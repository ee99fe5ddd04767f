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
}
