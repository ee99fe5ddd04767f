package io.gaussmix.math;

/**
 * A covariance type as the math sees it: its {@link CovarianceStructure} and its name. The public enum
 * {@code io.gaussmix.CovarianceType} implements it. The math holds the API's constants through this
 * interface so that it depends on nothing above it (the API package imports math, never the reverse),
 * while code anywhere keeps comparing {@code params.type() == CovarianceType.FULL}; to get the API's enum
 * from a value typed as this interface, use {@code CovarianceType.of(kind)}.
 */
public interface CovarianceKind {
    /** How covariances of this type are stored, factored and counted. */
    CovarianceStructure structure();

    /** The lower-case name used in messages, the CLI and the model JSON ("full", "tied", "diag", "spherical"). */
    String id();
}
