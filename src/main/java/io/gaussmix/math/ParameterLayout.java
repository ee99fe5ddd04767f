package io.gaussmix.math;

/**
 * The minimal parametrisation of a mixture the observed information is taken in, P =
 * {@code MixtureParams.parameterCount()} coordinates, in this order: the K-1 free weights w_0..w_{K-2}
 * (the last weight is 1 minus their sum), the K x D means, then each covariance block's unique entries:
 * FULL and TIED entry (i, j) for i <= j of each (the one shared) matrix, DIAG the D variances, SPHERICAL
 * the one variance.
 *
 * <p>Every covariance coordinate a moves the covariance along a symmetric direction E_a (dSigma = E_a
 * dtheta_a), written as the list of its unit entries (p, q): E(i, j) = e_i e_j^T + e_j e_i^T off the
 * diagonal, e_i e_i^T on it, and the identity for a spherical variance. All derivatives are written once
 * in those terms ({@link ComponentScores}, {@link RowInformation} and the inference package's observed information).
 */
public final class ParameterLayout {
    private final CovarianceStructure structure;
    private final int k;
    private final int d;
    /** Unit entries (p, q) of each covariance coordinate of one block: pairs[a] = {p0, q0, p1, q1, ...}. */
    private final int[][] pairs;

    public ParameterLayout(CovarianceStructure structure, int k, int d) {
        this.structure = structure;
        this.k = k;
        this.d = d;
        this.pairs = directions(structure, d);
    }

    private static int[][] directions(CovarianceStructure structure, int d) {
        if (structure.dense()) {
            int[][] out = new int[d * (d + 1) / 2][];
            int a = 0;
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    out[a++] = i == j ? new int[] {i, i} : new int[] {i, j, j, i};
                }
            }
            return out;
        }
        if (structure.blockLength(d) == d) {   // DIAG: one variance per column
            int[][] out = new int[d][];
            for (int i = 0; i < d; i++) {
                out[i] = new int[] {i, i};
            }
            return out;
        }
        int[] identity = new int[2 * d];        // SPHERICAL: the identity
        for (int i = 0; i < d; i++) {
            identity[2 * i] = i;
            identity[2 * i + 1] = i;
        }
        return new int[][] {identity};
    }

    public CovarianceStructure structure() {
        return structure;
    }

    public int components() {
        return k;
    }

    public int dimensions() {
        return d;
    }

    /** P, the number of coordinates. */
    public int size() {
        return freeWeights() + k * d + structure.blocks(k) * blockParameters();
    }

    public int freeWeights() {
        return k - 1;
    }

    /** The index of mean coordinate i of component c. */
    public int mean(int c, int i) {
        return freeWeights() + c * d + i;
    }

    /** Covariance coordinates per block. */
    public int blockParameters() {
        return pairs.length;
    }

    /** The index of the first covariance coordinate of component c's block (the shared one for TIED). */
    public int covarianceStart(int c) {
        return freeWeights() + k * d + (structure.shared() ? 0 : c) * blockParameters();
    }

    /** The unit entries of covariance coordinate a of a block: {p0, q0, p1, q1, ...}. */
    public int[] direction(int a) {
        return pairs[a];
    }

    /** The coordinate of entry (i, j) of a block within the block (any order of i and j; DIAG and SPHERICAL: i = j). */
    public int entryCoordinate(int i, int j) {
        if (structure.dense()) {
            int lo = Math.min(i, j);
            int hi = Math.max(i, j);
            return lo * d - lo * (lo - 1) / 2 + (hi - lo);   // row lo of the upper triangle, packed by rows
        }
        return pairs.length == 1 ? 0 : i;
    }

    /** What coordinate {@code index} is, 0-based, for a message: "weight 1", "component 2's covariance entry (0,1)". */
    public String name(int index) {
        if (index < freeWeights()) {
            return "weight " + index;
        }
        int m = index - freeWeights();
        if (m < k * d) {
            return "component " + m / d + "'s mean (column " + m % d + ")";
        }
        int c = (m - k * d) / blockParameters();
        int a = (m - k * d) % blockParameters();
        String owner = structure.shared() ? "the tied covariance's" : "component " + c + "'s";
        int[] e = pairs[a];
        if (structure.dense()) {
            return owner + " covariance entry (" + e[0] + "," + e[1] + ")";
        }
        return pairs.length == 1 ? owner + " variance" : owner + " variance (column " + e[0] + ")";
    }
}
