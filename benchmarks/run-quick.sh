#!/usr/bin/env bash
# JMH quick profile: a small subset of the pass, fit and score benchmarks, about 2-3 minutes.
# Only backends that can run here are benchmarked (override with BACKENDS=cpu,cuda).
# Writes results/jmh-quick.json (JMH) and results/jmh-quick.md (table with GFLOP/s).
set -euo pipefail
# The JVM's signal chaining, so PoCL's LLVM cannot replace the JVM's signal handlers (see bin/gaussmix).
jsig="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/libjsig.so"
[ -f "$jsig" ] && export LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
if [ ! -f "$HERE/target/benchmarks.jar" ]; then
  (cd "$ROOT" && mvn -q -DskipTests install)
  (cd "$HERE" && mvn -q package)
fi
JAR="$HERE/target/benchmarks.jar"
mkdir -p "$HERE/results"
BACKENDS=${BACKENDS:-$(java -cp "$JAR" io.gaussmix.bench.jmh.AvailableBackends)}
echo "backends: $BACKENDS" >&2
java -jar "$JAR" 'io.gaussmix.bench.jmh.(PassBenchmark|FitBenchmark|ScoreBenchmark)' \
  -p backend="$BACKENDS" -p n=20000 -p d=8,32 -p k=8 -p covariance=full,diag -p precision=float64 \
  -p iterations=3 -f 1 -wi 2 -w 1s -i 3 -r 1s -foe false \
  -rf json -rff "$HERE/results/jmh-quick.json" "$@"
java -cp "$JAR" io.gaussmix.bench.jmh.JmhReport "$HERE/results/jmh-quick.json" "$HERE/results/jmh-quick.md"
