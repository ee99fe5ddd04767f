package io.gaussmix.backend.opencl;

import io.gaussmix.math.ComponentScores;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.ParameterLayout;
import io.gaussmix.math.RowInformation;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The device side of {@code Backend.rowInformation} on OpenCL, float64 ({@code information.cl}): the P x P
 * output and the score live on the device for the whole pass; each block of rows goes through the kernels
 * of that file in a fixed sequence on the backend's in-order queue, so every output entry receives the
 * blocks' sums in block order and the result is the same bits run to run. The block buffers hold
 * {@link #rowsPerBlock} rows, chosen from P, K and the support length so they stay near
 * {@value #BLOCK_BYTES} bytes.
 */
final class ClInformationPass implements AutoCloseable {
    /** Tile edge of the outer-product kernels: {@code TS} in information.cl. */
    static final int TILE = 16;
    /** Bytes the per-block buffers (scores, g, s, log densities) aim at. */
    static final long BLOCK_BYTES = 16L << 20;
    private static final int MAX_BLOCK_ROWS = 4096;

    private final cl_command_queue queue;
    private final ClProgram program;
    private final ComponentScores scores;
    private final int k;
    private final int d;
    private final int size;
    private final int lMax;
    private final int blockRows;
    private final int[] lengths;
    private final int directions;
    private final List<ClMem> buffers = new ArrayList<>();
    private final ClMem lambda;
    private final ClMem weights;
    private final ClMem support;
    private final ClMem supportLength;
    private final ClMem directionAt;
    private final ClMem direction;
    private final ClMem out;
    private final ClMem score;
    private final ClMem a;
    private final ClMem g;
    private final ClMem s;
    final ClMem logDensities;

    /** Uploads what the kernels read about p and allocates the outputs (zero) and one block's buffers; frees all if that fails. */
    ClInformationPass(cl_context context, cl_command_queue queue, ClProgram program, MixtureParams p) {
        this.queue = queue;
        this.program = program;
        this.scores = new ComponentScores(p);
        ParameterLayout layout = scores.layout();
        this.k = p.components();
        this.d = p.dimensions();
        this.size = layout.size();
        this.lMax = scores.maxSupport();
        this.blockRows = rowsPerBlock(size, k, lMax);
        this.lengths = new int[k];
        int[] sup = new int[k * lMax];
        double[] lam = new double[k * d * d];
        for (int c = 0; c < k; c++) {
            int[] sc = scores.support(c);
            lengths[c] = sc.length;
            System.arraycopy(sc, 0, sup, c * lMax, sc.length);
            System.arraycopy(scores.precision(c), 0, lam, c * d * d, d * d);
        }
        this.directions = layout.blockParameters();
        int[] at = new int[directions + 1];
        for (int e = 0; e < directions; e++) {
            at[e + 1] = at[e] + layout.direction(e).length / 2;
        }
        int[] dir = new int[2 * at[directions]];
        for (int e = 0; e < directions; e++) {
            System.arraycopy(layout.direction(e), 0, dir, 2 * at[e], layout.direction(e).length);
        }
        try {
            long in = CL.CL_MEM_READ_ONLY | CL.CL_MEM_COPY_HOST_PTR;
            long zero = CL.CL_MEM_READ_WRITE | CL.CL_MEM_COPY_HOST_PTR;
            lambda = keep(ClMem.allocate(context, in, 8L * lam.length, Pointer.to(lam), "precisions"));
            weights = keep(ClMem.allocate(context, in, 8L * k, Pointer.to(p.weights()), "weights"));
            support = keep(ClMem.allocate(context, in, 4L * sup.length, Pointer.to(sup), "supports"));
            supportLength = keep(ClMem.allocate(context, in, 4L * k, Pointer.to(lengths), "support lengths"));
            directionAt = keep(ClMem.allocate(context, in, 4L * at.length, Pointer.to(at), "direction offsets"));
            direction = keep(ClMem.allocate(context, in, 4L * Math.max(1, dir.length),
                    Pointer.to(dir.length == 0 ? new int[1] : dir), "directions"));
            out = keep(ClMem.allocate(context, zero, 8L * size * size, Pointer.to(new double[size * size]),
                    "information rows term"));
            score = keep(ClMem.allocate(context, zero, 8L * size, Pointer.to(new double[size]), "score"));
            long rw = CL.CL_MEM_READ_WRITE;
            a = keep(ClMem.allocate(context, rw, 8L * k * lMax * blockRows, null, "component scores"));
            g = keep(ClMem.allocate(context, rw, 8L * k * blockRows, null, "weighted responsibilities"));
            s = keep(ClMem.allocate(context, rw, 8L * size * blockRows, null, "row scores"));
            logDensities = keep(ClMem.allocate(context, rw, 8L * k * blockRows, null, "log densities"));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Rows per block: the block buffers near {@link #BLOCK_BYTES}, a whole number of tiles, at least one tile. */
    static int rowsPerBlock(int size, int k, int lMax) {
        long perRow = 8L * (size + (long) k * lMax + 2L * k);
        long rows = Math.min(MAX_BLOCK_ROWS, Math.max(TILE, BLOCK_BYTES / perRow));
        return (int) (rows / TILE * TILE);
    }

    int blockRows() {
        return blockRows;
    }

    private ClMem keep(ClMem m) {
        buffers.add(m);
        return m;
    }

    /**
     * Adds the block's rows [first, first + rows) of buffers x and w (rows at most {@link #blockRows}), whose
     * log densities are already in {@link #logDensities}.
     */
    void block(ClMem x, ClMem w, ClMem shiftedMeans, long first, int rows) {
        cl_kernel scoresKernel = program.kernel("info_scores");
        new KernelArgs(scoresKernel, "info_scores").mem(x).mem(w).int64(first).int32(rows).int32(d).int32(k)
                .int32(size).int32(lMax).int32(blockRows).mem(shiftedMeans).mem(lambda).mem(weights).mem(support)
                .mem(supportLength).mem(directionAt).mem(direction).int32(directions).mem(logDensities).mem(a)
                .mem(g).mem(s);
        run(scoresKernel, "info_scores", new long[] {roundUp(rows, 64)}, null);
        cl_kernel component = program.kernel("info_component_outer");
        for (int c = 0; c < k; c++) {
            new KernelArgs(component, "info_component_outer").mem(a).mem(g).int32(c).int32(rows).int32(lMax)
                    .int32(blockRows).mem(support).mem(supportLength).int32(size).mem(out);
            long edge = roundUp(lengths[c], TILE);
            run(component, "info_component_outer", new long[] {edge, edge}, new long[] {TILE, TILE});
        }
        cl_kernel cross = program.kernel("info_cross_outer");
        new KernelArgs(cross, "info_cross_outer").mem(s).mem(w).int64(first).int32(rows).int32(blockRows)
                .int32(size).mem(out);
        long edge = roundUp(size, TILE);
        run(cross, "info_cross_outer", new long[] {edge, edge}, new long[] {TILE, TILE});
        cl_kernel sum = program.kernel("info_score_sum");
        new KernelArgs(sum, "info_score_sum").mem(s).mem(w).int64(first).int32(rows).int32(blockRows).int32(size)
                .mem(score);
        run(sum, "info_score_sum", new long[] {roundUp(size, 64)}, null);
    }

    /** Reads the outputs back (blocking, after every block's kernels). */
    RowInformation result() {
        double[] outer = new double[size * size];
        double[] total = new double[size];
        Cl.check(CL.clEnqueueReadBuffer(queue, out.mem, true, 0, 8L * outer.length, Pointer.to(outer), 0, null,
                null), "clEnqueueReadBuffer", "reading the information's rows term");
        Cl.check(CL.clEnqueueReadBuffer(queue, score.mem, true, 0, 8L * total.length, Pointer.to(total), 0, null,
                null), "clEnqueueReadBuffer", "reading the score");
        return new RowInformation(scores.layout(), outer, total);
    }

    private void run(cl_kernel kernel, String name, long[] global, long[] local) {
        Cl.check(CL.clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, null),
                "clEnqueueNDRangeKernel", "running " + name);
    }

    private static long roundUp(long n, long m) {
        return Math.max(m, (n + m - 1) / m * m);
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (ClMem m : buffers) {
            try {
                m.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        buffers.clear();
        if (first != null) {
            throw first;
        }
    }
}
