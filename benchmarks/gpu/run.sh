#!/usr/bin/env bash
# The prepared GPU run of gaussmix (issue 15; benchmarks/gpu/README.md): on a GPU machine without
# Java, Maven or network, in at most 8 minutes, every step time-boxed (`timeout`) so that one failure
# cannot eat the rest, it records: nvidia-smi and the driver, `devices` and the CUDA provider's probe,
# the gpu-tagged tests on the real driver, the measured ceilings (ceilings.cu, built here by nvcc),
# CUDA pass and fit timings through gaussmix with parity against the float64 CPU fit, the peers on
# the same data and start (PyTorch, scikit-learn, gaussmix's CPU backend), OpenCL on NVIDIA when the
# driver ships it, and one JSON + one Markdown table of it all.
#
#   on the GPU machine (project root, .device/ carried, $OUT set):  bash benchmarks/gpu/run.sh
#   rehearsal here (CUDA emulator, tiny sizes, CPU PyTorch):        bash benchmarks/gpu/run.sh --rehearse
#
# Writes under $OUT (default target/gpu-run): summary.txt (one line per step, as it goes),
# logs.tar.gz (every step's log and result file), gpu-results.json and gpu-results.md. Big files
# (the data) stay in $GPU_WORK (default $TMPDIR/gaussmix-gpu-MODE). GPU_BUDGET_S overrides the
# time budget of the steps (450 s on the device; the report and packing follow within ~30 s);
# GPU_STEPS limits the steps (see wanted() below).
set -uo pipefail
mode=device
case "${1:-}" in
  --rehearse) mode=rehearsal ;;
  "") ;;
  *) echo "usage: bash benchmarks/gpu/run.sh [--rehearse]" >&2; exit 2 ;;
esac
root=$(pwd)
[ -f pom.xml ] && [ -x .device/java.sh ] \
  || { echo "run.sh: run from the project root after ../shared/device/pack.sh (no .device/java.sh here)" >&2; exit 2; }
here=$root/benchmarks/gpu
OUT=${OUT:-$root/target/gpu-run}
WORK=${GPU_WORK:-${TMPDIR:-/tmp}/gaussmix-gpu-$mode}
rm -rf "$WORK"
mkdir -p "$WORK/logs" "$WORK/results/junit" "$WORK/data" "$OUT"
rm -f "$OUT/summary.txt" "$OUT/logs.tar.gz" "$OUT/gpu-results.json" "$OUT/gpu-results.md"
t_start=$(date +%s)
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1

# name  NxDxK  covariance  fit iterations (few where the float64 CPU reference and scikit-learn are slow)
if [ "$mode" = device ]; then
  budget=${GPU_BUDGET_S:-450}; box_scale=1; heap=48g; prep_heap=8g; py=python3; torch_device=cuda; chunk_mb=1024
  passes=10; warmup=3
  cases="a 1000000x64x16 full 8
b 1000000x128x1024 diag 3
c 10000000x16x8 full 6"
else
  # The emulator runs every CUDA thread as a fiber on the CPU: tiny sizes, wider boxes.
  budget=${GPU_BUDGET_S:-3600}; box_scale=4; heap=2g; prep_heap=1g; py=/usr/bin/python3; torch_device=cpu; chunk_mb=0.1
  passes=3; warmup=1
  cases="a 2000x16x4 full 4
b 2000x16x32 diag 3
c 8000x4x2 full 4"
fi
echo "$cases" | tr ' ' '\t' > "$WORK/cases.tsv"
deadline=$((t_start + budget))
report_reserve=20

