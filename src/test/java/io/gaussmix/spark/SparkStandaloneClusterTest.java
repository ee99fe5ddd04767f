package io.gaussmix.spark;

import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitListener;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.data.Matrix;
import io.gaussmix.math.MixtureParams;
import io.gaussmix.testing.SyntheticMixtures;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Spark standalone cluster: a Master and two Workers on 127.0.0.1, each a JVM of its own started from
 * the test class path, whose executors are JVMs of their own too. The fit there equals the library's fit of
 * the same rows, and when one worker (with its executor) is killed as iteration 3 begins, Spark reruns the
 * lost tasks (and rebuilds the lost cached blocks) and the fit ends with exactly the undisturbed model:
 * the statistics are added in partition order, so where a task ran does not change a bit.
 */
class SparkStandaloneClusterTest {
    @TempDir
    static Path home;

    private static final List<Process> daemons = new ArrayList<>();
    private static Process doomedWorker;
    private static SparkSession spark;

    @BeforeAll
    static void startCluster() throws Exception {
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        daemons.add(launch("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort())));
        awaitPort(port);
        for (int w = 1; w <= 2; w++) {
            Path work = Files.createDirectories(home.resolve("worker" + w));
            daemons.add(launch("worker" + w, "org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1",
                    "--cores", "1", "--memory", "640m", "--webui-port", String.valueOf(freePort()),
                    "--work-dir", work.toString()));
        }
        doomedWorker = daemons.get(2);
        // Should the test JVM be stopped before @AfterAll, the daemons and their executors go with it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> daemons.forEach(SparkStandaloneClusterTest::killTree)));
        spark = SparkSession.builder().master(master).appName("gaussmix-cluster-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.memory", "512m")
                .config("spark.executor.cores", "1")
                .config("spark.cores.max", "2")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executor.extraJavaOptions", String.join(" ", jvmFlags()))
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        awaitExecutors(2);
    }

    /** Executors start as their own JVMs after the application registers: wait until n of them are up. */
    private static void awaitExecutors(int n) throws InterruptedException {
        long until = System.nanoTime() + 120_000_000_000L;
        while (executors() < n && System.nanoTime() < until) {
            Thread.sleep(250);
        }
        assertEquals(n, executors(), "executors registered within 120 s; see the logs in " + home);
    }

    /** Registered executors (the status lists the driver's block manager too). */
    private static int executors() {
        return spark.sparkContext().getExecutorMemoryStatus().size() - 1;
    }

    @AfterAll
    static void stopCluster() {
        if (spark != null) {
            spark.stop();
        }
        for (Process p : daemons) {
            killTree(p);
        }
    }

    @Test
    void fitsOnTheClusterAndSurvivesALostWorker() {
        MixtureParams truth = SyntheticMixtures.randomParams(CovarianceType.FULL, 3, 3, 61, 3.0, 0.0);
        Matrix x = SyntheticMixtures.sample(truth, 2000, 62);
        GaussianMixtureModel start = SparkGaussianMixtureTest.model(
                SyntheticMixtures.randomParams(CovarianceType.FULL, 3, 3, 63, 3.0, 0.0));
        GaussianMixtureModel library = GaussianMixture.builder().initialModel(start).tol(0).maxIter(6)
                .backend(BackendType.CPU).build().fit(x);
        Dataset<Row> df = SparkTestData.frame(spark, SparkTestData.rows(x, null), 4, false);

        GaussianMixtureModel undisturbed = estimator(start, FitListener.NONE).fit(df).gaussmixModel();
        SparkGaussianMixtureTest.assertSameFit(library, undisturbed);
        assertEquals(2, executors(), "two executors took part");

        AtomicBoolean killed = new AtomicBoolean();
        FitListener killer = new FitListener() {
            @Override
            public void onIteration(IterationEvent e) {
                if (e.iteration() == 2 && killed.compareAndSet(false, true)) {
                    killTree(doomedWorker);
                }
            }
        };
        GaussianMixtureModel disturbed = estimator(start, killer).fit(df).gaussmixModel();
        assertTrue(killed.get(), "the worker was killed");
        assertArrayEquals(undisturbed.weights(), disturbed.weights());
        assertArrayEquals(undisturbed.covariances(), disturbed.covariances());
        assertArrayEquals(SparkGaussianMixtureTest.flatten(undisturbed.means()),
                SparkGaussianMixtureTest.flatten(disturbed.means()));
        assertEquals(undisturbed.summary().lowerBoundHistory(), disturbed.summary().lowerBoundHistory());
    }

    private static SparkGaussianMixture estimator(GaussianMixtureModel start, FitListener listener) {
        return new SparkGaussianMixture().setInitialModel(start).setTol(0).setMaxIter(6).setBackend("cpu")
                .setListener(listener);
    }

    /** The module flags this JVM got from the build (Spark's --add-opens), for the daemons and executors too. */
    private static List<String> jvmFlags() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Dio.netty") || a.equals("-XX:+IgnoreUnrecognizedVMOptions")) {
                out.add(a);
            }
        }
        return out;
    }

    private static Process launch(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.addAll(jvmFlags());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile());
        // A worker builds its executors' command from SPARK_HOME's jars unless testing: the class path is given instead.
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_TESTING", "1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the master did not open port " + port + " within 60 s; see " + home);
    }
}
