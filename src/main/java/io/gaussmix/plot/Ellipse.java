package io.gaussmix.plot;

/** Outline points of a 2-D Gaussian's r-sigma ellipse, from the eigen-decomposition of its 2 x 2 covariance. */
final class Ellipse {
    private Ellipse() {
    }

    /**
     * Returns {xs, ys}: {@code points + 1} points (closed) of the ellipse {(p - m)^T S^-1 (p - m) = r^2}.
     *
     * @param cx    centre x
     * @param cy    centre y
     * @param s     the symmetric 2 x 2 covariance
     * @param r     the radius in standard deviations
     */
    static double[][] outline(double cx, double cy, double[][] s, double r, int points) {
        double a = s[0][0];
        double b = 0.5 * (s[0][1] + s[1][0]);
        double d = s[1][1];
        double mid = 0.5 * (a + d);
        double rad = Math.sqrt(0.25 * (a - d) * (a - d) + b * b);
        double l1 = Math.max(0, mid + rad);
        double l2 = Math.max(0, mid - rad);
        double theta = 0.5 * Math.atan2(2 * b, a - d);
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double[] xs = new double[points + 1];
        double[] ys = new double[points + 1];
        for (int i = 0; i <= points; i++) {
            double t = 2 * Math.PI * i / points;
            double u = r * Math.sqrt(l1) * Math.cos(t);
            double v = r * Math.sqrt(l2) * Math.sin(t);
            xs[i] = cx + cos * u - sin * v;
            ys[i] = cy + sin * u + cos * v;
        }
        return new double[][] {xs, ys};
    }
}
