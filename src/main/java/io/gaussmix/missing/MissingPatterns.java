package io.gaussmix.missing;

import io.gaussmix.data.Matrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a matrix grouped by their missingness pattern (which columns are NaN), computed once per
 * fit in one O(N*D) scan. Patterns are numbered in order of first occurrence and the rows of each keep
 * their original order, so the grouping (and every reduction over it) is deterministic.
 *
 * <p>{@link #order()} lists the grouped rows pattern by pattern; pattern p owns positions
 * {@code [start(p), start(p + 1))}. Rows with every value missing are either grouped like any other
 * pattern (for imputation) or left out and listed in {@link #allMissingRows()} (for fitting).
 */
public final class MissingPatterns {
    /** One missingness pattern: the observed and the missing columns, each ascending. */
    public record Pattern(int[] observed, int[] missing) {
        public boolean complete() {
            return missing.length == 0;
        }
    }

    private final int cols;
    private final List<Pattern> patterns;
    private final int[] order;
    private final int[] start;
    private final int[] allMissingRows;
    private final long missingValues;

    private MissingPatterns(int cols, List<Pattern> patterns, int[] order, int[] start, int[] allMissingRows,
                            long missingValues) {
        this.cols = cols;
        this.patterns = patterns;
        this.order = order;
        this.start = start;
        this.allMissingRows = allMissingRows;
        this.missingValues = missingValues;
    }

    /**
     * Groups the rows of x by their NaN positions.
     *
     * @param keepAllMissing whether rows with every value missing form a pattern (true) or are left out
     *                       and listed in {@link #allMissingRows()} (false)
     */
    public static MissingPatterns of(Matrix x, boolean keepAllMissing) {
        int n = x.rows();
        int d = x.cols();
        double[] data = x.data();
        int words = (d + 63) >>> 6;
        Map<MaskKey, Integer> ids = new HashMap<>();
        List<long[]> masks = new ArrayList<>();
        int[] patternOfRow = new int[n];
        int completeId = -1;
        int allMissingId = -1;
        List<Integer> counts = new ArrayList<>();
        int[] allMissing = new int[0];
        int allMissingCount = 0;
        long missingValues = 0;
        for (int r = 0; r < n; r++) {
            int base = r * d;
            int nan = 0;
            for (int j = 0; j < d; j++) {
                if (Double.isNaN(data[base + j])) {
                    nan++;
                }
            }
            missingValues += nan;
            if (nan == d && !keepAllMissing) {
                if (allMissingCount == allMissing.length) {
                    allMissing = Arrays.copyOf(allMissing, Math.max(16, allMissing.length * 2));
                }
                allMissing[allMissingCount++] = r;
                patternOfRow[r] = -1;
                continue;
            }
            int id;
            if (nan == 0 && completeId >= 0) {
                id = completeId;
            } else if (nan == d && allMissingId >= 0) {
                id = allMissingId;
            } else {
                long[] mask = new long[words];   // bit j set = column j observed
                for (int j = 0; j < d; j++) {
                    if (!Double.isNaN(data[base + j])) {
                        mask[j >>> 6] |= 1L << (j & 63);
                    }
                }
                MaskKey key = new MaskKey(mask);
                Integer known = ids.get(key);
                if (known == null) {
                    known = masks.size();
                    ids.put(key, known);
                    masks.add(mask);
                    counts.add(0);
                }
                id = known;
                if (nan == 0) {
                    completeId = id;
                } else if (nan == d) {
                    allMissingId = id;
                }
            }
            patternOfRow[r] = id;
            counts.set(id, counts.get(id) + 1);
        }
        int p = masks.size();
        int[] start = new int[p + 1];
        for (int q = 0; q < p; q++) {
            start[q + 1] = start[q] + counts.get(q);
        }
        int[] next = Arrays.copyOf(start, p);
        int[] order = new int[start[p]];
        for (int r = 0; r < n; r++) {
            int id = patternOfRow[r];
            if (id >= 0) {
                order[next[id]++] = r;
            }
        }
        List<Pattern> patterns = new ArrayList<>(p);
        for (long[] mask : masks) {
            int observed = 0;
            for (long w : mask) {
                observed += Long.bitCount(w);
            }
            int[] obs = new int[observed];
            int[] mis = new int[d - observed];
            int io = 0;
            int im = 0;
            for (int j = 0; j < d; j++) {
                if ((mask[j >>> 6] & (1L << (j & 63))) != 0) {
                    obs[io++] = j;
                } else {
                    mis[im++] = j;
                }
            }
            patterns.add(new Pattern(obs, mis));
        }
        return new MissingPatterns(d, List.copyOf(patterns), order, start,
                Arrays.copyOf(allMissing, allMissingCount), missingValues);
    }

    /** Number of columns D. */
    public int cols() {
        return cols;
    }

    /** Number of distinct patterns among the grouped rows. */
    public int count() {
        return patterns.size();
    }

    public Pattern pattern(int p) {
        return patterns.get(p);
    }

    /** First position of pattern p in {@link #order()}; {@code start(count())} is the number of grouped rows. */
    public int start(int p) {
        return start[p];
    }

    /** The pattern owning position pos of {@link #order()}. */
    public int patternAt(int pos) {
        int i = Arrays.binarySearch(start, pos);
        if (i >= 0) {
            while (i + 1 < start.length && start[i + 1] == pos) {
                i++;
            }
            return i;
        }
        return -i - 2;
    }

    /** Row indices grouped by pattern (internal array, do not modify). */
    public int[] order() {
        return order;
    }

    /** Number of grouped rows. */
    public int groupedRows() {
        return order.length;
    }

    /** Rows left out because every value is missing (empty when they were kept); a copy. */
    public int[] allMissingRows() {
        return allMissingRows.clone();
    }

    /** Number of NaN entries in the whole matrix (including rows left out). */
    public long missingValues() {
        return missingValues;
    }

    /** Whether the matrix has any NaN at all. */
    public boolean hasMissing() {
        return missingValues > 0;
    }

    /** A hash key over a bit mask. */
    private record MaskKey(long[] bits) {
        @Override
        public boolean equals(Object o) {
            return o instanceof MaskKey other && Arrays.equals(bits, other.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }
    }
}
