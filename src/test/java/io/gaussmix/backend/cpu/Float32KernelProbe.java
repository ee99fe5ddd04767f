package io.gaussmix.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Issue 12's question "would a float32 CPU path pay?", measured before building one: the two products of
 * a pass in the register-tile shape of {@link VectorTriangular}, once in 4-lane doubles and once in 8-lane
 * floats (the same 256-bit vectors, twice the lanes), on one thread, over blocks of rows that stay in cache.
 * <ul>
 *   <li>Mahalanobis: feature-major y = d U over 16 rows (double) or 32 rows (float) per tile of 4 output
 *       features, then the row sums of y^2: the tile of {@link VectorTriangular#mahalanobis} (upper triangle
 *       of U only, as there);</li>
 *   <li>rank update: S += g d^T d over the block's rows in 4-row by 4-vector tiles (the whole square, the
 *       same in both precisions).</li>
 * </ul>
 * The ratio of the two rates is what float32 could gain on the products; the pass also has its
 * log-sum-exp and packing, which the whole-pass figures in RESULTS.md put at a fifth (D = 64) to a half
 * (D = 16). Not a test: a main run by hand.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
 *     io.gaussmix.backend.cpu.Float32KernelProbe [16,64,100]</pre>
 */
public final class Float32KernelProbe {
    /** 4 lanes (256 bits) as the kernels have it; {@code -Dprobe.wide=true}: 8 lanes (512 bits, AVX-512). A constant, or C2 boxes every vector. */
    private static final VectorSpecies<Double> SD = Boolean.getBoolean("probe.wide") ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
    private static final int L = SD.length();
    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_256;
    private static final int ROWS = 512;
    private static final int REPS = 7;

    private Float32KernelProbe() {
    }

    public static void main(String[] args) {
        String dims = args.length > 0 ? args[0] : "16,64,100";
        for (String s : dims.split(",")) {
            int d = Integer.parseInt(s);
            int dp = (d + 15) & ~15;
            int blocks = Math.max(50, (int) (4e9 / ((double) ROWS * dp * dp)));
            Data64 a = new Data64(dp);
            Data32 b = new Data32(dp);
            double flops = (double) blocks * ROWS * dp * dp;
            double m64 = best(() -> a.mahalanobis(blocks)), m32 = best(() -> b.mahalanobis(blocks));
            double r64 = best(() -> a.rankUpdate(blocks)), r32 = best(() -> b.rankUpdate(blocks));
            double triangle = (double) blocks * ROWS * dp * (dp + 4) / 2.0;
            System.out.printf(Locale.ROOT, "D=%d (stride %d), one thread, %d blocks of %d rows, float64 in %d lanes:%n", d, dp, blocks, ROWS, L);
            System.out.printf(Locale.ROOT, "  mahalanobis  float64 %.1f GFLOP/s  float32 %.1f GFLOP/s  ratio %.2f%n",
                    2 * triangle / m64 / 1e9, 2 * triangle / m32 / 1e9, m64 / m32);
            System.out.printf(Locale.ROOT, "  rank update  float64 %.1f GFLOP/s  float32 %.1f GFLOP/s  ratio %.2f%n",
                    2 * flops / r64 / 1e9, 2 * flops / r32 / 1e9, r64 / r32);
            System.out.printf(Locale.ROOT, "  (checksums %.3e %.3e)%n", a.sink, b.sink);
        }
    }

    /** Best of REPS timed runs after two untimed ones, in seconds. */
    private static double best(Runnable r) {
        double[] t = new double[REPS];
        for (int i = -2; i < REPS; i++) {
            long t0 = System.nanoTime();
            r.run();
            if (i >= 0) {
                t[i] = (System.nanoTime() - t0) * 1e-9;
            }
        }
        Arrays.sort(t);
        return t[0];
    }

    /** Random inputs, U upper triangular in 4-column panels as {@link TriangularPass} packs them; L lanes per vector. */
    private static final class Data64 {
        final int dp;
        final double[] dT;
        final double[] u;
        final double[] rows;
        final double[] acc;
        final double[] maha = new double[ROWS];
        double sink;

        Data64(int dp) {
            this.dp = dp;
            SplittableRandom rnd = new SplittableRandom(3);
            dT = rnd.doubles((long) dp * ROWS, -1, 1).toArray();
            rows = rnd.doubles((long) dp * ROWS, -1, 1).toArray();
            u = rnd.doubles((long) dp * dp, -1, 1).toArray();
            acc = new double[dp * dp + 4 * L];
        }

