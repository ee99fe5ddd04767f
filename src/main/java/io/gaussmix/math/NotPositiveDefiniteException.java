package io.gaussmix.math;

/** A covariance matrix that cannot be factored: not positive definite, or not finite. */
public final class NotPositiveDefiniteException extends IllegalArgumentException {
    private final int component;

    /** @param component the component index, or -1 for the shared (tied) covariance */
    public NotPositiveDefiniteException(int component) {
        super((component < 0 ? "the tied covariance" : "the covariance of component " + component)
                + " is not positive definite");
        this.component = component;
    }

    /** The component index, or -1 for the shared (tied) covariance. */
    public int component() {
        return component;
    }
}
