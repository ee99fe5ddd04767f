#!/usr/bin/env bash
# Online EM after one pass against batch EM after 10 iterations from the same start (issue 13), and the
# step-size grid behind OnlineGaussianMixture's defaults. Writes benchmarks/results/online.md.
# usage: benchmarks/online/run.sh [N D K]      (default: 1000000 16 8)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
mvn -B -ntp -o -q compile
mvn -B -ntp -o -q dependency:build-classpath -Dmdep.outputFile=target/online-bench.classpath >/dev/null
OUT="$ROOT/benchmarks/results/online.md"
{
  echo "- Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1); date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Command: \`benchmarks/online/run.sh $*\`"
  echo
  java --add-modules jdk.incubator.vector -Xmx6g -cp "target/classes:$(cat target/online-bench.classpath)" \
    "$HERE/OnlineVsBatch.java" "$@" 2>/dev/null
} | tee "$OUT"
