package io.gaussmix.plot;

import java.awt.Color;

/** Distinguishable colours for components (repeating after ten). */
final class Palette {
    private static final Color[] COLORS = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)};

    private Palette() {
    }

    /** The colour of component (or series) i. */
    static Color color(int i) {
        return COLORS[Math.floorMod(i, COLORS.length)];
    }

    /** The colour of component i with the given alpha (0-255). */
    static Color color(int i, int alpha) {
        Color c = color(i);
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }
}
