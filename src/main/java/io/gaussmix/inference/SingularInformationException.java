package io.gaussmix.inference;

import java.util.List;

/**
 * The observed information is not positive definite at the model on the given rows, so the asymptotic
 * covariance J^-1 does not exist: the message is one line naming the parameters that make up the
 * direction of (nearly) zero or negative curvature, {@link #parameters()} lists them.
 */
public final class SingularInformationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> parameters;

    SingularInformationException(String message, List<String> parameters) {
        super(message);
        this.parameters = List.copyOf(parameters);
    }

    /** The parameters along which the information vanishes, largest share first, 0-based ("weight 0", "component 1's mean (column 0)"). */
    public List<String> parameters() {
        return parameters;
    }
}
