package io.gaussmix.backend.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;

/**
 * Return-code checking and info queries. JOCL's JVM-global exception switch stays off: every call's
 * code is checked here, so a failure names the call, the error and what we were doing.
 */
final class Cl {
    private Cl() {
    }

    /** Throws {@link ClCallException} unless {@code code} is CL_SUCCESS. */
    static void check(int code, String call, String context) {
        if (code != CL.CL_SUCCESS) {
            throw new ClCallException(call + " failed with " + CL.stringFor_errorCode(code) + " (" + code + ") while "
                    + context, code);
        }
    }

    static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        check(CL.clGetPlatformInfo(platform, param, 0, null, size), "clGetPlatformInfo", "reading platform info");
        byte[] buf = new byte[(int) size[0]];
        check(CL.clGetPlatformInfo(platform, param, buf.length, Pointer.to(buf), null), "clGetPlatformInfo",
                "reading platform info");
        return cString(buf);
    }

    static String deviceString(cl_device_id device, int param) {
        long[] size = new long[1];
        check(CL.clGetDeviceInfo(device, param, 0, null, size), "clGetDeviceInfo", "reading device info");
        byte[] buf = new byte[(int) size[0]];
        check(CL.clGetDeviceInfo(device, param, buf.length, Pointer.to(buf), null), "clGetDeviceInfo",
                "reading device info");
        return cString(buf);
    }

    /** A cl_ulong or cl_bitfield device property. */
    static long deviceLong(cl_device_id device, int param) {
        long[] v = new long[1];
        check(CL.clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(v), null), "clGetDeviceInfo",
                "reading device info");
        return v[0];
    }

    /** A cl_uint device property. */
    static int deviceInt(cl_device_id device, int param) {
        int[] v = new int[1];
        check(CL.clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(v), null), "clGetDeviceInfo",
                "reading device info");
        return v[0];
    }

    /** A size_t device property. */
    static long deviceSize(cl_device_id device, int param) {
        long[] v = new long[1];
        check(CL.clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(v), null), "clGetDeviceInfo",
                "reading device info");
        return v[0];
    }

    private static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8).trim();
    }
}