        void mahalanobis(int blocks) {
            for (int blk = 0; blk < blocks; blk++) {
                for (int r = 0; r < ROWS; r += 4 * L) {
                    DoubleVector s0 = DoubleVector.zero(SD), s1 = s0, s2 = s0, s3 = s0;
                    for (int j0 = 0; j0 < dp; j0 += 4) {
                        DoubleVector c00 = DoubleVector.zero(SD), c01 = c00, c02 = c00, c03 = c00;
                        DoubleVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
                        DoubleVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
                        DoubleVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
                        int pb = j0 * dp;
                        for (int i = 0; i < j0 + 4; i++) {
                            int o = i * ROWS + r;
                            DoubleVector x0 = DoubleVector.fromArray(SD, dT, o);
                            DoubleVector x1 = DoubleVector.fromArray(SD, dT, o + L);
                            DoubleVector x2 = DoubleVector.fromArray(SD, dT, o + 2 * L);
                            DoubleVector x3 = DoubleVector.fromArray(SD, dT, o + 3 * L);
                            int ub = pb + 4 * i;
                            DoubleVector g = DoubleVector.broadcast(SD, u[ub]);
                            c00 = x0.fma(g, c00); c01 = x1.fma(g, c01); c02 = x2.fma(g, c02); c03 = x3.fma(g, c03);
                            g = DoubleVector.broadcast(SD, u[ub + 1]);
                            c10 = x0.fma(g, c10); c11 = x1.fma(g, c11); c12 = x2.fma(g, c12); c13 = x3.fma(g, c13);
                            g = DoubleVector.broadcast(SD, u[ub + 2]);
                            c20 = x0.fma(g, c20); c21 = x1.fma(g, c21); c22 = x2.fma(g, c22); c23 = x3.fma(g, c23);
                            g = DoubleVector.broadcast(SD, u[ub + 3]);
                            c30 = x0.fma(g, c30); c31 = x1.fma(g, c31); c32 = x2.fma(g, c32); c33 = x3.fma(g, c33);
                        }
                        s0 = c00.fma(c00, s0); s0 = c10.fma(c10, s0); s0 = c20.fma(c20, s0); s0 = c30.fma(c30, s0);
                        s1 = c01.fma(c01, s1); s1 = c11.fma(c11, s1); s1 = c21.fma(c21, s1); s1 = c31.fma(c31, s1);
                        s2 = c02.fma(c02, s2); s2 = c12.fma(c12, s2); s2 = c22.fma(c22, s2); s2 = c32.fma(c32, s2);
                        s3 = c03.fma(c03, s3); s3 = c13.fma(c13, s3); s3 = c23.fma(c23, s3); s3 = c33.fma(c33, s3);
                    }
                    s0.intoArray(maha, r);
                    s1.intoArray(maha, r + L);
                    s2.intoArray(maha, r + 2 * L);
                    s3.intoArray(maha, r + 3 * L);
                }
                sink += maha[blk % ROWS];
            }
        }

        void rankUpdate(int blocks) {
            for (int blk = 0; blk < blocks; blk++) {
                for (int a0 = 0; a0 < dp; a0 += 4) {
                    for (int j0 = 0; j0 < dp; j0 += 4 * L) {
                        int r0 = a0 * dp + j0;
                        DoubleVector c00 = DoubleVector.fromArray(SD, acc, r0), c01 = DoubleVector.fromArray(SD, acc, r0 + L);
                        DoubleVector c02 = DoubleVector.fromArray(SD, acc, r0 + 2 * L), c03 = DoubleVector.fromArray(SD, acc, r0 + 3 * L);
                        DoubleVector c10 = DoubleVector.zero(SD), c11 = c10, c12 = c10, c13 = c10;
                        DoubleVector c20 = c10, c21 = c10, c22 = c10, c23 = c10;
                        DoubleVector c30 = c10, c31 = c10, c32 = c10, c33 = c10;
                        if (dp - j0 >= 4 * L) {   // 8 lanes at D = 16, 48, ...: the last tile has 2 vectors, a loop of its own
                            for (int t = 0; t < ROWS; t++) {   // (a branch inside this loop costs C2 its registers: 10x slower)
                                int o = t * dp;
                                DoubleVector x0 = DoubleVector.fromArray(SD, rows, o + j0);
                                DoubleVector x1 = DoubleVector.fromArray(SD, rows, o + j0 + L);
                                DoubleVector x2 = DoubleVector.fromArray(SD, rows, o + j0 + 2 * L);
                                DoubleVector x3 = DoubleVector.fromArray(SD, rows, o + j0 + 3 * L);
                                DoubleVector g = DoubleVector.broadcast(SD, rows[o + a0]);
                                c00 = x0.fma(g, c00); c01 = x1.fma(g, c01); c02 = x2.fma(g, c02); c03 = x3.fma(g, c03);
                                g = DoubleVector.broadcast(SD, rows[o + a0 + 1]);
                                c10 = x0.fma(g, c10); c11 = x1.fma(g, c11); c12 = x2.fma(g, c12); c13 = x3.fma(g, c13);
                                g = DoubleVector.broadcast(SD, rows[o + a0 + 2]);
                                c20 = x0.fma(g, c20); c21 = x1.fma(g, c21); c22 = x2.fma(g, c22); c23 = x3.fma(g, c23);
                                g = DoubleVector.broadcast(SD, rows[o + a0 + 3]);
                                c30 = x0.fma(g, c30); c31 = x1.fma(g, c31); c32 = x2.fma(g, c32); c33 = x3.fma(g, c33);
                            }
                        } else {
                            for (int t = 0; t < ROWS; t++) {
                                int o = t * dp;
                                DoubleVector x0 = DoubleVector.fromArray(SD, rows, o + j0);
                                DoubleVector x1 = DoubleVector.fromArray(SD, rows, o + j0 + L);
                                DoubleVector g = DoubleVector.broadcast(SD, rows[o + a0]);
                                c00 = x0.fma(g, c00); c01 = x1.fma(g, c01);
                                g = DoubleVector.broadcast(SD, rows[o + a0 + 1]);
                                c10 = x0.fma(g, c10); c11 = x1.fma(g, c11);
                                g = DoubleVector.broadcast(SD, rows[o + a0 + 2]);
                                c20 = x0.fma(g, c20); c21 = x1.fma(g, c21);
                                g = DoubleVector.broadcast(SD, rows[o + a0 + 3]);
                                c30 = x0.fma(g, c30); c31 = x1.fma(g, c31);
                            }
                        }
                        c00.add(c10).add(c20).add(c30).intoArray(acc, r0);
                        c01.add(c11).add(c21).add(c31).intoArray(acc, r0 + L);
                        c02.add(c12).add(c22).add(c32).intoArray(acc, r0 + 2 * L);
                        c03.add(c13).add(c23).add(c33).intoArray(acc, r0 + 3 * L);
                    }
                }
                sink += acc[blk % acc.length] * 1e-30;
            }
        }
    }

