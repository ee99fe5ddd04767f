#!/usr/bin/env bash
# Streamed exact EM on one machine (issue #13): N x 16 float32 rows in a .npy file (default N = 1e8,
# 6.4 GB), K = 8 full, fitted with a 512 MB heap, against 100x (N / 1e6 x) an in-memory N = 1e6
# iteration from the same start. Prints time per EM iteration of both, their ratio, and the peak heap
# (the largest heap in use before a collection, from the GC log).
#
#   benchmarks/stream/run.sh                 # N = 1e8 (needs ~6.5 GB of disk in $DATA)
#   N=10000000 benchmarks/stream/run.sh      # the rehearsal
# Environment: N, ITERS (EM iterations timed, default 3), HEAP (default 512m), DATA (where the .npy files
# go, default benchmarks/results/work/stream, ignored by git), PY (a python3 with numpy, default /usr/bin/python3).
set -euo pipefail
N=${N:-100000000}
ITERS=${ITERS:-3}
HEAP=${HEAP:-512m}
SMALL=1000000
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
DATA=${DATA:-$repo/benchmarks/results/work/stream}
PY=${PY:-/usr/bin/python3}
mkdir -p "$DATA"
big="$DATA/stream-$N.npy"
small="$DATA/stream-$SMALL.npy"

[ -f "$repo/target/gaussmix.jar" ] || (cd "$repo" && mvn -B -ntp -q -DskipTests package)
[ -f "$big" ] || { echo "writing $big" >&2; "$PY" "$here/generate.py" "$big" "$N"; }
[ -f "$small" ] || "$PY" "$here/generate.py" "$small" "$SMALL"

gm() { "$repo/bin/gaussmix" "$@"; }
# The start: k-means on the big file's default 1e6-row sample, no EM step.
GAUSSMIX_JAVA_OPTS="-Xmx$HEAP" gm fit "$big" -k 8 --covariance-type full --max-iter 0 --backend cpu --quiet \
    -o "$DATA/start.json" > /dev/null

# Seconds per EM iteration: the mean of iterations 2..ITERS+1 from the progress lines (the first
# iteration also warms up the JIT and, for the file, may read it cold from disk).
per_iteration() {
  awk -v n="$ITERS" '/^init .* iter/ { t[$4 + 0] = $(NF - 2) + 0 }
      END { if (!(1 in t) || !((n + 1) in t)) { print "nan"; exit } printf "%.4f\n", (t[n + 1] - t[1]) / n }' "$1"
}

run() {   # name file heap
  local log="$DATA/$1.progress" gc="$DATA/$1.gc"
  GAUSSMIX_JAVA_OPTS="-Xmx$3 -Xlog:gc:file=$gc" gm fit "$2" --init-model "$DATA/start.json" \
      --max-iter $((ITERS + 1)) --tol 0 --backend cpu -o "$DATA/$1.json" > "$DATA/$1.summary" 2> "$log"
}

run streamed "$big" "$HEAP"
run memory "$small" 4g
s=$(per_iteration "$DATA/streamed.progress")
m=$(per_iteration "$DATA/memory.progress")
peak=$(grep -o '[0-9]*M->[0-9]*M' "$DATA/streamed.gc" | sed 's/M->.*//' | sort -n | tail -1)
live=$(grep -o '[0-9]*M->[0-9]*M' "$DATA/streamed.gc" | sed 's/.*M->//; s/M//' | sort -n | tail -1)
plan=$(grep '^memory:' "$DATA/streamed.summary" | sed 's/^memory: *//')
awk -v s="$s" -v m="$m" -v n="$N" -v small="$SMALL" -v peak="${peak:-?}" -v live="${live:-?}" -v heap="$HEAP" -v plan="$plan" 'BEGIN {
  scale = n / small
  printf "streamed N=%d: %.3f s/iteration (-Xmx%s; heap in use at most %s MB before a collection, %s MB after; %s)\n", n, s, heap, peak, live, plan
  printf "in memory N=%d: %.4f s/iteration; x%.0f = %.3f s\n", small, m, scale, m * scale
  printf "ratio streamed / (%.0f x in-memory): %.2f\n", scale, s / (m * scale) }'
echo "machine: $(nproc) cores, $(uname -r); $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%dT%H:%MZ)"
