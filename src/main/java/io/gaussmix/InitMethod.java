package io.gaussmix;

/** How a fit chooses its starting parameters when no starting model is given. */
public enum InitMethod {
    /** k-means++ centres; every row assigned to its nearest centre; weights, means, covariances from that assignment. */
    KMEANS_PLUS_PLUS("kmeans++"),
    /** As KMEANS_PLUS_PLUS, after Lloyd iterations of k-means from those centres. */
    KMEANS("kmeans"),
    /** Uniformly random responsibilities per row (normalised), then an M-step. */
    RANDOM("random"),
    /** K distinct random rows as means, covariances regCovar * I, equal weights (scikit-learn's random_from_data). */
    RANDOM_FROM_DATA("random-from-data");

    private final String id;

    InitMethod(String id) {
        this.id = id;
    }

    /** The CLI name: kmeans++, kmeans, random, random-from-data. */
    public String id() {
        return id;
    }

    public static InitMethod parse(String s) {
        for (InitMethod m : values()) {
            if (m.id.equalsIgnoreCase(s.trim()) || m.name().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown init '" + s + "' (expected kmeans++, kmeans, random or random-from-data)");
    }
}
