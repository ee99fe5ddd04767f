package io.gaussmix.backend.opencl;

import org.jocl.CL;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.ArrayList;
import java.util.List;

/** One OpenCL device and the properties the backend plans with. */
record ClDevice(int index, cl_platform_id platform, cl_device_id id, String platformName, String name, boolean gpu,
                long globalMemBytes, long maxAllocBytes, long localMemBytes, int computeUnits, long maxWorkGroupSize,
                boolean fp64) {

    /**
     * Every device of every platform, platforms in the order the ICD loader lists them and devices in
     * each platform's order: the index is stable on a given machine.
     *
     * @throws ClCallException with CL_PLATFORM_NOT_FOUND_KHR when no ICD is installed
     */
    static List<ClDevice> all() {
        int[] count = new int[1];
        Cl.check(CL.clGetPlatformIDs(0, null, count), "clGetPlatformIDs", "counting OpenCL platforms");
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        if (count[0] > 0) {
            Cl.check(CL.clGetPlatformIDs(count[0], platforms, null), "clGetPlatformIDs", "listing OpenCL platforms");
        }
        List<ClDevice> devices = new ArrayList<>();
        for (cl_platform_id p : platforms) {
            String platformName = Cl.platformString(p, CL.CL_PLATFORM_NAME);
            int[] n = new int[1];
            int code = CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, 0, null, n);
            if (code == CL.CL_DEVICE_NOT_FOUND) {
                continue;
            }
            Cl.check(code, "clGetDeviceIDs", "counting the devices of platform " + platformName);
            cl_device_id[] ids = new cl_device_id[n[0]];
            Cl.check(CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, n[0], ids, null), "clGetDeviceIDs",
                    "listing the devices of platform " + platformName);
            for (cl_device_id id : ids) {
                devices.add(describe(devices.size(), p, platformName, id));
            }
        }
        return devices;
    }

    private static ClDevice describe(int index, cl_platform_id p, String platformName, cl_device_id id) {
        long type = Cl.deviceLong(id, CL.CL_DEVICE_TYPE);
        String extensions = Cl.deviceString(id, CL.CL_DEVICE_EXTENSIONS);
        return new ClDevice(index, p, id, platformName, Cl.deviceString(id, CL.CL_DEVICE_NAME),
                (type & CL.CL_DEVICE_TYPE_GPU) != 0,
                Cl.deviceLong(id, CL.CL_DEVICE_GLOBAL_MEM_SIZE), Cl.deviceLong(id, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                Cl.deviceLong(id, CL.CL_DEVICE_LOCAL_MEM_SIZE), Cl.deviceInt(id, CL.CL_DEVICE_MAX_COMPUTE_UNITS),
                Cl.deviceSize(id, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE),
                List.of(extensions.split("\\s+")).contains("cl_khr_fp64"));
    }

    /** One line for {@code Availability.devices}: index, name, type, memory, compute units, fp64. */
    String summary() {
        return "opencl device " + index + ": " + name + " (" + platformName + "), " + (gpu ? "GPU" : "CPU") + ", "
                + (globalMemBytes >> 20) + " MiB global memory, " + computeUnits + " compute units, fp64 "
                + (fp64 ? "yes" : "no");
    }
}
