package io.gaussmix;

import io.gaussmix.math.CovarianceKind;
import io.gaussmix.math.CovarianceStructure;

import java.util.Locale;

/**
 * The covariance structure of the components, as in scikit-learn. Shapes of the covariances
 * (K components, D features): FULL [K][D][D], TIED [D][D], DIAG [K][D], SPHERICAL [K].
 * What each type means for the math (layout, factoring, parameter count) is its
 * {@link CovarianceStructure}; this enum names it for the API, the CLI and the model JSON.
 */
public enum CovarianceType implements CovarianceKind {
    /** Each component has its own general covariance matrix. */
    FULL(CovarianceStructure.FULL),
    /** All components share one general covariance matrix. */
    TIED(CovarianceStructure.TIED),
    /** Each component has its own diagonal covariance matrix. */
    DIAG(CovarianceStructure.DIAG),
    /** Each component has its own single variance. */
    SPHERICAL(CovarianceStructure.SPHERICAL);

    private final CovarianceStructure structure;

    CovarianceType(CovarianceStructure structure) {
        this.structure = structure;
    }

    @Override
    public CovarianceStructure structure() {
        return structure;
    }

    /** The API's constant for a covariance type held as the math's interface (e.g. {@code params.type()}). */
    public static CovarianceType of(CovarianceKind kind) {
        if (kind instanceof CovarianceType t) {
            return t;
        }
        for (CovarianceType t : values()) {
            if (t.structure == kind.structure()) {
                return t;
            }
        }
        throw new IllegalArgumentException("no covariance type has the structure " + kind.structure());
    }

    /** The lower-case name used in the CLI and the model JSON ("full", "tied", ...). */
    @Override
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
        return structure.length(k, d);
    }

    /** Free parameters of the covariances, as counted for BIC/AIC. */
    public long covarianceParameters(int k, int d) {
        return structure.freeParameters(k, d);
    }
}
