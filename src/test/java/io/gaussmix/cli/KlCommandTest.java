package io.gaussmix.cli;

import io.gaussmix.CovarianceType;
import io.gaussmix.Divergence;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.io.ModelJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gaussmix kl}: the API's estimates, printed; errors as one line. */
class KlCommandTest {
    @TempDir
    Path dir;

    private Path save(String name, GaussianMixtureModel m) throws Exception {
        Path p = dir.resolve(name);
        ModelJson.write(p, m);
        return p;
    }

    private static GaussianMixtureModel diag(double[] w, double[][] means, double[] variances) {
        return GaussianMixtureModel.of(CovarianceType.DIAG, w, means, variances, FitSummary.notFitted());
    }

    @Test
    void singleGaussiansPrintTheClosedForm() throws Exception {
        GaussianMixtureModel a = diag(new double[] {1}, new double[][] {{0, 1}}, new double[] {1, 2});
        GaussianMixtureModel b = diag(new double[] {1}, new double[][] {{1, 0}}, new double[] {2, 1});
        CliRunner.Result r = CliRunner.run("kl", save("a.json", a).toString(), save("b.json", b).toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("closed form"), r.out());
        // Per dimension: log(s2/s1) + (s1^2 + d^2) / (2 s2^2) - 1/2, summed.
        double expected = 0.5 * Math.log(2) + (1 + 1) / 4.0 - 0.5 + 0.5 * Math.log(0.5) + (2 + 1) / 2.0 - 0.5;
        assertEquals(expected, Double.parseDouble(r.lastOutLine()), 1e-12 * expected);
    }

    @Test
    void mixturesPrintTheSeededMonteCarloEstimate() throws Exception {
        GaussianMixtureModel a = diag(new double[] {0.4, 0.6}, new double[][] {{0, 0}, {3, 1}}, new double[] {1, 1, 0.5, 2});
        GaussianMixtureModel b = diag(new double[] {1}, new double[][] {{1, 1}}, new double[] {3, 2});
        CliRunner.Result r = CliRunner.run("kl", save("a.json", a).toString(), save("b.json", b).toString(),
                "--samples", "4000", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        Divergence.Estimate e = Divergence.kl(a, b, 4000, 3);
        assertEquals(e.value(), Double.parseDouble(r.lastOutLine()), 0.0);
        assertTrue(r.out().contains("Monte Carlo, 4000 draws"), r.out());
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "standard error: %.6g", e.standardError())), r.out());
    }

    @Test
    void errorsAreOneLine() throws Exception {
        Path a = save("a.json", diag(new double[] {1}, new double[][] {{0, 1}}, new double[] {1, 2}));
        Path c = save("c.json", diag(new double[] {1}, new double[][] {{0}}, new double[] {1}));
        CliRunner.Result r = CliRunner.run("kl", a.toString(), c.toString());
        assertEquals(1, r.code());
        assertEquals(List.of("gaussmix: error: " + a + " has 2 dimensions but " + c + " has 1: KL needs models of the"
                + " same dimension"), r.errLines());
        CliRunner.Result s = CliRunner.run("kl", a.toString(), a.toString(), "--samples", "1");
        assertEquals(2, s.code());
        assertTrue(s.errLines().get(0).startsWith("gaussmix: error: --samples must be >= 2, got 1"), s.err());
    }
}