pack_logs() {   # what comes back from the device: logs and result files, not the models or the data
  local tmp="$OUT/.logs.$BASHPID.tmp"
  tar -C "$WORK" --exclude='*-model.json' -czf "$tmp" logs results cases.tsv 2>/dev/null && mv -f "$tmp" "$OUT/logs.tar.gz"
}
record() {   # record NAME STATUS RC SECONDS NOTE
  printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$WORK/logs/steps.tsv"
  if [ "$2" = skipped ]; then printf '%-16s skipped (%s)\n' "$1" "$5"
  else printf '%-16s %-11s rc=%-3s %4ss  %s\n' "$@"; fi | tee -a "$OUT/summary.txt"
  pack_logs
}
skip() { wanted "$1" && record "$1" skipped 0 0 "$2"; }
# GPU_STEPS="cuda ceilings": run only the steps whose names start with one of these words (a short
# second run after a fix); empty = all. The data are prepared when any step needs them.
wanted() {
  [ -z "${GPU_STEPS:-}" ] && return 0
  local w
  for w in $GPU_STEPS; do case $1 in "$w"*) return 0 ;; esac; done
  return 1
}
# step NAME BOX CMD...: runs CMD with at most BOX seconds (scaled, and cut to the budget left),
# output in logs/NAME.log; exit 3 means "backend unavailable here". Steps not wanted are left out.
step() {
  local name=$1 box=$(($2 * box_scale)); shift 2
  case $name in java-runtime|prepare-*|nvcc-*) ;; *) wanted "$name" || return 0 ;; esac
  local left=$((deadline - $(date +%s) - report_reserve))
  if [ "$left" -lt 5 ]; then skip "$name" "no time left in the ${budget} s budget"; return 1; fi
  [ "$box" -gt "$left" ] && box=$left
  local t0 rc status note=""
  t0=$(date +%s)
  timeout -k 5 "$box" "$@" > "$WORK/logs/$name.log" 2>&1
  rc=$?
  case $rc in
    0) status=ok ;;
    124|137) status=timeout; note="stopped after $box s" ;;
    3) status=unavailable ;;
    *) status=failed ;;
  esac
  [ "$status" = ok ] || [ -n "$note" ] || note=$(grep -v '^[[:space:]]*$' "$WORK/logs/$name.log" | grep -v '^WARNING: Using incubator' | tail -n 1 | tr '\t' ' ' | cut -c1-200)
  record "$name" "$status" "$rc" $(($(date +%s) - t0)) "$note"
  return $rc
}

echo "gaussmix GPU run ($mode), $(date -u '+%Y-%m-%d %H:%M:%S UTC'), budget ${budget} s; logs in $WORK/logs" | tee "$OUT/summary.txt"

# --- the environment ---------------------------------------------------------------------------
{ date -u; uname -a; nproc; free -g; df -h "$WORK"; command -v nvcc && nvcc --version; $py --version
  $py -c 'import numpy, sklearn; print("numpy", numpy.__version__, "sklearn", sklearn.__version__)'
  $py -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.is_available())'
} > "$WORK/logs/environment.log" 2>&1
# Unpacks the Java runtime once, before anything runs Java in parallel.
step java-runtime 60 bash .device/java.sh -version
rt="${TMPDIR:-/tmp}/gm-jre/jre"
jenv=("LD_PRELOAD=$rt/lib/libjsig.so")   # PoCL's LLVM replaces the JVM's signal handlers otherwise
libpath=${LD_LIBRARY_PATH:-}
ocl_note=""
loader=$root/.device/ocl/usr/lib/x86_64-linux-gnu
if [ "$mode" = rehearsal ]; then
  [ -e target/cuda-emulator/libcuda.so.1 ] || bash kernels/cuda/emulator/build.sh target/cuda-emulator > "$WORK/logs/emulator-build.log" 2>&1
  libpath=$root/target/cuda-emulator${libpath:+:$libpath}
  ocl_lib=$(ldconfig -p | awk '/libpocl\.so\.2 /{print $NF; exit}')
  ocl_note="rehearsal: PoCL on the CPU through the carried ICD loader"
else
  ocl_lib=$(ldconfig -p | awk '/libnvidia-opencl\.so\.1 /{print $NF; exit}')
  for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/local/cuda/compat; do
    [ -z "$ocl_lib" ] && [ -e "$d/libnvidia-opencl.so.1" ] && ocl_lib=$d/libnvidia-opencl.so.1
  done
fi
if [ -n "$ocl_lib" ] && [ -e "$loader/libOpenCL.so.1" ]; then
  vendors=$root/.device/ocl/vendors
  if [ "$mode" = rehearsal ]; then vendors=$WORK/ocl-vendors; mkdir -p "$vendors"; echo "$ocl_lib" > "$vendors/pocl.icd"; fi
  libpath=$loader:$(dirname "$ocl_lib")${libpath:+:$libpath}
  jenv+=("OCL_ICD_VENDORS=$vendors")
  opencl=yes
else
  opencl=""
  [ -n "$ocl_lib" ] || opencl="no OpenCL driver (libnvidia-opencl.so.1) on this machine"
  [ -e "$loader/libOpenCL.so.1" ] || opencl="${opencl:+$opencl; }no ICD loader in .device/ocl (run benchmarks/gpu/pack-extra.sh after pack.sh)"
fi
jenv+=("LD_LIBRARY_PATH=$libpath")
jrun=(env "${jenv[@]}" bash .device/java.sh)

