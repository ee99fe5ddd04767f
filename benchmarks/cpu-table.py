#!/usr/bin/python3
"""Issue 12's table, as a user meets it: whole `fit` processes through the README's command against
scikit-learn's fit of the same data from the same start, and the steady iteration as a fraction of
the DGEMM rate measured in the same run.

For each size NxDxK (full covariance, float64):
  1. data: DIR/data.npy (BenchData.sample, overlapping clusters, seed 42) and DIR/start.json (the peers'
     common start), written once by io.gaussmix.bench.FitPhaseData (test scope) into --work, which
     defaults to /dev/shm so that every process reads the file from memory (this VM evicts the page
     cache of large files, and a cold read is a disk benchmark);
  2. gaussmix: `java -jar target/gaussmix.jar fit DIR/data.npy -k K --init-model DIR/start.json
     --max-iter ITERS --tol 0 -o DIR/m.json`, --reps times, phases stamped from outside by
     fit-phases.py: start-up + load, iteration 1, steady = mean of iterations 2..ITERS (the gap from
     iteration 1's line to the last one; progress lines are throttled, so single fast iterations are
     not seen), write + summary, exit; wall seconds;
  3. scikit-learn: `python3 benchmarks/peers/sklearn_fit.py DIR ITERS` (the same GaussianMixture call
     as the peer comparison: same start, tol 0, reg_covar 1e-6), timed whole from outside, once;
     per-iteration = its fit's time / ITERS (the fit includes its one initial parameter estimate);
  4. parity: the largest difference between the two fits' means, over the data's scale.
DGEMM: numpy's (the system OpenBLAS, all cores), 2048^3, best wall of 5, before and after the sizes, on the
fastest of OpenBLAS's kernel choices (coretypes() below), which scikit-learn then runs on too;
the rate of a steady iteration is 2 N K D^2 (README.md's nominal count) over its wall seconds.

usage: benchmarks/cpu-table.py [--sizes 2e5x64x8,1e6x16x8,1e6x100x5] [--iters 10] [--reps 3]
                               [--work /dev/shm/gaussmix-cpu-table] [--json FILE] [--no-sklearn]
                               [--precisions float64,float32]
Run from the repository root after `mvn -DskipTests package` (target/gaussmix.jar, target/test-classes).
"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
_spec = importlib.util.spec_from_file_location("fit_phases", os.path.join(HERE, "fit-phases.py"))
fit_phases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fit_phases)


def dgemm_rate(m=2048, reps=5, coretype=None):
    """numpy's DGEMM rate, GFLOP/s, in a process of its own with OPENBLAS_CORETYPE=coretype (None: OpenBLAS's own pick)."""
    code = ("import numpy as np, time\n"
            f"m = {m}; rng = np.random.default_rng(1)\n"
            "a, b = rng.standard_normal((m, m)), rng.standard_normal((m, m)); a @ b\n"
            "ts = []\n"
            f"for _ in range({reps}):\n"
            "    t0 = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t0)\n"
            "print(2.0 * m ** 3 / min(ts) / 1e9)\n")
    out = subprocess.run(["/usr/bin/python3", "-c", code], env=blas_env(coretype), check=True,
                         capture_output=True, text=True).stdout
    return float(out.strip())


def blas_env(coretype):
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    return env


def coretypes():
    """The OpenBLAS kernels to try: its own pick for this CPU (None: OPENBLAS_CORETYPE unset), the environment's
    OPENBLAS_CORETYPE if one is set (a sandbox here sets Haswell, which runs AVX2 kernels on an AVX-512 CPU at
    60% of its own pick's rate), and SkylakeX's AVX-512 kernels where the CPU has AVX-512."""
    with open("/proc/cpuinfo") as f:
        avx512 = " avx512f" in f.read()
    return list(dict.fromkeys([None, os.environ.get("OPENBLAS_CORETYPE")] + (["SkylakeX"] if avx512 else [])))


def best_dgemm():
    """{coretype or 'unset': GFLOP/s}, and the fastest coretype (the ceiling, and scikit-learn's BLAS)."""
    rates = {c: dgemm_rate(coretype=c) for c in coretypes()}
    best = max(rates, key=rates.get)
    return {(c or "unset"): round(v, 1) for c, v in rates.items()}, best


def parse_size(s):
    n, d, k = s.split("x")
    return int(float(n)), int(d), int(k)


def prepare(work, n, d, k):
    path = os.path.join(work, f"{n}x{d}x{k}")
    if not os.path.exists(os.path.join(path, "start.json")):
        cp = os.path.join(ROOT, "target/test-classes") + ":" + os.path.join(ROOT, "target/gaussmix.jar")
        subprocess.run(["java", "-cp", cp, "io.gaussmix.bench.FitPhaseData", path, str(n), str(d), str(k)],
                       check=True)
    return path


def gaussmix(path, k, iters, reps, precision):
    cmd = ["java", "-jar", os.path.join(ROOT, "target/gaussmix.jar"), "fit", os.path.join(path, "data.npy"),
           "-k", str(k), "--init-model", os.path.join(path, "start.json"), "--max-iter", str(iters),
           "--tol", "0", "-o", os.path.join(path, "m.json")]
    if precision != "float64":   # the README's command is float64's
        cmd += ["--precision", precision]
    runs = []
    for _ in range(reps):
        r = fit_phases.run_once(cmd)
        w = r["wall"]
        its = w["iterations"]
        if 1 not in its:
            raise SystemExit(f"cpu-table.py: iteration 1 was not stamped in {w}")
        rest = w["whole_s"] - w["startup_load_s"] - its[1] - w["write_summary_s"] - w["exit_s"]
        runs.append({"whole_s": w["whole_s"], "startup_load_s": w["startup_load_s"], "iter1_s": its[1],
                     "steady_s": rest / (iters - 1), "write_summary_s": w["write_summary_s"],
                     "exit_s": w["exit_s"], "cpu_whole_s": r["cpu"]["whole_s"], "backend": r["backend"]})
    with open(os.path.join(path, "m.json")) as f:
        model = json.load(f)
    return {"command": " ".join(cmd), "runs": runs, "model": model}


def sklearn(path, iters, coretype):
    t0 = time.perf_counter()
    out = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "peers/sklearn_fit.py"), path, str(iters)],
                         env=blas_env(coretype), check=True, capture_output=True, text=True).stdout
    whole = time.perf_counter() - t0
    r = json.loads(out.strip().splitlines()[-1])
    r["whole_s"] = whole
    return r


