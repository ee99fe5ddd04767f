package io.gaussmix.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the input checks found in some input rows: counts of each kind of bad row and the first one of
 * each, by its index in the partition. The fit merges the checks of all blocks in the rows' global order
 * and fails, before any EM work, with one message naming the counts and the first bad row.
 */
final class InputCheck implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Input rows covered, rejected ones included. */
    long rows;
    /** The vector width of the first good row (-1: none yet). */
    int width = -1;
    long widthRow = -1;
    long nullFeatures;
    long firstNullFeatures = -1;
    long nonFinite;
    long firstNonFinite = -1;
    String firstNonFiniteWhat;
    long otherWidth;
    long firstOtherWidth = -1;
    int otherWidthValue;
    long badWeight;
    long firstBadWeight = -1;
    String firstBadWeightWhat;
    long positiveWeight;
    double maxWeight;

    void nullFeatures(long row) {
        if (nullFeatures++ == 0) {
            firstNullFeatures = row;
        }
    }

    void nonFinite(long row, int column, double value) {
        if (nonFinite++ == 0) {
            firstNonFinite = row;
            firstNonFiniteWhat = "column " + column + " is " + value;
        }
    }

    void otherWidth(long row, int size) {
        if (otherWidth++ == 0) {
            firstOtherWidth = row;
            otherWidthValue = size;
        }
    }

    void badWeight(long row, Double value) {
        if (badWeight++ == 0) {
            firstBadWeight = row;
            firstBadWeightWhat = String.valueOf(value);
        }
    }

    /**
     * The problems of the blocks' checks, given in the rows' global order, as one line; null when there are none.
     *
     * @param rowOffsets the global index of each check's first row (the rows of all checks before it)
     */
    static String problems(List<InputCheck> checks, long[] rowOffsets, String featuresCol, String weightCol) {
        List<String> found = new ArrayList<>();
        long nulls = 0;
        long nonFinite = 0;
        long weights = 0;
        long widths = 0;
        String firstNull = null;
        String firstNonFinite = null;
        String firstWeight = null;
        String firstWidth = null;
        int width = -1;
        long widthRow = -1;
        for (int i = 0; i < checks.size(); i++) {
            InputCheck c = checks.get(i);
            long at = rowOffsets[i];
            if (c.nullFeatures > 0 && firstNull == null) {
                firstNull = "first at row " + (at + c.firstNullFeatures);
            }
            if (c.nonFinite > 0 && firstNonFinite == null) {
                firstNonFinite = "first at row " + (at + c.firstNonFinite) + ", " + c.firstNonFiniteWhat;
            }
            if (c.badWeight > 0 && firstWeight == null) {
                firstWeight = "first at row " + (at + c.firstBadWeight) + ", weight " + c.firstBadWeightWhat;
            }
            nulls += c.nullFeatures;
            nonFinite += c.nonFinite;
            weights += c.badWeight;
            if (c.width >= 0) {
                if (width < 0) {
                    width = c.width;
                    widthRow = at + c.widthRow;
                } else if (c.width != width) {
                    widths++;
                    if (firstWidth == null) {
                        firstWidth = "row " + (at + c.widthRow) + " has " + c.width;
                    }
                }
            }
            if (c.otherWidth > 0) {
                widths += c.otherWidth;
                if (firstWidth == null) {
                    firstWidth = "row " + (at + c.firstOtherWidth) + " has " + c.otherWidthValue;
                }
            }
        }
        if (nulls > 0) {
            found.add(nulls + " rows with a null '" + featuresCol + "' (" + firstNull + ")");
        }
        if (nonFinite > 0) {
            found.add(nonFinite + " rows with a NaN or infinite feature (" + firstNonFinite + ")");
        }
        if (widths > 0) {
            found.add(String.format(Locale.ROOT, "feature vectors of unequal size: row %d has %d values, %s"
                    + " (at least %d rows differ)", widthRow, width, firstWidth, widths));
        }
        if (weights > 0) {
            found.add(weights + " rows whose '" + weightCol + "' is null, negative, NaN or infinite (" + firstWeight
                    + "); weights must be finite and >= 0");
        }
        return found.isEmpty() ? null : String.join("; ", found) + " (rows 0-based, in partition order)";
    }
}
