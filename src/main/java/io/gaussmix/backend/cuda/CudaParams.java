package io.gaussmix.backend.cuda;

import io.gaussmix.backend.DeviceRows;
import io.gaussmix.backend.Precision;
import io.gaussmix.math.MixtureParams;
import jcuda.Pointer;

import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

/**
 * One pass's parameters on the GPU: the means minus the rows' shift and the precision factors in
 * the device precision, and per component {@link MixtureParams#logDensityConstant} in float64.
 * The buffers are kept between passes and grown when a pass needs more.
 */
final class CudaParams implements AutoCloseable {
    private final Precision precision;
    private DeviceBuffer means;
    private DeviceBuffer factors;
    private DeviceBuffer constants;

    CudaParams(Precision precision) {
        this.precision = precision;
    }

    /** Uploads p for rows shifted like {@code rows} (synchronous copies: done before the next launch reads them). */
    void upload(MixtureParams p, DeviceRows rows) {
        double[] cst = new double[p.components()];
        for (int c = 0; c < cst.length; c++) {
            cst[c] = p.logDensityConstant(c);
        }
        means = upload(means, rows.shiftedMeans(p), precision.elementBytes(), "means");
        factors = upload(factors, p.precisionCholesky(), precision.elementBytes(), "precision factors");
        constants = upload(constants, cst, 8, "log-density constants");
    }

    Pointer meansArg() {
        return means.arg();
    }

    Pointer factorsArg() {
        return factors.arg();
    }

    Pointer constantsArg() {
        return constants.arg();
    }

    /** Copies values (as float32 when elementBytes is 4) into buf, growing it when too small. */
    private static DeviceBuffer upload(DeviceBuffer buf, double[] values, int elementBytes, String what) {
        long bytes = (long) values.length * elementBytes;
        buf = DeviceBuffer.atLeast(buf, bytes, what);
        Pointer src = elementBytes == 4 ? Pointer.to(toFloat(values)) : Pointer.to(values);
        Cuda.check(cuMemcpyHtoD(buf.ptr, src, bytes), "cuMemcpyHtoD", what + ", " + bytes + " bytes");
        return buf;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    @Override
    public void close() {
        try (DeviceBuffer m = means; DeviceBuffer f = factors; DeviceBuffer c = constants) {
            means = factors = constants = null;
        }
    }
}
