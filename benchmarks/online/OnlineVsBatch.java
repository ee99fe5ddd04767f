import io.gaussmix.BackendType;
import io.gaussmix.CovarianceType;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixture;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.OnlineGaussianMixture;
import io.gaussmix.bench.BenchData;
import io.gaussmix.data.Matrix;
import io.gaussmix.data.RowSource;
import io.gaussmix.math.MixtureParams;

import java.util.Locale;

/**
 * Online EM after one pass against batch EM after 10 iterations, from the same start, on the same rows
 * (BenchData's overlapping clusters, full covariances, CPU float64); then a grid of step sizes and batch
 * sizes (the measurement behind OnlineGaussianMixture's defaults). Mean log-likelihood = the model's
 * own score on all N rows. Prints a Markdown table. Args: N D K (default 1000000 16 8).
 */
public final class OnlineVsBatch {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int k = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Matrix x = BenchData.sample(n, d, k);
        MixtureParams p = BenchData.peerStart(x, k, 7);
        GaussianMixtureModel start = GaussianMixtureModel.of(CovarianceType.FULL, p.weights(),
                Matrix.wrap(p.means(), k, d).toRows(), p.covariances(), FitSummary.notFitted());
        GaussianMixture.Builder settings = GaussianMixture.builder().k(k).initialModel(start).tol(0)
                .backend(BackendType.CPU);

        // Warm-up (JIT) on a tenth of the rows, untimed.
        Matrix warm = x.rowRange(0, Math.max(n / 10, 10 * k));
        settings.maxIter(2).build().fit(warm);
        online(settings.build(), warm, 1000, 2, 0.6);

        System.out.printf(Locale.ROOT, "N=%d, D=%d, K=%d full, CPU float64; start mean log-lik %.6f%n%n", n, d, k,
                start.score(x));
        System.out.println("| fit | seconds | mean log-lik (all rows) |");
        System.out.println("|---|---|---|");
        long t0 = System.nanoTime();
        GaussianMixtureModel batch = settings.maxIter(10).build().fit(x);
        double batchSeconds = (System.nanoTime() - t0) / 1e9;
        row("batch EM, 10 iterations", batchSeconds, batch.score(x));
        long t1 = System.nanoTime();
        GaussianMixtureModel online = online(settings.build(), x, OnlineGaussianMixture.DEFAULT_BATCH_SIZE,
                OnlineGaussianMixture.DEFAULT_T0, OnlineGaussianMixture.DEFAULT_ALPHA);
        double onlineSeconds = (System.nanoTime() - t1) / 1e9;
        row(String.format(Locale.ROOT, "online EM, 1 pass (defaults: batch %d, t0 %s, alpha %s)",
                OnlineGaussianMixture.DEFAULT_BATCH_SIZE, OnlineGaussianMixture.DEFAULT_T0,
                OnlineGaussianMixture.DEFAULT_ALPHA), onlineSeconds, online.score(x));
        System.out.printf(Locale.ROOT, "%nonline / batch time: %.3f%n", onlineSeconds / batchSeconds);

        System.out.println();
        System.out.println("One pass of online EM, mean log-lik on all rows, by step size (t + t0)^-alpha and batch size:");
        System.out.println();
        int[] sizes = {250, 1000, 4000};
        StringBuilder head = new StringBuilder("| t0 | alpha |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (int b : sizes) {
            head.append(" batch ").append(b).append(" |");
            rule.append("---|");
        }
        System.out.println(head);
        System.out.println(rule);
        for (double t : new double[] {1, 2, 10}) {
            for (double a : new double[] {0.6, 0.7, 0.8, 0.9, 1.0}) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %s |", t, a));
                for (int b : sizes) {
                    line.append(String.format(Locale.ROOT, " %.6f |", online(settings.build(), x, b, t, a).score(x)));
                }
                System.out.println(line);
            }
        }
    }

    private static GaussianMixtureModel online(GaussianMixture settings, Matrix x, int batch, double t0, double alpha) {
        try (OnlineGaussianMixture o = OnlineGaussianMixture.builder(settings).batchSize(batch).t0(t0).alpha(alpha)
                .build()) {
            o.partialFit(RowSource.of(x));
            return o.model();
        }
    }

    private static void row(String what, double seconds, double ll) {
        System.out.printf(Locale.ROOT, "| %s | %.3f | %.6f |%n", what, seconds, ll);
    }
}
