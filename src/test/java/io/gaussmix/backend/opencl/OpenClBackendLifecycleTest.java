package io.gaussmix.backend.opencl;

import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.DeviceException;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
import io.gaussmix.testing.SyntheticMixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resources are released (no leaked buffers, every clRelease* succeeds) and build failures are reported. */
class OpenClBackendLifecycleTest {

    @Test
    void openLoadAccumulateCloseFiftyTimesLeaksNothing() {
        OpenClProvider provider = OpenClAssumptions.requireOpenCl();
        MixtureParams p = SyntheticMixtures.randomParams(CovarianceType.FULL, 3, 4, 5, 3.0, 0.0);
        Matrix x = SyntheticMixtures.sample(p, 500, 6);
        int before = ClMem.live();
        double first = Double.NaN;
        for (int i = 0; i < 50; i++) {
            // close() checks the return code of every clRelease*, so a failed release throws here.
            try (Backend b = provider.open(BackendOptions.DEFAULT);
                 LoadedData data = b.load(x, null)) {
                SufficientStats s = b.accumulate(data, p);
                if (i == 0) {
                    first = s.logLikelihood;
                }
                assertEquals(first, s.logLikelihood, 0.0);
            }
            assertEquals(before, ClMem.live(), "device buffers still alive after cycle " + i);
        }
    }

    @Test
    void closeIsIdempotentAndLoadedDataClosesOnItsOwn() {
        OpenClProvider provider = OpenClAssumptions.requireOpenCl();
        int before = ClMem.live();
        Backend b = provider.open(BackendOptions.DEFAULT);
        LoadedData data = b.load(Matrix.wrap(new double[] {1, 2, 3, 4}, 2, 2), null);
        assertTrue(ClMem.live() > before);
        data.close();
        data.close();
        assertEquals(before, ClMem.live());
        b.close();
        b.close();
        assertThrows(IllegalStateException.class, () -> b.load(Matrix.wrap(new double[] {1}, 1, 1), null));
    }

    @Test
    void brokenKernelReportsTheBuildLog() {
        OpenClProvider provider = OpenClAssumptions.requireOpenCl();
        try (OpenClBackend b = OpenClBackend.open(provider.device(0), io.gaussmix.backend.Precision.FLOAT32, note -> { })) {
            String broken = "__kernel void broken(__global float* out) { out[0] = undeclared_name; }";
            DeviceException e = assertThrows(DeviceException.class, () -> b.compile(broken, "", "broken.cl"));
            assertTrue(e.getMessage().contains("clBuildProgram failed"), e.getMessage());
            assertTrue(e.getMessage().contains("build log"), e.getMessage());
            assertTrue(e.getMessage().contains("undeclared_name"), "the log names the bad identifier: " + e.getMessage());
        }
    }

    @Test
    void missingKernelSourceIsReported() {
        DeviceException e = assertThrows(DeviceException.class, () -> ClProgram.source("no-such-kernel.cl"));
        assertTrue(e.getMessage().contains("no-such-kernel.cl"));
    }
}
