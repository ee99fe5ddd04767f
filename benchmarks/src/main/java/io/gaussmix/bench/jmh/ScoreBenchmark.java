package io.gaussmix.bench.jmh;

import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.bench.BenchData;
import io.gaussmix.bench.FixedFit;
import io.gaussmix.data.Matrix;
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
 * The model's inference API on N rows: {@code score} (mean log-likelihood) and {@code predict}
 * (most probable component). Both evaluate the N x K log densities ({@code FlopModel}'s Mahalanobis
 * half: about N*K*D^2 flops for full, 3*N*K*D for diag).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g", "-Djava.awt.headless=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScoreBenchmark {
    @Param({"10000", "100000", "1000000"})
    public int n;

    @Param({"16", "64"})
    public int d;

    @Param({"8", "64"})
    public int k;

    @Param({"full", "diag"})
    public String covariance;

    private Matrix x;
    private GaussianMixtureModel model;

    @Setup(Level.Trial)
    public void setUp() {
        Grid.checkWork(Grid.covariance(covariance), n, d, k, 1);
        x = BenchData.sample(n, d, k);
        model = FixedFit.model(BenchData.passParams(x, Grid.covariance(covariance), k, 7));
    }

    @Benchmark
    public double score() {
        return model.score(x);
    }

    @Benchmark
    public int[] predict() {
        return model.predict(x);
    }
}