    /** The same as {@link Data64} in floats: 8 lanes, so 32 rows per Mahalanobis tile and 32 columns per rank-update tile. */
    private static final class Data32 {
        final int dp;
        final float[] dT;
        final float[] u;
        final float[] rows;
        final float[] acc;
        final float[] maha = new float[ROWS];
        double sink;

        Data32(int dp) {
            this.dp = dp;
            SplittableRandom rnd = new SplittableRandom(3);
            dT = floats(rnd, dp * ROWS);
            rows = floats(rnd, dp * ROWS);
            u = floats(rnd, dp * dp);
            acc = new float[dp * dp + 32];
        }

        private static float[] floats(SplittableRandom rnd, int n) {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = (float) rnd.nextDouble(-1, 1);
            }
            return f;
        }

        void mahalanobis(int blocks) {
            for (int blk = 0; blk < blocks; blk++) {
                for (int r = 0; r < ROWS; r += 32) {
                    FloatVector s0 = FloatVector.zero(SF), s1 = s0, s2 = s0, s3 = s0;
                    for (int j0 = 0; j0 < dp; j0 += 4) {
                        FloatVector c00 = FloatVector.zero(SF), c01 = c00, c02 = c00, c03 = c00;
                        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
                        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
                        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
                        int pb = j0 * dp;
                        for (int i = 0; i < j0 + 4; i++) {
                            int o = i * ROWS + r;
                            FloatVector x0 = FloatVector.fromArray(SF, dT, o);
                            FloatVector x1 = FloatVector.fromArray(SF, dT, o + 8);
                            FloatVector x2 = FloatVector.fromArray(SF, dT, o + 16);
                            FloatVector x3 = FloatVector.fromArray(SF, dT, o + 24);
                            int ub = pb + 4 * i;
                            FloatVector g = FloatVector.broadcast(SF, u[ub]);
                            c00 = x0.fma(g, c00); c01 = x1.fma(g, c01); c02 = x2.fma(g, c02); c03 = x3.fma(g, c03);
                            g = FloatVector.broadcast(SF, u[ub + 1]);
                            c10 = x0.fma(g, c10); c11 = x1.fma(g, c11); c12 = x2.fma(g, c12); c13 = x3.fma(g, c13);
                            g = FloatVector.broadcast(SF, u[ub + 2]);
                            c20 = x0.fma(g, c20); c21 = x1.fma(g, c21); c22 = x2.fma(g, c22); c23 = x3.fma(g, c23);
                            g = FloatVector.broadcast(SF, u[ub + 3]);
                            c30 = x0.fma(g, c30); c31 = x1.fma(g, c31); c32 = x2.fma(g, c32); c33 = x3.fma(g, c33);
                        }
                        s0 = c00.fma(c00, s0); s0 = c10.fma(c10, s0); s0 = c20.fma(c20, s0); s0 = c30.fma(c30, s0);
                        s1 = c01.fma(c01, s1); s1 = c11.fma(c11, s1); s1 = c21.fma(c21, s1); s1 = c31.fma(c31, s1);
                        s2 = c02.fma(c02, s2); s2 = c12.fma(c12, s2); s2 = c22.fma(c22, s2); s2 = c32.fma(c32, s2);
                        s3 = c03.fma(c03, s3); s3 = c13.fma(c13, s3); s3 = c23.fma(c23, s3); s3 = c33.fma(c33, s3);
                    }
                    s0.intoArray(maha, r);
                    s1.intoArray(maha, r + 8);
                    s2.intoArray(maha, r + 16);
                    s3.intoArray(maha, r + 24);
                }
                sink += maha[blk % ROWS];
            }
        }

