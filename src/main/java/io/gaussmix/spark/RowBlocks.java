package io.gaussmix.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

import java.util.Arrays;
import java.util.Iterator;

/**
 * Turns a DataFrame's feature (and weight) column into {@link RowBlock}s: dense float64 rows, at most
 * {@code blockRows} per block, in the partition's row order. Bad rows are counted in the blocks'
 * {@link InputCheck}s instead of failing inside a task, so that the driver reports them in one clear line.
 */
final class RowBlocks {
    private RowBlocks() {
    }

    /**
     * @param weightCol the weight column, or null for unit weights
     */
    static JavaRDD<RowBlock> of(Dataset<?> data, String featuresCol, String weightCol, int blockRows) {
        Column weight = weightCol == null ? functions.lit(null).cast("double") : functions.col(weightCol).cast("double");
        boolean weighted = weightCol != null;
        return data.select(functions.col(featuresCol), weight).toJavaRDD()
                .mapPartitionsWithIndex((partition, rows) -> blocks(partition, rows, weighted, blockRows), true);
    }

    private static Iterator<RowBlock> blocks(int partition, Iterator<Row> rows, boolean weighted, int blockRows) {
        // Lazy: the partition is read block by block, never held whole (the cache may spill it to disk).
        return new Iterator<>() {
            private long row;

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public RowBlock next() {
                RowBlock b = block(partition, row, rows, weighted, blockRows);
                row += b.check().rows;
                return b;
            }
        };
    }

    /** The next block: up to blockRows good rows, from the input row {@code first} of the partition on. */
    private static RowBlock block(int partition, long first, Iterator<Row> rows, boolean weighted, int blockRows) {
        InputCheck check = new InputCheck();
        double[] x = null;
        double[] w = weighted ? new double[blockRows] : null;
        int n = 0;
        while (rows.hasNext() && n < blockRows) {
            Row r = rows.next();
            long at = check.rows++;
            Vector v = r.isNullAt(0) ? null : (Vector) r.get(0);
            if (v == null) {
                check.nullFeatures(at);
                continue;
            }
            if (check.width < 0) {
                check.width = v.size();
                check.widthRow = at;
                x = new double[Math.multiplyExact(blockRows, Math.max(1, v.size()))];
            } else if (v.size() != check.width) {
                check.otherWidth(at, v.size());
                continue;
            }
            Double g = weighted && !r.isNullAt(1) ? r.getDouble(1) : null;
            if (weighted && (g == null || !(g >= 0) || Double.isInfinite(g))) {
                check.badWeight(at, g);
                continue;
            }
            double[] values = v.toArray();
            int bad = firstNonFinite(values);
            if (bad >= 0) {
                check.nonFinite(at, bad, values[bad]);
                continue;
            }
            System.arraycopy(values, 0, x, n * check.width, check.width);
            if (weighted) {
                w[n] = g;
                check.positiveWeight += g > 0 ? 1 : 0;
                check.maxWeight = Math.max(check.maxWeight, g);
            }
            n++;
        }
        int d = Math.max(check.width, 0);
        double[] xs = x == null ? new double[0] : Arrays.copyOf(x, n * d);
        return new RowBlock(partition, first, n, d, xs, weighted ? Arrays.copyOf(w, n) : null, check);
    }

    private static int firstNonFinite(double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }
}
