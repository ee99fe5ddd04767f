package io.gaussmix.backend.opencl;

import io.gaussmix.backend.DeviceException;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A built program and the kernels created from it; {@link #close()} releases all of them. */
final class ClProgram implements AutoCloseable {
    private final cl_program program;
    private final cl_device_id device;
    private final String name;
    private final Map<String, cl_kernel> kernels = new LinkedHashMap<>();
    private boolean released;

    private ClProgram(cl_program program, cl_device_id device, String name) {
        this.program = program;
        this.device = device;
        this.name = name;
    }

    /** The text of {@code kernels/opencl/NAME} from the classpath (packaged into the jar). */
    static String source(String file) {
        String path = "/io/gaussmix/kernels/opencl/" + file;
        try (InputStream in = ClProgram.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new DeviceException("kernel source " + path + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DeviceException("cannot read kernel source " + path, e);
        }
    }

    /**
     * Compiles {@code source} for one device.
     *
     * @throws DeviceException naming the program and options, with the compiler's build log, when it fails
     */
    static ClProgram build(cl_context context, cl_device_id device, String source, String options, String name) {
        int[] err = new int[1];
        cl_program p = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, err);
        Cl.check(err[0], "clCreateProgramWithSource", "creating program " + name);
        ClProgram program = new ClProgram(p, device, name);
        int code = CL.clBuildProgram(p, 1, new cl_device_id[] {device}, options, null, null);
        if (code != CL.CL_SUCCESS) {
            String log = program.buildLog();
            program.close();
            throw new DeviceException("clBuildProgram failed with " + CL.stringFor_errorCode(code) + " for program "
                    + name + " (options '" + options + "'); build log:\n" + log);
        }
        return program;
    }

    private String buildLog() {
        long[] size = new long[1];
        if (CL.clGetProgramBuildInfo(program, device, CL.CL_PROGRAM_BUILD_LOG, 0, null, size) != CL.CL_SUCCESS) {
            return "(build log unavailable)";
        }
        byte[] buf = new byte[(int) size[0]];
        if (CL.clGetProgramBuildInfo(program, device, CL.CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null)
                != CL.CL_SUCCESS) {
            return "(build log unavailable)";
        }
        int n = buf.length;
        while (n > 0 && buf[n - 1] == 0) {
            n--;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /** The kernel of that name, created on first use. */
    cl_kernel kernel(String kernelName) {
        cl_kernel k = kernels.get(kernelName);
        if (k == null) {
            int[] err = new int[1];
            k = CL.clCreateKernel(program, kernelName, err);
            Cl.check(err[0], "clCreateKernel", "creating kernel " + kernelName + " of program " + name);
            kernels.put(kernelName, k);
        }
        return k;
    }

    /** The largest work-group the device runs this kernel with (CL_KERNEL_WORK_GROUP_SIZE). */
    long maxWorkGroupSize(String kernelName) {
        long[] v = new long[1];
        Cl.check(CL.clGetKernelWorkGroupInfo(kernel(kernelName), device, CL.CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t,
                Pointer.to(v), null), "clGetKernelWorkGroupInfo", "querying kernel " + kernelName);
        return v[0];
    }

    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        DeviceException first = null;
        for (cl_kernel k : kernels.values()) {
            int code = CL.clReleaseKernel(k);
            if (code != CL.CL_SUCCESS && first == null) {
                first = new ClCallException("clReleaseKernel failed with " + CL.stringFor_errorCode(code), code);
            }
        }
        kernels.clear();
        Cl.check(CL.clReleaseProgram(program), "clReleaseProgram", "releasing program " + name);
        if (first != null) {
            throw first;
        }
    }
}
