package io.gaussmix;

import java.util.Locale;

/**
 * The covariance structure of the components, as in scikit-learn. Shapes of the covariances
 * (K components, D features): FULL [K][D][D], TIED [D][D], DIAG [K][D], SPHERICAL [K].
 */
public enum CovarianceType {
    /** Each component has its own general covariance matrix. */
    FULL,
    /** All components share one general covariance matrix. */
    TIED,
    /** Each component has its own diagonal covariance matrix. */
    DIAG,
    /** Each component has its own single variance. */
    SPHERICAL;

    /** The lower-case name used in the CLI and the model JSON ("full", "tied", ...). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "full", "tied", "diag" or "spherical" (any case). */
    public static CovarianceType parse(String s) {
        for (CovarianceType t : values()) {
            if (t.id().equalsIgnoreCase(s.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown covariance type '" + s + "' (expected full, tied, diag or spherical)");
    }

    /** Number of stored covariance values for K components in D dimensions (scikit-learn's covariances_ size). */
    public int covarianceLength(int k, int d) {
        switch (this) {
            case FULL: return k * d * d;
            case TIED: return d * d;
            case DIAG: return k * d;
            default: return k;
        }
    }

    /** Free parameters of the covariances, as counted for BIC/AIC. */
    public long covarianceParameters(int k, int d) {
        long sym = (long) d * (d + 1) / 2;
        switch (this) {
            case FULL: return k * sym;
            case TIED: return sym;
            case DIAG: return (long) k * d;
            default: return k;
        }
    }
}