        void rankUpdate(int blocks) {
            for (int blk = 0; blk < blocks; blk++) {
                for (int a0 = 0; a0 < dp; a0 += 4) {
                    for (int j0 = 0; j0 < dp; j0 += 32) {
                        int r0 = a0 * dp + j0;
                        FloatVector c00 = FloatVector.fromArray(SF, acc, r0), c01 = FloatVector.fromArray(SF, acc, r0 + 8);
                        FloatVector c02 = FloatVector.fromArray(SF, acc, r0 + 16), c03 = FloatVector.fromArray(SF, acc, r0 + 24);
                        FloatVector c10 = FloatVector.zero(SF), c11 = c10, c12 = c10, c13 = c10;
                        FloatVector c20 = c10, c21 = c10, c22 = c10, c23 = c10;
                        FloatVector c30 = c10, c31 = c10, c32 = c10, c33 = c10;
                        if (dp - j0 >= 32) {   // D = 16, 48, ...: the last tile has 16 columns, a loop of its own
                            for (int t = 0; t < ROWS; t++) {   // (a branch inside this loop costs C2 its registers: 10x slower)
                                int o = t * dp;
                                FloatVector x0 = FloatVector.fromArray(SF, rows, o + j0);
                                FloatVector x1 = FloatVector.fromArray(SF, rows, o + j0 + 8);
                                FloatVector x2 = FloatVector.fromArray(SF, rows, o + j0 + 16);
                                FloatVector x3 = FloatVector.fromArray(SF, rows, o + j0 + 24);
                                FloatVector g = FloatVector.broadcast(SF, rows[o + a0]);
                                c00 = x0.fma(g, c00); c01 = x1.fma(g, c01); c02 = x2.fma(g, c02); c03 = x3.fma(g, c03);
                                g = FloatVector.broadcast(SF, rows[o + a0 + 1]);
                                c10 = x0.fma(g, c10); c11 = x1.fma(g, c11); c12 = x2.fma(g, c12); c13 = x3.fma(g, c13);
                                g = FloatVector.broadcast(SF, rows[o + a0 + 2]);
                                c20 = x0.fma(g, c20); c21 = x1.fma(g, c21); c22 = x2.fma(g, c22); c23 = x3.fma(g, c23);
                                g = FloatVector.broadcast(SF, rows[o + a0 + 3]);
                                c30 = x0.fma(g, c30); c31 = x1.fma(g, c31); c32 = x2.fma(g, c32); c33 = x3.fma(g, c33);
                            }
                        } else {
                            for (int t = 0; t < ROWS; t++) {
                                int o = t * dp;
                                FloatVector x0 = FloatVector.fromArray(SF, rows, o + j0);
                                FloatVector x1 = FloatVector.fromArray(SF, rows, o + j0 + 8);
                                FloatVector g = FloatVector.broadcast(SF, rows[o + a0]);
                                c00 = x0.fma(g, c00); c01 = x1.fma(g, c01);
                                g = FloatVector.broadcast(SF, rows[o + a0 + 1]);
                                c10 = x0.fma(g, c10); c11 = x1.fma(g, c11);
                                g = FloatVector.broadcast(SF, rows[o + a0 + 2]);
                                c20 = x0.fma(g, c20); c21 = x1.fma(g, c21);
                                g = FloatVector.broadcast(SF, rows[o + a0 + 3]);
                                c30 = x0.fma(g, c30); c31 = x1.fma(g, c31);
                            }
                        }
                        c00.add(c10).add(c20).add(c30).intoArray(acc, r0);
                        c01.add(c11).add(c21).add(c31).intoArray(acc, r0 + 8);
                        c02.add(c12).add(c22).add(c32).intoArray(acc, r0 + 16);
                        c03.add(c13).add(c23).add(c33).intoArray(acc, r0 + 24);
                    }
                }
                sink += acc[blk % acc.length] * 1e-30;
            }
        }
    }
}