# --- in the background while the first steps run: the data (CPU only) and nvcc ------------------
prep_pids=()
need_data=${GPU_STEPS:+no}
for w in ${GPU_STEPS:-}; do
  case $w in cuda-probe) ;; cuda*|cpu*|torch*|opencl*|sklearn*|prepare*) need_data=yes ;; esac
done
[ "${need_data:-yes}" = yes ] && while read -r name size type iters; do
  ( step "prepare-$name" 150 "${jrun[@]}" -Xmx$prep_heap io.gaussmix.bench.GpuRun prepare "$WORK/data/$name" "$size" "$type" ) &
  prep_pids+=($!)
done < "$WORK/cases.tsv"
nvcc_pid=""
if ! wanted ceilings; then
  :
elif command -v nvcc > /dev/null; then
  arch="-arch=native"; [ "$mode" = rehearsal ] && arch="-arch=sm_90"   # here: a syntax and resource check only
  ( step nvcc-ceilings 120 bash -c "nvcc -O3 $arch -Xptxas -v -o '$WORK/ceilings' '$here/ceilings.cu' \
      || { [ '$arch' = -arch=native ] && nvcc -O3 -arch=sm_90 -Xptxas -v -o '$WORK/ceilings' '$here/ceilings.cu'; }" ) &
  nvcc_pid=$!
else
  skip nvcc-ceilings "no nvcc on this machine"
fi

# --- 1. the GPU and the driver; devices and the CUDA provider's probe ----------------------------
if [ "$mode" = device ]; then
  # Each query on its own, so that a field this nvidia-smi does not know costs only its own line.
  step nvidia-smi 20 bash -c "nvidia-smi; nvidia-smi -q > '$WORK/logs/nvidia-smi-q.txt'; \
      nvidia-smi --query-gpu=clocks.sm,clocks.max.sm,clocks.mem,power.limit,temperature.gpu,pstate --format=csv; \
      nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > '$WORK/results/gpu.csv'"
else
  skip nvidia-smi "rehearsal: no GPU"
fi
step devices 40 "${jrun[@]}" io.gaussmix.cli.Main devices
step cuda-probe 40 "${jrun[@]}" io.gaussmix.bench.GpuRun probe

# --- 2. the gpu-tagged tests on this driver -----------------------------------------------------
step tests 150 env "${jenv[@]}" bash .device/run-tests.sh --include-tag gpu --reports-dir "$WORK/results/junit"

