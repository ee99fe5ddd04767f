package io.gaussmix.math;

/** Constants of the Gaussian log density shared by every backend. */
public final class Gaussian {
    /** log(2 pi). */
    public static final double LOG_2PI = Math.log(2 * Math.PI);

    private Gaussian() {
    }
}
