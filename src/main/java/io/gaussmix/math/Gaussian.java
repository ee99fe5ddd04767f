package io.gaussmix.math;

/** Constants of the Gaussian log density shared by every backend. */
public final class Gaussian {
    /** log(2 pi). */
    public static final double LOG_2PI = Math.log(2 * Math.PI);

    private Gaussian() {
    }

    /**
     * The log density of component k at a point with Mahalanobis distance {@code maha}, plus the
     * component's log weight: {@code logWeight + logDetPrecChol - (D log 2pi + maha) / 2}.
     */
    public static double weightedLogDensity(double logWeight, double logDetPrecChol, int d, double maha) {
        return logWeight + logDetPrecChol - 0.5 * (d * LOG_2PI + maha);
    }
}
