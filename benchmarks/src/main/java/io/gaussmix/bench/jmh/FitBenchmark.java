package io.gaussmix.bench.jmh;

import io.gaussmix.BackendType;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.backend.Backends;
import io.gaussmix.bench.BenchData;
import io.gaussmix.bench.FixedFit;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * A whole fit of exactly {@code iterations} EM iterations (tol = 0) from a fixed start (k-means++ means,
 * weights 1/K, data covariance + 1e-6 I): loading the rows onto the backend, the passes and the host
 * M-steps. One op = one fit; divide by {@code iterations} for time per iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g", "-Djava.awt.headless=true"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class FitBenchmark {
    @Param({"cpu", "opencl", "cuda"})
    public String backend;

    @Param({"100000", "1000000"})
    public int n;

    @Param({"16", "64"})
    public int d;

    @Param({"8"})
    public int k;

    @Param({"full"})
    public String covariance;

    @Param({"default"})
    public String precision;

    @Param({"5"})
    public int iterations;

    private Matrix x;
    private GaussianMixtureModel start;
    private BackendType type;

    @Setup(Level.Trial)
    public void setUp() {
        Grid.checkWork(Grid.covariance(covariance), n, d, k, iterations);
        type = Grid.backend(backend);
        // Fail fast with the reason when the backend cannot run here.
        Backends.open(type, new BackendOptions(0, Grid.precision(precision), 0), s -> { }).close();
        x = BenchData.sample(n, d, k);
        MixtureParams p = BenchData.peerStart(x, k, 7);
        if (!"full".equals(covariance)) {
            p = BenchData.passParams(x, Grid.covariance(covariance), k, 7);
        }
        start = FixedFit.model(p);
    }

    @Benchmark
    public GaussianMixtureModel fit() {
        return FixedFit.fit(x, start, type, Grid.precision(precision), iterations, 1e-6);
    }
}
