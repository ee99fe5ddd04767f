#!/usr/bin/env bash
# Times the precision factorisation (Cholesky + U = L^-T) by EJML and by math/PrecisionCholesky
# (issue #11.17), then the issue's repro: `fit` of a 60-row, D = 2000 CSV with k = 1 and k = 2.
# Needs target/gaussmix.jar and target/test-classes (mvn -q -DskipTests package). Writes
# benchmarks/results/precision-cholesky.md, which run-peers.sh folds into RESULTS.md.
# Usage: benchmarks/run-precision-cholesky.sh [D ...]   (default 500 1000 2000)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$HERE/.."
JAR="${JAR:-$ROOT/target/gaussmix.jar}"            # JAR=... times another build's fit
SIZES=("${@:-500 1000 2000}")
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# 60 rows x 2000 columns of uniform noise: the fit's cost does not depend on the values.
awk 'BEGIN { srand(1); for (r = 0; r < 60; r++) { s = ""; for (c = 0; c < 2000; c++) s = s (c ? "," : "") sprintf("%.6f", rand() - 0.5); print s } }' > "$WORK/x.csv"
{
  echo "## Precision factorisation at large D: EJML against math/PrecisionCholesky (issue 11.17)"
  echo
  echo "- Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1); date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(java -version 2>&1 | head -1)"
  echo "- Command: \`benchmarks/run-precision-cholesky.sh ${SIZES[*]}\`; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo '```'
  java -cp "$ROOT/target/classes:$ROOT/target/test-classes:$JAR" io.gaussmix.math.PrecisionCholeskyBench ${SIZES[*]}
  echo '```'
  echo
  echo "| fit (60 x 2000 CSV, full) | wall s | user s | sys s |"
  echo "|---|---|---|---|"
  for k in 1 2; do
    /usr/bin/time -f "%e %U %S" -o "$WORK/t" java -jar "$JAR" fit "$WORK/x.csv" -k "$k" -o "$WORK/m.json" > /dev/null 2>&1
    read -r wall user sys < "$WORK/t"
    echo "| k = $k | $wall | $user | $sys |"
  done
} > "${REPORT:-$HERE/results/precision-cholesky.md}"
cat "${REPORT:-$HERE/results/precision-cholesky.md}"
