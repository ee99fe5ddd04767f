package io.gaussmix.em;

import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The initialiser's sample: all rows up to the bound (the matrix itself), else exactly bound rows, uniform, seeded. */
class InitSampleTest {
    /** Row r holds r in its first column, so a sampled row tells its index. */
    private static Matrix indexed(int n) {
        double[] v = new double[n * 2];
        for (int r = 0; r < n; r++) {
            v[2 * r] = r;
            v[2 * r + 1] = -r;
        }
        return Matrix.wrap(v, n, 2);
    }

    @Test
    void atOrBelowTheBoundTheMatrixItselfIsUsed() {
        Matrix x = indexed(100);
        double[] w = new double[100];
        InitSample s = InitSample.of(RowSource.of(x), w, 100, 1);
        assertSame(x, s.x());
        assertSame(w, s.w());
        // A streamed source of as few rows is read whole, in order.
        InitSample all = InitSample.of(RowSource.of(List.of(indexed(60), indexed(40))), (RowSource) null, 1000, 1);
        assertEquals(100, all.x().rows());
        assertEquals(59, all.x().get(59, 0));
        assertEquals(0, all.x().get(60, 0));
    }

    @Test
    void aboveTheBoundExactlyBoundRowsInOrderReproducibleFromTheSeed() {
        int n = 100_000;
        int bound = 10_000;
        Matrix x = indexed(n);
        double[] w = new double[n];
        for (int r = 0; r < n; r++) {
            w[r] = r;
        }
        InitSample a = InitSample.of(RowSource.of(x), w, bound, 5);
        InitSample b = InitSample.of(RowSource.of(List.of(indexed(n))), w, bound, 5);
        InitSample c = InitSample.of(RowSource.of(x), w, bound, 6);
        assertEquals(bound, a.x().rows());
        assertArrayEquals(a.x().data(), b.x().data(), "the same rows from the same seed, whatever the source");
        assertFalse(java.util.Arrays.equals(a.x().data(), c.x().data()), "another seed, another sample");
        double sum = 0;
        for (int i = 0; i < bound; i++) {
            double r = a.x().get(i, 0);
            assertEquals(-r, a.x().get(i, 1), "whole rows");
            assertEquals(r, a.w()[i], "each row's own weight");
            if (i > 0) {
                assertTrue(r > a.x().get(i - 1, 0), "distinct rows in source order");
            }
            sum += r;
        }
        // A uniform sample without replacement: the mean index is (n-1)/2 with standard error
        // sqrt((n^2/12)(1 - bound/n)/bound) ~ 274; 5 standard errors keep the test from flaking.
        double se = Math.sqrt((double) n * n / 12 * (1 - (double) bound / n) / bound);
        assertEquals((n - 1) / 2.0, sum / bound, 5 * se);
    }
}
