package io.gaussmix.math;

/**
 * What each covariance structure means for the float64 math, one place per concern (scikit-learn keeps
 * one function per type; here each concern is one method, written once per kind of block).
 *
 * <p>Layout (K components, D features, row-major): the values of component c live in block
 * {@link #offset}(c, D) of {@link #blockLength}(D) values, a D x D matrix (FULL, and TIED whose single
 * block all components share), a diagonal of D variances (DIAG) or one variance (SPHERICAL). This is
 * scikit-learn's {@code covariances_} shape flattened: FULL [K][D][D], TIED [D][D], DIAG [K][D],
 * SPHERICAL [K]; precision Cholesky factors use the same layout.
 */
public enum CovarianceStructure {
    /** Each component has its own general covariance matrix. */
    FULL(Block.MATRIX, false),
    /** All components share one general covariance matrix. */
    TIED(Block.MATRIX, true),
    /** Each component has its own diagonal covariance matrix. */
    DIAG(Block.DIAGONAL, false),
    /** Each component has its own single variance. */
    SPHERICAL(Block.SCALAR, false);

    private final Block block;
    private final boolean shared;

    CovarianceStructure(Block block, boolean shared) {
        this.block = block;
        this.shared = shared;
    }

    /** Whether every block is a general D x D matrix (FULL, TIED): the triangular kernels' case. */
    public boolean dense() {
        return block == Block.MATRIX;
    }

    /** Whether one block serves all components (TIED). */
    public boolean shared() {
        return shared;
    }

    /** Values per block: D*D, D or 1. */
    public int blockLength(int d) {
        return block.length(d);
    }

    /** Number of blocks for K components: 1 when shared, K otherwise. */
    public int blocks(int k) {
        return shared ? 1 : k;
    }

    /** Where component c's block starts. */
    public int offset(int c, int d) {
        return shared ? 0 : c * block.length(d);
    }

    /** Stored values for K components (the length of the covariances and of the precision factors). */
    public int length(int k, int d) {
        return Math.multiplyExact(blocks(k), block.length(d));
    }

    /** Free parameters of the covariances, as counted for BIC/AIC. */
    public long freeParameters(int k, int d) {
        return blocks(k) * block.freeParameters(d);
    }

    /** Entry (i, j) of component c's matrix, whatever the structure (0 off a diagonal block). */
    public double entry(double[] values, int c, int d, int i, int j) {
        return block.entry(values, offset(c, d), d, i, j);
    }

    /** K components' identity covariances. */
    public double[] identity(int k, int d) {
        double[] v = new double[length(k, d)];
        for (int b = 0; b < blocks(k); b++) {
            block.addToDiagonal(v, b * block.length(d), d, 1);
        }
        return v;
    }

    /** Adds r to the diagonal of the block at {@code values[from..]}. */
    public void addToDiagonal(double[] values, int from, int d, double r) {
        block.addToDiagonal(values, from, d, r);
    }

    /** The mean magnitude of the finite diagonal values of the block at {@code values[from..]}. */
    public double meanDiagonalMagnitude(double[] values, int from, int d) {
        return block.meanDiagonalMagnitude(values, from, d);
    }

    /**
     * Factors the covariance block at {@code cov[from..]} and writes its precision factor U (precision =
     * U U^T) at {@code out[to..]}: for a matrix U = L^-T of its Cholesky factor L, for variances
     * 1/sqrt(variance).
     *
     * @return sum log diag U over the D dimensions (the component's log-determinant term), or NaN when the
     *         block is not (numerically) positive definite or not finite
     */
    public double factor(double[] cov, int from, int d, double[] out, int to) {
        return block.factor(cov, from, d, out, to);
    }

    /**
     * ||diag(s) U_c||_F^2 = sum_i s_i^2 sum_j U_c[i][j]^2 for component c's precision factor U_c and row
     * scales s ({@code scaleSquared} holds s_i^2).
     */
    public double rowScaledNormSquared(double[] u, int c, int d, double[] scaleSquared) {
        return block.rowScaledNormSquared(u, offset(c, d), d, scaleSquared);
    }

