#!/usr/bin/env bash
# Side-by-side comparison of gaussmix with peer GMM implementations; writes benchmarks/RESULTS.md and
# PNG charts. Resumable: every (peer, size) measurement is appended to $OUT/peers.jsonl as it ends and
# is not re-run (FORCE=1 or --force re-runs). See benchmarks/README.md.
#
# usage: benchmarks/run-peers.sh [--sizes "NxDxK ..."] [--iters 5] [--peers "..."] [--cap-s 600]
#                                [--out DIR] [--report FILE.md] [--label TEXT] [--no-scaling]
#                                [--scaling-base NxDxK] [--clusters overlapping|separated] [--force]
# defaults: sizes "1e5x16x8 1e5x64x8 1e6x16x8 1e6x64x8", iters 5, cap 600 s, out benchmarks/results,
#           report benchmarks/RESULTS.md (charts are written to the out directory), clusters overlapping
#           (the headline; --clusters separated: out benchmarks/results/separated, report in it)
set -euo pipefail
# The JVM's signal chaining, so PoCL's LLVM cannot replace the JVM's signal handlers (see bin/gaussmix).
jsig="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/libjsig.so"
[ -f "$jsig" ] && export LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}"

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
CMDLINE="benchmarks/run-peers.sh $*"

SIZES="1e5x16x8 1e5x64x8 1e6x16x8 1e6x64x8"
ITERS=5
PEERS="gaussmix-pass-cpu gaussmix-cpu gaussmix-cli gaussmix-opencl gaussmix-cuda sklearn smile commons-math spark-rdd spark-ml"
CAP_S=600
OUT="$HERE/results"
LABEL=""
REPORT_MD="$HERE/RESULTS.md"
SCALING=1
SCALING_BASE="1e5x16x8"
CLUSTERS=overlapping
OUT_SET=0
REPORT_SET=0
FORCE=${FORCE:-0}
HEAP=${HEAP:-12g}
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --iters) ITERS="$2"; shift 2 ;;
    --peers) PEERS="$2"; shift 2 ;;
    --cap-s) CAP_S="$2"; shift 2 ;;
    --out) OUT="$2"; OUT_SET=1; shift 2 ;;
    --label) LABEL="$2"; shift 2 ;;
    --report) REPORT_MD="$2"; REPORT_SET=1; shift 2 ;;
    --clusters) CLUSTERS="$2"; shift 2 ;;
    --no-scaling) SCALING=0; shift ;;
    --scaling-base) SCALING_BASE="$2"; shift 2 ;;
    --force) FORCE=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run-peers.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$CLUSTERS" in
  overlapping) ;;
  separated)
    # Its own results file and report: the measurements are keyed by size only.
    [ "$OUT_SET" = 1 ] || OUT="$HERE/results/separated"
    [ "$REPORT_SET" = 1 ] || REPORT_MD="$OUT/RESULTS.md"
    [ -n "$LABEL" ] || LABEL="separated clusters (means about 45 standard deviations apart at D=64): the flattering case" ;;
  *) echo "run-peers.sh: --clusters must be overlapping or separated, got $CLUSTERS" >&2; exit 2 ;;
esac
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS="$OUT/peers.jsonl"
LOGS="$OUT/logs"
mkdir -p "$LOGS"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---- build (once): the engine into ~/.m2, then the shaded benchmarks jar and Spark's class path
if [ ! -f "$HERE/target/benchmarks.jar" ] || [ ! -f "$HERE/target/spark.classpath" ]; then
  log "building: mvn install (root), mvn package (benchmarks)"
  (cd "$ROOT" && mvn -q -DskipTests install)
  (cd "$HERE" && mvn -q package)
fi
CP="$HERE/target/benchmarks.jar:$(cat "$HERE/target/spark.classpath")"
JAVA=(java --add-modules jdk.incubator.vector -Xmx"$HEAP" -Djava.awt.headless=true)
PEERMAIN=("${JAVA[@]}" -cp "$CP" io.gaussmix.bench.jmh.peers.PeerMain)
SPARK_OPENS=$("${PEERMAIN[@]}" spark-opens 2>/dev/null)
PY=/usr/bin/python3
if ! $PY -c 'import sklearn' 2>/dev/null; then
  log "installing python3-sklearn with apt-get"
  apt-get install -y python3-sklearn >&2 || log "apt-get failed: scikit-learn will be recorded as unavailable"
fi
GF=()
[ "$FORCE" = 1 ] && GF=(--force)

# Seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }
# Runs "$@" under a time limit of 2 x the cap; returns the command's exit code (124 on timeout).
limited() { local rc=0; timeout --kill-after=30 $((CAP_S * 2)) "$@" || rc=$?; return $rc; }

run_java_peer() { # peer dir
  local peer=$1 dir=$2 rc=0 extra=()
  case "$peer" in spark-*) read -r -a extra <<< "$SPARK_OPENS" ;; esac
  limited java "${extra[@]}" --add-modules jdk.incubator.vector -Xmx"$HEAP" -Djava.awt.headless=true -cp "$CP" \
    io.gaussmix.bench.jmh.peers.PeerMain run --dir "$dir" --peer "$peer" --results "$RESULTS" --iters "$ITERS" \
    --cap-s "$CAP_S" "${GF[@]}" >"$LOGS/$peer-$(basename "$dir").log" 2>&1 || rc=$?
  if [ $rc = 124 ] || [ $rc = 137 ]; then
    "${PEERMAIN[@]}" record --dir "$dir" --peer "$peer" --results "$RESULTS" --status timeout \
      --note "timed out after $((CAP_S * 2)) s" --predicted-s $((CAP_S * 2)) 2>>"$LOGS/record.log"
  elif [ $rc != 0 ]; then
    "${PEERMAIN[@]}" record --dir "$dir" --peer "$peer" --results "$RESULTS" --status failed \
      --note "exit $rc, see results/logs/$peer-$(basename "$dir").log" 2>>"$LOGS/record.log"
  fi
  grep -h '^run:\|^gate:' "$LOGS/$peer-$(basename "$dir").log" | cut -c1-220 >&2 || true
}

gate() { # peer dir -> 0 run, else skip
  local rc=0
  "${PEERMAIN[@]}" gate --dir "$2" --peer "$1" --results "$RESULTS" --iters "$ITERS" --cap-s "$CAP_S" "${GF[@]}" \
    2>>"$LOGS/gate.log" || rc=$?
  [ $rc = 0 ] || tail -1 "$LOGS/gate.log" | cut -c1-220 >&2
  return $rc
}

run_sklearn() { # dir
  local dir=$1 rc=0
  gate sklearn "$dir" || return 0
  if ! $PY -c 'import sklearn' 2>/dev/null; then
    "${PEERMAIN[@]}" record --dir "$dir" --peer sklearn --results "$RESULTS" --status unavailable \
      --note "python3-sklearn is not installed" 2>>"$LOGS/record.log"; return 0
  fi
  limited $PY "$HERE/peers/sklearn_peer.py" "$dir" "$ITERS" >"$LOGS/sklearn-$(basename "$dir").log" 2>&1 || rc=$?
  if [ $rc != 0 ]; then
    local st=failed note="exit $rc"; [ $rc = 124 ] && st=timeout && note="timed out after $((CAP_S * 2)) s"
    "${PEERMAIN[@]}" record --dir "$dir" --peer sklearn --results "$RESULTS" --status $st --note "$note" \
      --predicted-s $((CAP_S * 2)) 2>>"$LOGS/record.log"; return 0
  fi
  local t="$dir/sklearn-timing.json" s l v b
  s=$($PY -c "import json;print(json.load(open('$t'))['short_s'])")
  l=$($PY -c "import json;print(json.load(open('$t'))['long_s'])")
  v=$($PY -c "import json;print(json.load(open('$t'))['version'])")
  b=$($PY -c "import json;d=json.load(open('$t'));print(d['blas'], 'x', d['threads'], 'threads; numpy', d['numpy'])")
  "${PEERMAIN[@]}" record --dir "$dir" --peer sklearn --version "$v" --results "$RESULTS" --iters "$ITERS" \
    --short-s "$s" --long-s "$l" --model "$dir/sklearn-model.json" \
    --note "init_params=random_from_data + *_init, tol=0, reg_covar=1e-6; $b" 2>&1 | cut -c1-220 >&2 || true
}

