package io.gaussmix.backend.opencl;

import io.gaussmix.math.Gaussian;
import io.gaussmix.math.MixtureParams;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_context;

/**
 * One pass's parameters on the device, in the device precision: the means minus the data's shift,
 * the precision Cholesky factors, and per component the constant log w + log det U - D/2 log(2 pi)
 * (computed in float64 on the host).
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

    static DeviceParams upload(cl_context context, MixtureParams p, double[] shift, boolean f64) {
        int k = p.components();
        int d = p.dimensions();
        double[] mu = new double[k * d];
        double[] cst = new double[k];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                mu[c * d + j] = p.means()[c * d + j] - shift[j];
            }
            cst[c] = p.logWeights()[c] + p.logDetPrecChol()[c] - 0.5 * d * Gaussian.LOG_2PI;
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
