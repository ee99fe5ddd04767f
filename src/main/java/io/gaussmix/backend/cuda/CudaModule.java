package io.gaussmix.backend.cuda;

import io.gaussmix.backend.BackendUnavailableException;
import io.gaussmix.backend.DeviceException;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/** The bundled PTX, JIT-compiled by the driver into the current context, and every kernel looked up once. */
final class CudaModule implements AutoCloseable {
    private final CUmodule module;
    private final Map<String, CUfunction> functions = new HashMap<>();
    private boolean unloaded;

    /** Loads estep.ptx (ISA 8.0) into the current context of a driver reporting {@code driverVersion}. */
    CudaModule(int driverVersion) {
        byte[] ptx = readPtx();
        byte[] image = new byte[ptx.length + 1];   // the driver reads a NUL-terminated string
        System.arraycopy(ptx, 0, image, 0, ptx.length);
        CUmodule m = new CUmodule();
        int r = JCudaDriver.cuModuleLoadDataEx(m, Pointer.to(image), 0, new int[0], Pointer.to(new int[0]));
        if (r == CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION) {
            throw new BackendUnavailableException("CUDA driver " + Cuda.versionString(driverVersion)
                    + " too old for the bundled PTX (.version 8.0 needs CUDA 12.0+): cuModuleLoadDataEx returned "
                    + "CUDA_ERROR_UNSUPPORTED_PTX_VERSION; update the NVIDIA driver");
        }
        Cuda.check(r, "cuModuleLoadDataEx", "estep.ptx, driver " + Cuda.versionString(driverVersion));
        module = m;
        try {
            for (String name : KernelNames.all()) {
                CUfunction f = new CUfunction();
                Cuda.check(JCudaDriver.cuModuleGetFunction(f, module, name), "cuModuleGetFunction", name);
                functions.put(name, f);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The PTX text from the classpath, where the build copies {@code kernels/cuda/estep.ptx}. */
    static byte[] readPtx() {
        try (InputStream in = CudaModule.class.getResourceAsStream(KernelNames.PTX_RESOURCE)) {
            if (in == null) {
                throw new BackendUnavailableException("the CUDA kernels are missing from the classpath ("
                        + KernelNames.PTX_RESOURCE + "); rebuild gaussmix");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BackendUnavailableException("cannot read " + KernelNames.PTX_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    CUfunction function(String name) {
        CUfunction f = functions.get(name);
        if (f == null) {
            throw new DeviceException("kernel " + name + " is not in estep.ptx");
        }
        return f;
    }

    /** Unloads the module (its context must be current); idempotent. */
    @Override
    public void close() {
        if (!unloaded) {
            unloaded = true;
            functions.clear();
            Cuda.check(JCudaDriver.cuModuleUnload(module), "cuModuleUnload", "estep.ptx");
        }
    }
}