def means_gap(a, b, scale):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) / scale


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="2e5x64x8,1e6x16x8,1e6x100x5")
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--work", default="/dev/shm/gaussmix-cpu-table")
    ap.add_argument("--json")
    ap.add_argument("--no-sklearn", action="store_true")
    ap.add_argument("--precisions", default="float64",
                    help="comma-separated: float64 (the README's command), float32 (with --precision float32)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rows = []
    rates, coretype = best_dgemm()
    dgemm = [max(rates.values())]
    print(f"DGEMM 2048^3 (numpy, {os.cpu_count()} cores), GFLOP/s by OPENBLAS_CORETYPE: {rates}", file=sys.stderr)
    for size in a.sizes.split(","):
        n, d, k = parse_size(size)
        path = prepare(a.work, n, d, k)
        s = None if a.no_sklearn else sklearn(path, a.iters, coretype)
        if s is not None:
            x = np.load(os.path.join(path, "data.npy"), mmap_mode="r")
            scale = float(np.std(x[: min(len(x), 100000)]))
        for precision in a.precisions.split(","):
            g = gaussmix(path, k, a.iters, a.reps, precision)
            row = {"n": n, "d": d, "k": k, "precision": precision, "gaussmix": g}
            if s is not None:
                row["sklearn"] = {key: v for key, v in s.items() if key not in ("means", "weights")}
                row["sklearn"]["means_gap"] = means_gap(g["model"]["means"], s["means"], scale)
                row["sklearn"]["lower_bound_gap"] = abs(g["model"]["lowerBound"] - s["lower_bound"])
            del g["model"]
            rows.append(row)
            print(f"{size} {precision}: gaussmix whole {[round(r['whole_s'], 2) for r in g['runs']]}"
                  + (f", sklearn whole {s['whole_s']:.2f}" if s else ""), file=sys.stderr)
    dgemm.append(dgemm_rate(coretype=coretype))
    result = {"started": started, "ended": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "cores": os.cpu_count(), "iters": a.iters, "dgemm_gflops": dgemm, "dgemm_by_coretype": rates,
              "openblas_coretype": coretype or "unset", "rows": rows}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)
    print(markdown(result))


def markdown(r):
    dg = max(r["dgemm_gflops"])
    med = statistics.median
    out = [f"{r['started']} - {r['ended']}, {r['cores']} cores, {r['iters']} iterations from the common start; "
           f"DGEMM 2048^3 (numpy, all cores, best of 5): {' / '.join(f'{v:.1f}' for v in r['dgemm_gflops'])}"
           f" GFLOP/s (before / after; the larger is the denominator) with OPENBLAS_CORETYPE="
           f"{r.get('openblas_coretype', 'unset')}, the fastest of {r.get('dgemm_by_coretype', {})}, which"
           f" scikit-learn's numpy uses too. Wall seconds; gaussmix: median of "
           f"{len(r['rows'][0]['gaussmix']['runs'])} processes (all runs in brackets).", "",
           "| N, D, K | precision | gaussmix whole process | scikit-learn whole process | ratio | gaussmix start-up + load"
           " | iteration 1 | steady iteration | first / steady | steady, GFLOP/s under 2NKD^2 (% of DGEMM)"
           " | scikit-learn per iteration | means gap / data scale |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in r["rows"]:
        runs = row["gaussmix"]["runs"]
        col = lambda key: med([x[key] for x in runs])
        alls = lambda key: " / ".join(f"{x[key]:.2f}" for x in runs)
        steady = col("steady_s")
        rate = 2.0 * row["n"] * row["k"] * row["d"] ** 2 / steady / 1e9
        s = row.get("sklearn")
        size = f"| {row['n']:.0e}, {row['d']}, {row['k']} | {row.get('precision', 'float64')}"
        out.append(
            f"{size} | {col('whole_s'):.2f} ({alls('whole_s')})"
            f" | {s['whole_s']:.2f} | {s['whole_s'] / col('whole_s'):.1f}x" if s else
            f"{size} | {col('whole_s'):.2f} ({alls('whole_s')}) | - | -")
        out[-1] += (f" | {col('startup_load_s'):.2f} | {col('iter1_s'):.2f} ({alls('iter1_s')})"
                    f" | {steady:.3f} ({alls('steady_s')}) | {med([x['iter1_s'] / x['steady_s'] for x in runs]):.2f}"
                    f" | {rate:.1f} ({100 * rate / dg:.0f}%)")
        out[-1] += (f" | {s['fit_s'] / s['iters']:.2f} | {s['means_gap']:.1e} |" if s else " | - | - |")
    out.append("")
    for line in dict.fromkeys(row["gaussmix"]["runs"][0]["backend"] for row in r["rows"]):
        out.append(f"backend line: {line}")
    return "\n".join(out)


if __name__ == "__main__":
    main()
