#!/usr/bin/env bash
# Times writing and reading a D = 2000, K = 1 full-covariance model JSON (issue #11.17): the model
# file a `fit` of wide data saves and `score`/`predict`/`--init-model` read back. Needs target/gaussmix.jar
# (mvn -q -DskipTests package). Writes benchmarks/results/model-json.md, which run-peers.sh folds into
# RESULTS.md. Usage: benchmarks/run-model-json.sh [D]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
JAR="${JAR:-$HERE/../target/gaussmix.jar}"        # JAR=... times another build
D="${1:-2000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/ModelJsonTiming.java" <<'JAVA'
import io.gaussmix.CovarianceType;
import io.gaussmix.FitSummary;
import io.gaussmix.GaussianMixtureModel;
import io.gaussmix.io.ModelJson;
import java.nio.file.Path;

public class ModelJsonTiming {
    public static void main(String[] a) throws Exception {
        int d = Integer.parseInt(a[0]);
        java.util.Random r = new java.util.Random(1);
        double[] cov = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                double v = r.nextGaussian() * 0.01;
                cov[i * d + j] = v;
                cov[j * d + i] = v;
            }
            cov[i * d + i] = 1 + d * 1e-4;
        }
        long f0 = System.nanoTime();
        GaussianMixtureModel m = GaussianMixtureModel.of(CovarianceType.FULL, new double[] {1}, new double[1][d], cov,
                FitSummary.notFitted());
        long f1 = System.nanoTime();
        Path p = Path.of(a[1]);
        ModelJson.write(p, m);
        long t1 = System.nanoTime();
        ModelJson.read(p);
        long t2 = System.nanoTime();
        System.out.printf(java.util.Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.0f |%n", d, (t1 - f1) / 1e9,
                (t2 - t1) / 1e9, (f1 - f0) / 1e9, java.nio.file.Files.size(p) / 1e6);
    }
}
JAVA
{
  echo "## Model JSON at D = $D (write, read)"
  echo
  echo "- Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Command: \`benchmarks/run-model-json.sh $D\`; java $(java -version 2>&1 | head -1 | cut -d'"' -f2)"
  echo "- One full covariance D x D (K = 1). \"read\" includes factorising the covariance again (about the"
  echo "  \"factorise\" column: EJML Cholesky and triangular inverse, single-threaded)."
  echo
  echo "| D | write s | read s | factorise s | file MB |"
  echo "|---|---|---|---|---|"
  for i in 1 2 3; do java -Xmx3g -cp "$JAR" "$WORK/ModelJsonTiming.java" "$D" "$WORK/m.json"; done
} > "${REPORT:-$HERE/results/model-json.md}"
cat "${REPORT:-$HERE/results/model-json.md}"