run_cli() { # dir: gaussmix as a whole process, through the CLI (fit --init-model)
  local dir=$1 jar="$ROOT/target/gaussmix.jar"
  gate gaussmix-cli "$dir" || return 0
  # (grep without -q: with pipefail, an early exit would SIGPIPE unzip and fail the test)
  if [ ! -f "$jar" ] || ! unzip -l "$jar" 2>/dev/null | grep 'io/gaussmix/cli/Main.class' >/dev/null; then
    "${PEERMAIN[@]}" record --dir "$dir" --peer gaussmix-cli --results "$RESULTS" --status unavailable \
      --note "no CLI in target/gaussmix.jar (io.gaussmix.cli.Main): merge the cli branch and mvn package" \
      2>>"$LOGS/record.log"; return 0
  fi
  local t0 t1 t2 rc=0 cli=(java --add-modules jdk.incubator.vector -Xmx"$HEAP" -jar "$jar" fit "$dir/data.npy"
      --init-model "$dir/start.json" --tol 0 --quiet --backend cpu ${CLI_ARGS:-})
  t0=$(now)
  limited "${cli[@]}" --max-iter 2 -o "$dir/cli-short.json" >"$LOGS/cli-$(basename "$dir").log" 2>&1 || rc=$?
  t1=$(now)
  [ $rc = 0 ] && { limited "${cli[@]}" --max-iter $((2 + ITERS)) -o "$dir/cli-long.json" \
      >>"$LOGS/cli-$(basename "$dir").log" 2>&1 || rc=$?; }
  t2=$(now)
  if [ $rc != 0 ]; then
    "${PEERMAIN[@]}" record --dir "$dir" --peer gaussmix-cli --results "$RESULTS" --status failed \
      --note "exit $rc: $(tail -1 "$LOGS/cli-$(basename "$dir").log" | tr -d '|' | cut -c1-150)" 2>>"$LOGS/record.log"
    return 0
  fi
  "${PEERMAIN[@]}" record --dir "$dir" --peer gaussmix-cli --version 0.1.0-SNAPSHOT --results "$RESULTS" \
    --iters "$ITERS" --short-s "$(echo "$t1 - $t0" | bc -l)" --long-s "$(echo "$t2 - $t1" | bc -l)" \
    --model "$dir/cli-long.json" --note "java -jar gaussmix.jar fit --init-model start.json --max-iter M --tol 0 (JVM start-up and loading .npy are fixed costs)" \
    2>&1 | cut -c1-220 >&2 || true
}

# ---- the comparison, size by size (smallest work first, so slow peers are gated by prediction)
for size in $SIZES; do
  IFS=x read -r n d k <<< "$size"
  n=$(printf '%.0f' "$n"); d=$(printf '%.0f' "$d"); k=$(printf '%.0f' "$k")
  dir="$OUT/work/n$n-d$d-k$k"
  log "size N=$n D=$d K=$k"
  "${PEERMAIN[@]}" prepare --dir "$dir" --n "$n" --d "$d" --k "$k" --clusters "$CLUSTERS" 2>&1 | { grep -v '^WARNING' || true; } >&2
  for peer in $PEERS; do
    log "  $peer"
    case "$peer" in
      sklearn) run_sklearn "$dir" ;;
      gaussmix-cli) run_cli "$dir" ;;
      *) run_java_peer "$peer" "$dir" ;;
    esac
  done
done

# ---- CPU scaling sweeps (bench code), resumable per point
if [ "$SCALING" = 1 ]; then
  log "scaling sweeps around $SCALING_BASE"
  "${JAVA[@]}" -cp "$CP" io.gaussmix.bench.jmh.Scaling --out "$OUT/scaling.jsonl" --base "$SCALING_BASE" \
    --max-pass-s "$CAP_S" 2>&1 | { grep '^scaling:\|Exception' || true; } | cut -c1-200 >&2
fi

# ---- RESULTS.md and charts
MACHINE="$(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -sr)"
VERSIONS="$(java -version 2>&1 | head -1); $($PY -c 'import sklearn,numpy;print("scikit-learn",sklearn.__version__,"numpy",numpy.__version__)' 2>/dev/null || echo 'scikit-learn n/a'); Python $($PY -c 'import platform;print(platform.python_version())')"
REPORT=("${JAVA[@]}" -cp "$CP" io.gaussmix.bench.jmh.PeerReport --results "$RESULTS" --scaling "$OUT/scaling.jsonl"
  --out "$REPORT_MD" --charts "$OUT" --machine "$MACHINE" --versions "$VERSIONS"
  --date "$(date -u '+%Y-%m-%d %H:%M UTC')" --command "$CMDLINE")
[ -n "$LABEL" ] && REPORT+=(--label "$LABEL")
[ -f "$OUT/jmh-quick.md" ] && REPORT+=(--jmh "$OUT/jmh-quick.md")
APPEND=""
for extra in missing.md cpu-kernels.md model-json.md precision-cholesky.md; do
  [ -f "$OUT/$extra" ] && APPEND="${APPEND:+$APPEND,}$OUT/$extra"
done
[ -n "$APPEND" ] && REPORT+=(--append "$APPEND")
"${REPORT[@]}"
log "done: $REPORT_MD"