    /** The three kinds of block; each concern is written once per kind. */
    private enum Block {
        MATRIX {
            @Override
            int length(int d) {
                return Math.multiplyExact(d, d);
            }

            @Override
            long freeParameters(int d) {
                return (long) d * (d + 1) / 2;
            }

            @Override
            double entry(double[] v, int from, int d, int i, int j) {
                return v[from + i * d + j];
            }

            @Override
            void addToDiagonal(double[] v, int from, int d, double r) {
                for (int i = 0; i < d; i++) {
                    v[from + i * d + i] += r;
                }
            }

            @Override
            double meanDiagonalMagnitude(double[] v, int from, int d) {
                double scale = 0;
                for (int i = 0; i < d; i++) {
                    double e = v[from + i * d + i];
                    if (Double.isFinite(e)) {
                        scale += Math.abs(e) / d;
                    }
                }
                return scale;
            }

            @Override
            double factor(double[] cov, int from, int d, double[] out, int to) {
                return PrecisionCholesky.factor(cov, from, d, out, to);
            }

            @Override
            double rowScaledNormSquared(double[] u, int from, int d, double[] s2) {
                double sum = 0;
                for (int i = 0; i < d; i++) {
                    int row = from + i * d;
                    for (int j = i; j < d; j++) {    // U is upper triangular
                        sum += s2[i] * u[row + j] * u[row + j];
                    }
                }
                return sum;
            }
        },
        DIAGONAL {
            @Override
            int length(int d) {
                return d;
            }

            @Override
            long freeParameters(int d) {
                return d;
            }

            @Override
            double entry(double[] v, int from, int d, int i, int j) {
                return i == j ? v[from + i] : 0;
            }

            @Override
            void addToDiagonal(double[] v, int from, int d, double r) {
                for (int i = 0; i < d; i++) {
                    v[from + i] += r;
                }
            }

            @Override
            double meanDiagonalMagnitude(double[] v, int from, int d) {
                double scale = 0;
                for (int i = 0; i < d; i++) {
                    if (Double.isFinite(v[from + i])) {
                        scale += Math.abs(v[from + i]) / d;
                    }
                }
                return scale;
            }

            @Override
            double factor(double[] cov, int from, int d, double[] out, int to) {
                double logDet = 0;
                for (int i = 0; i < d; i++) {
                    double u = inverseSd(cov[from + i]);
                    out[to + i] = u;
                    logDet += Math.log(u);
                }
                return logDet;
            }

            @Override
            double rowScaledNormSquared(double[] u, int from, int d, double[] s2) {
                double sum = 0;
                for (int i = 0; i < d; i++) {
                    sum += s2[i] * u[from + i] * u[from + i];
                }
                return sum;
            }
        },
        SCALAR {
            @Override
            int length(int d) {
                return 1;
            }

            @Override
            long freeParameters(int d) {
                return 1;
            }

            @Override
            double entry(double[] v, int from, int d, int i, int j) {
                return i == j ? v[from] : 0;
            }

            @Override
            void addToDiagonal(double[] v, int from, int d, double r) {
                v[from] += r;
            }

            @Override
            double meanDiagonalMagnitude(double[] v, int from, int d) {
                return Double.isFinite(v[from]) ? Math.abs(v[from]) : 0;
            }

            @Override
            double factor(double[] cov, int from, int d, double[] out, int to) {
                double u = inverseSd(cov[from]);
                out[to] = u;
                return d * Math.log(u);
            }

            @Override
            double rowScaledNormSquared(double[] u, int from, int d, double[] s2) {
                double sum = 0;
                for (int i = 0; i < d; i++) {
                    sum += s2[i] * u[from] * u[from];
                }
                return sum;
            }
        };

        abstract int length(int d);

        abstract long freeParameters(int d);

        abstract double entry(double[] v, int from, int d, int i, int j);

        abstract void addToDiagonal(double[] v, int from, int d, double r);

        abstract double meanDiagonalMagnitude(double[] v, int from, int d);

        abstract double factor(double[] cov, int from, int d, double[] out, int to);

        abstract double rowScaledNormSquared(double[] u, int from, int d, double[] s2);

        /** 1/sqrt(variance), NaN (which poisons the log-determinant) unless the variance is positive and finite. */
        private static double inverseSd(double variance) {
            return variance > 0 && Double.isFinite(variance) ? 1 / Math.sqrt(variance) : Double.NaN;
        }
    }
}
