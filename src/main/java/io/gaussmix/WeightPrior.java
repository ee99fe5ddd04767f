package io.gaussmix;

import java.util.Locale;

/** The prior on the mixture weights of a variational Bayesian fit (scikit-learn's weight_concentration_prior_type). */
public enum WeightPrior {
    /**
     * A stick-breaking (truncated Dirichlet process) prior: components beyond what the data needs get
     * weights near 0, so k is an upper bound rather than a choice. scikit-learn's default.
     */
    DIRICHLET_PROCESS("dirichlet-process"),
    /** A symmetric Dirichlet distribution over the k weights. */
    DIRICHLET_DISTRIBUTION("dirichlet-distribution");

    private final String id;

    WeightPrior(String id) {
        this.id = id;
    }

    /** The command-line name, e.g. "dirichlet-process". */
    public String id() {
        return id;
    }

    /** Parses an id (case-insensitive; '_' or '-'). */
    public static WeightPrior parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (WeightPrior p : values()) {
            if (p.id.equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown weight prior '" + s + "': use dirichlet-process or dirichlet-distribution");
    }
}
