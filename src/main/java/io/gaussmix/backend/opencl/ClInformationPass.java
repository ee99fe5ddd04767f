package io.gaussmix.backend.opencl;

import io.gaussmix.backend.InformationInputs;
import io.gaussmix.math.MixtureParams;
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
 * blocks' sums in block order and the result is the same bits run to run. The inputs and the block size
 * are {@link InformationInputs}'.
 */
final class ClInformationPass implements AutoCloseable {
    /** Tile edge of the outer-product kernels: {@code TS} in information.cl. */
    static final int TILE = InformationInputs.TILE;

    private final cl_command_queue queue;
    private final ClProgram program;
    private final InformationInputs in;
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
        this.in = new InformationInputs(p);
        int size = in.size;
        int rows = in.blockRows;
        try {
            long ro = CL.CL_MEM_READ_ONLY | CL.CL_MEM_COPY_HOST_PTR;
            long zero = CL.CL_MEM_READ_WRITE | CL.CL_MEM_COPY_HOST_PTR;
            lambda = keep(ClMem.allocate(context, ro, 8L * in.precisions.length, Pointer.to(in.precisions), "precisions"));
            weights = keep(ClMem.allocate(context, ro, 8L * in.k, Pointer.to(in.weights), "weights"));
            support = keep(ClMem.allocate(context, ro, 4L * in.supports.length, Pointer.to(in.supports), "supports"));
            supportLength = keep(ClMem.allocate(context, ro, 4L * in.k, Pointer.to(in.supportLengths),
                    "support lengths"));
            directionAt = keep(ClMem.allocate(context, ro, 4L * in.directionStart.length,
                    Pointer.to(in.directionStart), "direction offsets"));
            int[] pairs = in.directionPairs.length == 0 ? new int[1] : in.directionPairs;
            direction = keep(ClMem.allocate(context, ro, 4L * pairs.length, Pointer.to(pairs), "directions"));
            out = keep(ClMem.allocate(context, zero, 8L * size * size, Pointer.to(new double[size * size]),
                    "information rows term"));
            score = keep(ClMem.allocate(context, zero, 8L * size, Pointer.to(new double[size]), "score"));
            long rw = CL.CL_MEM_READ_WRITE;
            a = keep(ClMem.allocate(context, rw, 8L * in.k * in.maxSupport * rows, null, "component scores"));
            g = keep(ClMem.allocate(context, rw, 8L * in.k * rows, null, "weighted responsibilities"));
            s = keep(ClMem.allocate(context, rw, 8L * size * rows, null, "row scores"));
            logDensities = keep(ClMem.allocate(context, rw, 8L * in.k * rows, null, "log densities"));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    int blockRows() {
        return in.blockRows;
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
        new KernelArgs(scoresKernel, "info_scores").mem(x).mem(w).int64(first).int32(rows).int32(in.d).int32(in.k)
                .int32(in.size).int32(in.maxSupport).int32(in.blockRows).mem(shiftedMeans).mem(lambda).mem(weights)
                .mem(support).mem(supportLength).mem(directionAt).mem(direction).int32(in.directions)
                .mem(logDensities).mem(a).mem(g).mem(s);
        run(scoresKernel, "info_scores", new long[] {roundUp(rows, 64)}, null);
        cl_kernel component = program.kernel("info_component_outer");
        for (int c = 0; c < in.k; c++) {
            new KernelArgs(component, "info_component_outer").mem(a).mem(g).int32(c).int32(rows).int32(in.maxSupport)
                    .int32(in.blockRows).mem(support).mem(supportLength).int32(in.size).mem(out);
            long edge = roundUp(in.supportLengths[c], TILE);
            run(component, "info_component_outer", new long[] {edge, edge}, new long[] {TILE, TILE});
        }
        cl_kernel cross = program.kernel("info_cross_outer");
        new KernelArgs(cross, "info_cross_outer").mem(s).mem(w).int64(first).int32(rows).int32(in.blockRows)
                .int32(in.size).mem(out);
        long edge = roundUp(in.size, TILE);
        run(cross, "info_cross_outer", new long[] {edge, edge}, new long[] {TILE, TILE});
        cl_kernel sum = program.kernel("info_score_sum");
        new KernelArgs(sum, "info_score_sum").mem(s).mem(w).int64(first).int32(rows).int32(in.blockRows)
                .int32(in.size).mem(score);
        run(sum, "info_score_sum", new long[] {roundUp(in.size, 64)}, null);
    }

    /** Reads the outputs back (blocking, after every block's kernels). */
    RowInformation result() {
        double[] outer = new double[in.size * in.size];
        double[] total = new double[in.size];
        Cl.check(CL.clEnqueueReadBuffer(queue, out.mem, true, 0, 8L * outer.length, Pointer.to(outer), 0, null,
                null), "clEnqueueReadBuffer", "reading the information's rows term");
        Cl.check(CL.clEnqueueReadBuffer(queue, score.mem, true, 0, 8L * total.length, Pointer.to(total), 0, null,
                null), "clEnqueueReadBuffer", "reading the score");
        return new RowInformation(in.layout, outer, total);
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
