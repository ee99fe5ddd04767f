#!/usr/bin/env bash
# Cost of the missing-data EM (fit --missing em) against the complete-data fit of the same size, as whole
# CLI processes: same data (a seeded 4-component mixture, D=8), the same start, 2 and 7 iterations with
# tol 0; s/iter = (t7 - t2) / 5. The incomplete copy hides values in 3 patterns (20% of rows, 1-3 values
# each). Writes results/missing.md, which run-peers.sh folds into RESULTS.md.
# usage: benchmarks/run-missing.sh [N ...]     (default: 100000 1000000)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
JAR="$ROOT/target/gaussmix.jar"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -DskipTests package)
PY=/usr/bin/python3
OUT="$HERE/results"
WORK="$OUT/work/missing"
mkdir -p "$WORK"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)
GM=(java --add-modules jdk.incubator.vector -Xmx12g -Djava.awt.headless=true -jar "$JAR")

seconds() {  # wall seconds of a command
  local t0 t1
  t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

{
  echo "## Missing-data EM: cost against a complete-data fit"
  echo
  echo "- Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1); date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Command: \`benchmarks/run-missing.sh ${SIZES[*]}\`"
  echo "- Data: D=8, K=4, full covariance; 20% of rows incomplete in 3 missingness patterns; the same start"
  echo "  (\`--init-model\`) for both fits; whole \`java -jar gaussmix.jar fit\` processes, s/iter = (t(7 iterations) - t(2 iterations)) / 5."
  echo
  echo "| N | complete data s/iter | --missing em s/iter | ratio | final lower bound (complete / observed-data) |"
  echo "|---|---|---|---|---|"
} > "$WORK/table.md"

for n in "${SIZES[@]}"; do
  $PY - "$WORK" "$n" <<'PYEOF'
import sys, numpy as np
work, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(11)
d, k = 8, 4
means = rng.normal(scale=5, size=(k, d))
x = np.empty((n, d))
lab = rng.integers(k, size=n)
for c in range(k):
    a = rng.normal(size=(d, d)); cov = a @ a.T / d + 0.2 * np.eye(d)
    idx = lab == c
    x[idx] = rng.multivariate_normal(means[c], cov, idx.sum())
np.save(f"{work}/complete-{n}.npy", x)
y = x.copy()
rows = rng.random(n) < 0.2
patterns = [[1], [0, 5], [2, 3, 7]]
which = rng.integers(3, size=n)
for p, cols in enumerate(patterns):
    sel = rows & (which == p)
    for c in cols:
        y[sel, c] = np.nan
np.save(f"{work}/missing-{n}.npy", y)
PYEOF
  "${GM[@]}" fit "$WORK/complete-$n.npy" -k 4 --max-iter 1 --quiet -o "$WORK/start-$n.json" >/dev/null
  row=()
  for mode in complete missing; do
    extra=(); [ "$mode" = missing ] && extra=(--missing em)
    for it in 2 7; do   # one untimed run first: file cache and CPU frequency
      [ "$it" = 2 ] && "${GM[@]}" fit "$WORK/$mode-$n.npy" --init-model "$WORK/start-$n.json" --max-iter 2 --tol 0 \
        --quiet "${extra[@]}" -o "$WORK/model-$mode-$n.json" >/dev/null 2>&1
      t=$(seconds "${GM[@]}" fit "$WORK/$mode-$n.npy" --init-model "$WORK/start-$n.json" --max-iter "$it" --tol 0 \
        --quiet "${extra[@]}" -o "$WORK/model-$mode-$n.json")
      eval "t_${mode}_$it=$t"
    done
    lb=$($PY -c "import json;print('%.6f' % json.load(open('$WORK/model-$mode-$n.json'))['lowerBound'])")
    eval "lb_$mode=$lb"
  done
  c=$(echo "($t_complete_7 - $t_complete_2) / 5" | bc -l)
  m=$(echo "($t_missing_7 - $t_missing_2) / 5" | bc -l)
  printf '| %s | %.4f | %.4f | %.2f | %s / %s |\n' "$n" "$c" "$m" "$(echo "$m / $c" | bc -l)" "$lb_complete" "$lb_missing" \
    >> "$WORK/table.md"
  echo "missing: N=$n complete $c s/iter, missing-em $m s/iter" >&2
done
cp "$WORK/table.md" "$OUT/missing.md"
echo "wrote $OUT/missing.md" >&2
