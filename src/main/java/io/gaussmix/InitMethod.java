package io.gaussmix;

/**
 * How a fit chooses its starting parameters when no starting model is given. Each ends with the same
 * M-step as an EM iteration, on hard (one-hot) or soft assignments of the rows, so the start's weights,
 * means and covariances (plus regCovar) are estimated exactly as EM estimates them. All of them are
 * seeded by {@code seed} and run on the host in float64, so every backend starts from the same parameters.
 *
 * <p>How they relate to scikit-learn 1.2.1's {@code init_params} (same ideas, never the same random draws):
 * {@link #KMEANS} is its default {@code "kmeans"}; {@link #RANDOM} and {@link #RANDOM_FROM_DATA} are its
 * {@code "random"} and {@code "random_from_data"}. {@link #KMEANS_PLUS_PLUS} is <em>not</em> its
 * {@code "k-means++"}: scikit-learn assigns only the K chosen rows (one each, every other row takes no
 * part, so each start covariance is regCovar * I), gaussmix assigns every row to its nearest centre.
 */
public enum InitMethod {
    /**
     * k-means++ seeding (the first centre drawn by sample weight, each next one with probability
     * proportional to weight times squared distance to the nearest chosen centre), then every row
     * assigned to its nearest centre, then the M-step on that assignment. (scikit-learn's "k-means++"
     * assigns only the chosen rows; see the class comment.)
     */
    KMEANS_PLUS_PLUS("kmeans++"),
    /**
     * The default, as in scikit-learn: the k-means++ centres refined by Lloyd iterations (weighted
     * cluster means, then every row to its nearest centre; at most 100, stopping when no row changes
     * cluster), then the M-step on the final assignment. scikit-learn runs {@code KMeans} (greedy
     * k-means++ seeding, its own stopping rule) for this; the idea is the same, the iterates are not.
     */
    KMEANS("kmeans"),
    /** Uniformly random responsibilities per row, normalised to sum 1, then the M-step (scikit-learn's "random"). */
    RANDOM("random"),
    /**
     * K distinct rows drawn uniformly (sample weights ignored) as the means, each assigned to its own
     * component and no other row taking part: covariances regCovar * I, equal weights (scikit-learn's
     * "random_from_data"). regCovar 0 therefore gives a singular start.
     */
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