# --- 3. measured ceilings ------------------------------------------------------------------------
# Nothing else runs from here on: the data writers would disturb the host-to-device copies.
[ -n "$nvcc_pid" ] && wait "$nvcc_pid"
[ ${#prep_pids[@]} -gt 0 ] && wait "${prep_pids[@]}"
if [ "$mode" = rehearsal ]; then
  skip ceilings "rehearsal: no GPU; ceilings.cu compiled for sm_90 only"
elif [ -x "$WORK/ceilings" ]; then
  step ceilings 60 bash -c "'$WORK/ceilings' > '$WORK/results/ceilings.json' && cat '$WORK/results/ceilings.json' \
      && echo \"FFMA in the SASS: \$(cuobjdump --dump-sass '$WORK/ceilings' | grep -c FFMA)\""
else
  skip ceilings "not built (see nvcc-ceilings.log)"
fi

# --- 4.-6. timings, parity, peers ----------------------------------------------------------------
ready() { [ -f "$WORK/data/$1/start.json" ] || { skip "$2-$1" "no data (prepare-$1 failed)"; return 1; }; }
measure() {   # measure BACKEND BOX NAME ITERS [GpuRun options]
  local backend=$1 box=$2 name=$3 iters=$4; shift 4
  ready "$name" "$backend" && step "$backend-$name" "$box" "${jrun[@]}" -Xmx$heap io.gaussmix.bench.GpuRun measure \
      "$WORK/data/$name" "$backend" "$WORK/results/$name-$backend.json" --iters "$iters" "$@"
}
# The second FULL/TIED tiled kernel (kernels/cuda/estep_tiled2.cuh), as peer "cuda-v2", until the
# two are ranked; only the full cases run it.
cuda_v2_peer() {
  ready "$1" cuda-v2 && step "cuda-v2-$1" 60 "${jrun[@]}" -Xmx$heap -Dgaussmix.cuda.tiledKernel=v2 \
      io.gaussmix.bench.GpuRun measure "$WORK/data/$1" cuda "$WORK/results/$1-cuda-v2.json" --iters "$2" \
      --passes "$passes" --warmup "$warmup"
}
# The third (tensor cores, kernels/cuda/estep_tiled3.cuh), as peer "cuda-v3", likewise.
cuda_v3_peer() {
  ready "$1" cuda-v3 && step "cuda-v3-$1" 60 "${jrun[@]}" -Xmx$heap -Dgaussmix.cuda.tiledKernel=v3 \
      io.gaussmix.bench.GpuRun measure "$WORK/data/$1" cuda "$WORK/results/$1-cuda-v3.json" --iters "$2" \
      --passes "$passes" --warmup "$warmup"
}
# The register-tiled DIAG/SPHERICAL kernel (kernels/cuda/estep_diag_tiled.cuh), as peer "cuda-tiled", until
# the two diag kernels are ranked; only the diag case runs it.
cuda_tiled_peer() {
  ready "$1" cuda-tiled && step "cuda-tiled-$1" 60 "${jrun[@]}" -Xmx$heap -Dgaussmix.cuda.diagKernel=tiled \
      io.gaussmix.bench.GpuRun measure "$WORK/data/$1" cuda "$WORK/results/$1-cuda-tiled.json" --iters "$2" \
      --passes "$passes" --warmup "$warmup"
}
each() {   # each ORDER FUNCTION...: runs FUNCTION NAME ITERS for the cases in ORDER
  local order=$1; shift
  for name in $order; do
    "$@" "$name" "$(awk -v n="$name" '$1 == n {print $4}' "$WORK/cases.tsv")"
  done
}
cuda_peer() { measure cuda 60 "$1" "$2" --passes "$passes" --warmup "$warmup"; }
cpu_peer() { measure cpu $([ "$1" = b ] && echo 150 || echo 60) "$1" "$2" --passes 0; }
torch_peer() { ready "$1" torch && step "torch-$1" 60 "$py" "$here/torch_em.py" "$WORK/data/$1" "$WORK/results/$1-torch.json" "$2" --device "$torch_device" --chunk-mb "$chunk_mb"; }
opencl_peer() {
  if [ "$opencl" = yes ]; then measure opencl 60 "$1" "$2" --passes "$passes" --warmup "$warmup"; else skip "opencl-$1" "$opencl"; fi
}
sklearn_peer() { ready "$1" sklearn && step "sklearn-$1" $([ "$1" = b ] && echo 150 || echo 90) "$py" "$here/sklearn_em.py" "$WORK/data/$1" "$WORK/results/$1-sklearn.json" "$2"; }
# Cheap steps first, so that the budget cuts the slowest (float64 on the CPU at K = 1024) if anything.
each "a b c" cuda_peer
# The standard errors' N-dependent part (Backend.rowInformation, float64: the rows' score variance, P x P) on
# CUDA, then on the host pool; its own BenchData rows, no prepared data. Median of 3 after a warm-up, one line
# per backend in logs/information.log. Device: N 1e5, D 16, K 8 full (P = 1223).
if [ "$mode" = device ]; then info_case="100000 16 8"; else info_case="2000 4 3"; fi
step information 60 "${jrun[@]}" -Xmx$heap io.gaussmix.bench.InformationTiming cuda,cpu $info_case full 3
each "a c" cuda_v2_peer
each "a c" cuda_v3_peer
each "b" cuda_tiled_peer
each "a c" cpu_peer       # the float64 reference of every parity figure
each "a b c" torch_peer
wanted opencl && [ -n "$ocl_note" ] && [ "$opencl" = yes ] && echo "opencl: $ocl_note" | tee -a "$OUT/summary.txt"
each "a b c" opencl_peer
each "b" cpu_peer
each "a c b" sklearn_peer

# --- 7. one JSON and one Markdown table ----------------------------------------------------------
GPU_RUN_COMMAND="bash benchmarks/gpu/run.sh$([ "$mode" = rehearsal ] && echo ' --rehearse')" \
  timeout 60 "$py" "$here/report.py" "$WORK" "$OUT" "$mode" > "$WORK/logs/report.log" 2>&1
report_rc=$?
pack_logs
if [ "$report_rc" = 0 ]; then cat "$OUT/gpu-results.md"; else echo "report failed (rc=$report_rc):"; tail -n 20 "$WORK/logs/report.log"; fi
echo "---"
cat "$OUT/summary.txt"
echo "run.sh ($mode) took $(($(date +%s) - t_start)) s; results in $OUT"
