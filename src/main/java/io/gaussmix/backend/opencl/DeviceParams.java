package io.gaussmix.backend.opencl;

import io.gaussmix.backend.DeviceRows;
import io.gaussmix.math.MixtureParams;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_context;

/**
 * One pass's parameters on the device, in the device precision: the means minus the rows' shift
 * ({@link DeviceRows#shiftedMeans}), the precision Cholesky factors, and per component
 * {@link MixtureParams#logDensityConstant} (computed in float64 on the host).
 */
final class DeviceParams implements AutoCloseable {
    final ClMem means;
    final ClMem factors;
    final ClMem constants;
    final int factorLength;

    private DeviceParams(ClMem means, ClMem factors, ClMem constants, int factorLength) {
        this.means = means;
        this.factors = factors;
        this.constants = constants;
        this.factorLength = factorLength;
    }

    static DeviceParams upload(cl_context context, MixtureParams p, DeviceRows rows, boolean f64) {
        double[] mu = rows.shiftedMeans(p);
        double[] cst = new double[p.components()];
        for (int c = 0; c < cst.length; c++) {
            cst[c] = p.logDensityConstant(c);
        }
        ClMem m = null;
        ClMem f = null;
        try {
            m = copy(context, mu, f64, "means");
            f = copy(context, p.precisionCholesky(), f64, "precision factors");
            ClMem c = copy(context, cst, f64, "component constants");
            return new DeviceParams(m, f, c, p.precisionCholesky().length);
        } catch (RuntimeException e) {
            if (m != null) {
                m.close();
            }
            if (f != null) {
                f.close();
            }
            throw e;
        }
    }

    private static ClMem copy(cl_context context, double[] v, boolean f64, String what) {
        long flags = CL.CL_MEM_READ_ONLY | CL.CL_MEM_COPY_HOST_PTR;
        if (f64) {
            return ClMem.allocate(context, flags, (long) v.length * 8, Pointer.to(v.length == 0 ? new double[1] : v), what);
        }
        float[] f = new float[Math.max(1, v.length)];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return ClMem.allocate(context, flags, (long) v.length * 4, Pointer.to(f), what);
    }

    @Override
    public void close() {
        try {
            means.close();
            factors.close();
        } finally {
            constants.close();
        }
    }
}
