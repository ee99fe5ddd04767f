package io.gaussmix.backend.opencl;

import io.gaussmix.backend.Availability;
import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Skips OpenCL tests where no OpenCL device exists, unless the run demands OpenCL (system property
 * {@code gaussmix.requireOpenCL=true} or environment {@code GAUSSMIX_REQUIRE_OPENCL=true}): then it fails.
 */
final class OpenClAssumptions {
    private static final OpenClProvider PROVIDER = new OpenClProvider();

    private OpenClAssumptions() {
    }

    /** The shared provider, after making sure OpenCL is available (skip or fail otherwise). */
    static OpenClProvider requireOpenCl() {
        Availability a = PROVIDER.availability();
        if (!a.available()) {
            String reason = "OpenCL is unavailable: " + a.reason();
            if (required()) {
                fail(reason + " (and GAUSSMIX_REQUIRE_OPENCL / gaussmix.requireOpenCL demands it)");
            }
            Assumptions.assumeTrue(false, reason);
        }
        return PROVIDER;
    }

    /** The first device, skipping (or failing, as above) when it lacks fp64. */
    static ClDevice requireFp64() {
        ClDevice d = requireOpenCl().device(0);
        if (!d.fp64()) {
            String reason = "OpenCL device " + d.name() + " has no cl_khr_fp64";
            if (required()) {
                fail(reason + " (and GAUSSMIX_REQUIRE_OPENCL / gaussmix.requireOpenCL demands it)");
            }
            Assumptions.assumeTrue(false, reason);
        }
        return d;
    }

    static boolean required() {
        return "true".equalsIgnoreCase(System.getProperty("gaussmix.requireOpenCL"))
                || "true".equalsIgnoreCase(System.getenv("GAUSSMIX_REQUIRE_OPENCL"));
    }
}
