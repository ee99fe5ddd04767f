package io.gaussmix.em;

import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;

import java.util.SplittableRandom;

/**
 * The rows the initialiser sees (and the regCovar note and dead-component re-seeds are measured on): all
 * the rows when there are at most {@code bound} of them, otherwise a uniform sample of exactly
 * {@code bound} rows, reproducible from the seed. The sample is drawn by selection sampling (Knuth's
 * Algorithm S) in one ordered pass, so a file is read sequentially, once; that pass is also the fit's
 * validation pass over a source that is not one in-memory matrix: a non-finite value fails the fit,
 * naming its row and column, before the backend loads anything and before any EM iteration.
 *
 * @param x the rows, in their order in the source
 * @param w their sample weights (null = all 1)
 */
public record InitSample(Matrix x, double[] w) {
    /**
     * Mixed into the seed for the sample's own generator, so that drawing the sample leaves the restarts'
     * generator (seeded with the seed itself) exactly as it is without a sample.
     */
    static final long SAMPLE_SEED_SALT = 0x9E3779B97F4A7C15L;

    /** Rows per block of the sampling pass. */
    private static final int BLOCK_ROWS = 4096;

    /**
     * @param rows  the fitted rows; a single in-memory matrix of at most {@code bound} rows is used as it is
     *              (no copy, no check: the caller validated it)
     * @param w     their weights (null = all 1), one per row
     * @param bound the most rows the initialiser sees (at least 1)
     * @throws IllegalArgumentException for a non-finite value, or a sample that cannot be one array
     */
    public static InitSample of(RowSource rows, double[] w, int bound, long seed) {
        return of(rows, RowSource.ofColumn(w), bound, seed);
    }

    /**
     * As {@link #of(RowSource, double[], int, long)} with the weights a one-column source (null = all 1),
     * read block by block with the rows (in place when both are in memory and all rows are taken).
     */
    public static InitSample of(RowSource rows, RowSource w, int bound, long seed) {
        if (bound < 1) {
            throw new IllegalArgumentException("initSample must be >= 1, got " + bound);
        }
        long n = rows.rows();
        Matrix whole = rows.asMatrix();
        if (whole != null && n <= bound) {
            return new InitSample(whole, w == null ? null : Matrix.copyOf(w).data());
        }
        int d = rows.cols();
        int take = (int) Math.min(n, bound);
        if ((long) take * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an initialiser sample of " + take + " rows x " + d
                    + " columns does not fit one array: choose a smaller initSample");
        }
        double[] values = new double[take * d];
        double[] weights = w == null ? null : new double[take];
        double[] blockWeights = w == null ? null : new double[(int) Math.min(BLOCK_ROWS, n)];
        boolean check = whole == null;
        SplittableRandom rnd = new SplittableRandom(seed ^ SAMPLE_SEED_SALT);
        int[] chosen = {0};
        rows.forEachBlock(BLOCK_ROWS, (first, b, block) -> {
            if (blockWeights != null) {
                w.read(first, first + b, blockWeights);
            }
            for (int i = 0; i < b; i++) {
                long row = first + i;
                if (check) {
                    requireFinite(block, i * d, d, row);
                }
                // Algorithm S: keep row t with probability (rows still needed) / (rows still to come).
                int needed = take - chosen[0];
                if (needed > 0 && (n - row) * rnd.nextDouble() < needed) {
                    System.arraycopy(block, i * d, values, chosen[0] * d, d);
                    if (weights != null) {
                        weights[chosen[0]] = blockWeights[i];
                    }
                    chosen[0]++;
                }
            }
        });
        return new InitSample(Matrix.wrap(values, take, d), weights);
    }

    private static void requireFinite(double[] v, int offset, int d, long row) {
        for (int j = 0; j < d; j++) {
            double e = v[offset + j];
            if (!Double.isFinite(e)) {
                throw new IllegalArgumentException("data contains a non-finite value: row " + row + ", column " + j
                        + " is " + e + " (0-based)");
            }
        }
    }
}
