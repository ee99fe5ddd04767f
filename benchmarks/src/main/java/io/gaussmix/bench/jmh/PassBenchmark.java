package io.gaussmix.bench.jmh;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.backend.BackendOptions;
import io.gaussmix.bench.BenchData;
import io.gaussmix.bench.PassTimer;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.math.SufficientStats;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The fused E+M pass of one EM iteration ({@code Backend.accumulate}) per backend, through the same
 * {@link PassTimer.Session} that {@code gaussmix bench} uses. One op = one pass over all N rows;
 * GFLOP/s = {@code FlopModel.passFlops / time} (see README.md; {@code JmhReport} computes it).
 *
 * <p>The default grid is large; pick points with {@code -p}. Unavailable backends fail in setup with
 * the reason (JMH reports that point as failed and goes on), or filter them with {@code -p backend=cpu}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g", "-Djava.awt.headless=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PassBenchmark {
    @Param({"cpu", "opencl", "cuda"})
    public String backend;

    @Param({"10000", "100000", "1000000"})
    public int n;

    @Param({"2", "16", "64", "128"})
    public int d;

    @Param({"2", "8", "64", "1024"})
    public int k;

    @Param({"full", "diag"})
    public String covariance;

    /** float32, float64, or default (the backend's own: float64 on the CPU, float32 on devices). */
    @Param({"float64", "float32"})
    public String precision;

    private PassTimer.Session session;
    private MixtureParams params;

    @Setup(Level.Trial)
    public void setUp() {
        CovarianceType type = Grid.covariance(covariance);
        Grid.checkWork(type, n, d, k, 1);
        BackendType bt = Grid.backend(backend);
        Matrix x = BenchData.sample(n, d, k);
        params = BenchData.passParams(x, type, k, 7);
        session = new PassTimer.Session(bt, new BackendOptions(0, Grid.precision(precision), 0), x);
    }

    @Benchmark
    public SufficientStats pass() {
        return session.pass(params);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (session != null) {
            session.close();
        }
    }
}
