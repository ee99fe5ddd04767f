package io.gaussmix;

/**
 * One thing the fit did to keep a component usable, recorded in the model and reported to the
 * progress listener. {@code iteration} is the M-step that made it (0 = initialisation).
 */
public record Intervention(int iteration, int component, Kind kind, String reason) {

    /** What was done. */
    public enum Kind {
        /** The ridge on the covariance diagonal of this component was raised until it was positive definite. */
        RIDGE_INCREASED,
        /** The component had lost (almost) all its weight and was re-seeded at the worst-explained row. */
        RESEEDED
    }

    @Override
    public String toString() {
        return "iteration " + iteration + ", component " + component + ": " + kind.name().toLowerCase().replace('_', ' ')
                + " (" + reason + ")";
    }
}
