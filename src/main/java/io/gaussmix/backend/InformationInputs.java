package io.gaussmix.backend;

import io.gaussmix.math.ComponentScores;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.ParameterLayout;

/**
 * What both device backends upload for {@link Backend#rowInformation}, flattened once on the host from
 * {@link ComponentScores}: the dense precisions (K x D x D), the weights, each component's support (K x L,
 * L the longest, with its length), and the covariance coordinates' unit entries (offsets B + 1 into pairs
 * (p, q)); and the rows per block, the same on both devices so their block buffers are the same size.
 */
public final class InformationInputs {
    /** Tile edge of the devices' outer-product kernels ({@code TS} in information.cl, {@code INFO_TILE} in information.cuh). */
    public static final int TILE = 16;
    /** Bytes the per-block buffers (scores, g, s, log densities) aim at. */
    static final long BLOCK_BYTES = 16L << 20;
    private static final int MAX_BLOCK_ROWS = 4096;

    public final ParameterLayout layout;
    public final int k;
    public final int d;
    /** P. */
    public final int size;
    /** L, the longest support. */
    public final int maxSupport;
    public final int[] supportLengths;
    public final int[] supports;
    public final double[] precisions;
    public final double[] weights;
    /** B, covariance coordinates per block. */
    public final int directions;
    public final int[] directionStart;
    public final int[] directionPairs;
    /** Rows per block: the block buffers near {@link #BLOCK_BYTES}, a whole number of tiles, at least one. */
    public final int blockRows;

    public InformationInputs(MixtureParams p) {
        ComponentScores scores = new ComponentScores(p);
        layout = scores.layout();
        k = p.components();
        d = p.dimensions();
        size = layout.size();
        maxSupport = scores.maxSupport();
        supportLengths = new int[k];
        supports = new int[k * maxSupport];
        precisions = new double[k * d * d];
        for (int c = 0; c < k; c++) {
            int[] sc = scores.support(c);
            supportLengths[c] = sc.length;
            System.arraycopy(sc, 0, supports, c * maxSupport, sc.length);
            System.arraycopy(scores.precision(c), 0, precisions, c * d * d, d * d);
        }
        weights = p.weights().clone();
        directions = layout.blockParameters();
        directionStart = new int[directions + 1];
        for (int e = 0; e < directions; e++) {
            directionStart[e + 1] = directionStart[e] + layout.direction(e).length / 2;
        }
        directionPairs = new int[2 * directionStart[directions]];
        for (int e = 0; e < directions; e++) {
            System.arraycopy(layout.direction(e), 0, directionPairs, 2 * directionStart[e], layout.direction(e).length);
        }
        long perRow = 8L * (size + (long) k * maxSupport + 2L * k);
        long rows = Math.min(MAX_BLOCK_ROWS, Math.max(TILE, BLOCK_BYTES / perRow));
        blockRows = (int) (rows / TILE * TILE);
    }
}
