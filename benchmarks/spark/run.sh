#!/usr/bin/env bash
# gaussmix on Spark against Spark MLlib and the library (issue 14; io.gaussmix.bench.SparkBench): the same
# rows (BenchData, overlapping clusters) and the same start (BenchData.peerStart), K = 8, full covariance,
# D = 16 and 64, on local[2]: s/iter and the final mean log-likelihood of gaussmix-on-Spark (with and
# without the executor cache), Spark MLlib's RDD GaussianMixture (setInitialModel), its DataFrame
# GaussianMixture (no initial model: its own start) and gaussmix's library fit (CPU, this JVM); then the
# scaling rows: gaussmix-on-Spark on a standalone Master with 1 and then 2 Workers (1 core each) on 127.0.0.1.
# Prints a markdown table (also written to $OUT/spark-bench.md).
#
#   bash benchmarks/spark/run.sh              # N = 1e6, 5 timed iterations (needs ~16 GB free memory)
#   bash benchmarks/spark/run.sh --rehearse   # N = 1e5, 3 timed iterations: proves the script
#
# SPARK_BENCH_N, SPARK_BENCH_DIMS ("16 64"), SPARK_BENCH_ITERS override the sizes; SPARK_BENCH_SCALED_DIMS ("64"; ""
# for none) the local rows repeated on data times 0.1, where MLlib iterates (see below); SPARK_BENCH_CLASSPATH
# skips the build and runs from that class path; SPARK_BENCH_MASTERS ("local standalone") picks the parts.
set -euo pipefail
mode=full
case "${1:-}" in
  --rehearse) mode=rehearsal ;;
  "") ;;
  *) echo "usage: bash benchmarks/spark/run.sh [--rehearse]" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ "$mode" = full ]; then n=1000000; iters=5; heap=12g; executor_mem=4g; else n=100000; iters=3; heap=3g; executor_mem=1g; fi
n=${SPARK_BENCH_N:-$n}; iters=${SPARK_BENCH_ITERS:-$iters}; dims=${SPARK_BENCH_DIMS:-"16 64"}; k=8
scaled_dims=${SPARK_BENCH_SCALED_DIMS-64}
OUT=${OUT:-$root/target/spark-bench}
work=$(mktemp -d "${TMPDIR:-/tmp}/gaussmix-spark-bench.XXXXXX")
mkdir -p "$OUT"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

if [ -n "${SPARK_BENCH_CLASSPATH:-}" ]; then
  cp=$SPARK_BENCH_CLASSPATH   # e.g. a copy of target/classes and its dependencies, while a build runs here
else
  mvn -B -ntp -q compile dependency:build-classpath -Dmdep.outputFile="$work/classpath" >/dev/null
  cp="$root/target/classes:$(cat "$work/classpath")"
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
opens=$("$java" -cp "$cp" io.gaussmix.bench.SparkBench jvm-options)
jvm=(--add-modules jdk.incubator.vector $opens)
rows="$work/rows.tsv"

bench() {  # bench MASTER LABEL PEERS [java options...]: the table names the master by LABEL; DIMS, SCALE from the caller
  local master=$1 label=$2 peers=$3; shift 3
  for d in ${DIMS:-$dims}; do
    "$java" -Xmx"$heap" "${jvm[@]}" "$@" -cp "$cp" io.gaussmix.bench.SparkBench "$n" "$d" "$k" "$iters" "$master" \
      "$peers" "${SCALE:-1}" 2>>"$work/bench.log" | awk -F'\t' -v OFS='\t' -v l="$label" '{ $2 = l; print }' | tee -a "$rows"
  done
}

masters=${SPARK_BENCH_MASTERS:-"local standalone"}
if [[ " $masters " == *" local "* ]]; then
echo "== local[2]" >&2
bench "local[2]" "local[2]" gaussmix-spark,gaussmix-spark-nocache,spark-rdd,spark-ml,gaussmix-library \
  -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1
# MLlib adds 2.2e-16 to every weighted density: at D = 64 (densities near e^-97) its responsibilities become
# 1/K and its fit stops at one Gaussian, so the rows above time no MLlib iterations. The same rows times 0.1
# (densities e^147 higher; EM is the same up to the scale) let it iterate: its cost per iteration, compared.
if [ -n "$scaled_dims" ]; then
  echo "== local[2], rows x 0.1" >&2
  DIMS=$scaled_dims SCALE=0.1 bench "local[2]" "local[2], rows x 0.1" gaussmix-spark,spark-rdd,spark-ml,gaussmix-library \
    -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1
fi
fi

if [[ " $masters " == *" standalone "* ]]; then
# A standalone cluster as SparkStandaloneClusterTest starts it: daemons from this class path (SPARK_TESTING
# makes a worker launch its executors with it too), everything on 127.0.0.1.
export SPARK_HOME=$work SPARK_TESTING=1 SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
port=$(( 20000 + RANDOM % 20000 ))
"$java" -Xmx512m "${jvm[@]}" -cp "$cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
  --webui-port 0 >"$work/master.log" 2>&1 &
pids+=($!)
sleep 5
for workers in 1 2; do
  "$java" -Xmx512m "${jvm[@]}" -cp "$cp" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$port" --host 127.0.0.1 \
    --cores 1 --memory "$executor_mem" --webui-port 0 --work-dir "$work/worker$workers" >"$work/worker$workers.log" 2>&1 &
  pids+=($!)
  sleep 5
  echo "== standalone, $workers worker(s)" >&2
  bench "spark://127.0.0.1:$port" "standalone, $workers worker(s)" gaussmix-spark -Dspark.driver.host=127.0.0.1 -Dspark.cores.max="$workers" \
    -Dspark.executor.cores=1 -Dspark.executor.memory="$executor_mem" -Dspark.executor.extraClassPath="$cp" \
    -Dspark.executor.extraJavaOptions="${jvm[*]}" -Dspark.scheduler.minRegisteredResourcesRatio=1.0 \
    -Dspark.scheduler.maxRegisteredResourcesWaitingTime=60s -Dspark.rpc.message.maxSize=1024
  # (maxSize, MB: the benchmark's rows are a driver-side list that travels inside the tasks, 272 MB at D = 64;
  # local[2] sends no task over RPC)
done
fi

# The table: s/iter as a ratio to gaussmix-on-Spark at the same D on the same local rows (the standalone rows: on
# local[2]'s; > 1: slower than it).
{
  echo "Spark benchmark ($mode): N = $n, K = $k, full, $iters timed iterations; $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m)"
  echo
  echo "| peer | master | N | D | partitions | s/iter | ratio to gaussmix-spark | mean log-lik |"
  echo "|---|---|---|---|---|---|---|---|"
  awk -F'\t' 'NR == FNR { if ($1 == "gaussmix-spark" && $2 ~ /^local/) ref[$2 SUBSEP $4] = $7; next }
    { b = ($2 ~ /^local/) ? $2 : "local[2]"; r = (ref[b SUBSEP $4] > 0) ? sprintf("%.2f", $7 / ref[b SUBSEP $4]) : "-"
      printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $6, $7, r, $8 }' "$rows" "$rows"
} | tee "$OUT/spark-bench.md"
