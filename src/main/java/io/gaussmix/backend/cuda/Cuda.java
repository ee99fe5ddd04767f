package io.gaussmix.backend.cuda;

import io.gaussmix.backend.DeviceException;
import jcuda.driver.CUresult;

/**
 * Result-code checking for the driver API. JCuda's JVM-global {@code setExceptionsEnabled} is left
 * alone (other code in the process may rely on it); every call site checks its own result.
 */
final class Cuda {
    private Cuda() {
    }

    /**
     * Throws {@code DeviceException("<call> failed: CUDA_ERROR_... (<context>)")} unless the result is success.
     *
     * @param context what was being done (kernel sizes, buffer name); may be empty
     */
    static void check(int result, String call, String context) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new DeviceException(call + " failed: " + errorName(result)
                    + (context == null || context.isEmpty() ? "" : " (" + context + ")"));
        }
    }

    static String errorName(int result) {
        String s = CUresult.stringFor(result);
        return s == null || s.startsWith("INVALID") ? "CUDA error " + result : s;
    }

    /** 13000 -> "13.0", 12060 -> "12.6". */
    static String versionString(int driverVersion) {
        return driverVersion / 1000 + "." + (driverVersion % 1000) / 10;
    }
}
