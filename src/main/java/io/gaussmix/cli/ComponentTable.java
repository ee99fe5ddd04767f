package io.gaussmix.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The per-component table of a summary: one row per component, its weight and its first means. Wide
 * data show only the first {@value #MAX_COLUMNS} columns and say how many more the model file holds,
 * so that a D = 2000 fit prints a readable summary, not 2000 numbers per component.
 */
final class ComponentTable {
    /** Mean columns printed at most. */
    static final int MAX_COLUMNS = 12;

    private ComponentTable() {
    }

    /**
     * @param label  the row label before the component's index ("" for the fit, "+- " for standard errors)
     * @param header the data's column names, or empty for x0, x1, ...
     */
    static void print(PrintWriter out, String label, double[] weights, double[][] means, List<String> header) {
        int d = means[0].length;
        int shown = Math.min(d, MAX_COLUMNS);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-9s %-8s", "component", "weight"));
        for (int j = 0; j < shown; j++) {
            String name = header.isEmpty() ? "mean x" + j : header.get(j);
            head.append(String.format(Locale.ROOT, " %12s", name.length() > 12 ? name.substring(0, 12) : name));
        }
        if (shown < d) {
            head.append(String.format(Locale.ROOT, "  ... %d more columns in the model file", d - shown));
        }
        out.println(head);
        for (int c = 0; c < weights.length; c++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-9s %-8.4f", label + c, weights[c]));
            for (int j = 0; j < shown; j++) {
                row.append(String.format(Locale.ROOT, " %12.5g", means[c][j]));
            }
            out.println(row);
        }
    }
}
