package io.gaussmix.bench;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.backend.Backend;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.Backends;
import io.gaussmix.backend.LoadedData;
import io.gaussmix.backend.Precision;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.RowInformation;

import java.util.Arrays;
import java.util.Locale;

/**
 * Times {@code Backend.rowInformation} (the N-dependent part of the standard errors: the rows' score
 * variance, O(N P^2)) on each named backend in float64, on {@link BenchData} rows at {@link BenchData#passParams}
 * (the time does not depend on how good the parameters are): one warm-up call, then the median of the timed
 * calls, and the largest difference from the first backend's result relative to its largest entry.
 *
 * <pre>java ... io.gaussmix.bench.InformationTiming BACKENDS N D K TYPE [REPEATS]</pre>
 * e.g. {@code cpu,opencl 100000 8 4 full 3}. One line per backend on stdout.
 */
public final class InformationTiming {
    private InformationTiming() {
    }

    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: InformationTiming BACKENDS N D K TYPE [REPEATS]");
            System.exit(2);
        }
        String[] backends = args[0].split(",");
        int n = Integer.parseInt(args[1]);
        int d = Integer.parseInt(args[2]);
        int k = Integer.parseInt(args[3]);
        CovarianceType type = CovarianceType.parse(args[4]);
        int repeats = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        Matrix x = BenchData.sample(n, d, k);
        MixtureParams p = BenchData.passParams(x, type, k, 1);
        RowInformation first = null;
        for (String name : backends) {
            BackendType backend = BackendType.parse(name);
            try (Backend b = Backends.open(backend, new BackendOptions(0, Precision.FLOAT64, 0), note -> { });
                 LoadedData data = b.load(x, null)) {
                RowInformation r = b.rowInformation(data, p);   // warm-up: kernels built, code compiled
                double[] seconds = new double[repeats];
                for (int i = 0; i < repeats; i++) {
                    long t0 = System.nanoTime();
                    r = b.rowInformation(data, p);
                    seconds[i] = (System.nanoTime() - t0) / 1e9;
                }
                Arrays.sort(seconds);
                first = first == null ? r : first;
                System.out.printf(Locale.ROOT, "%s\tN=%d D=%d K=%d %s P=%d\tmedian %.3f s of %d\tmax diff to %s %.2e\t%s%n",
                        name, n, d, k, type.id(), r.layout().size(), seconds[repeats / 2], repeats, backends[0],
                        maxRelativeDifference(first.outer(), r.outer()), b.description());
            }
        }
    }

    private static double maxRelativeDifference(double[] expected, double[] actual) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }
}
