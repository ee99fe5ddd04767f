"""Collects what benchmarks/gpu/run.sh measured into one JSON and one Markdown table.

    python3 report.py WORK OUT_DIR MODE

WORK holds logs/steps.tsv (one line per step: name, status, exit code, seconds, note),
cases.tsv (name, NxDxK, covariance type, iterations), results/gpu.csv (nvidia-smi's query),
results/ceilings.json, results/junit/*.xml and results/CASE-PEER.json with CASE-PEER-model.json.
Parity is each final model against the float64 CPU fit from the same start and the same number of
iterations (CASE-cpu-model.json): the largest absolute difference of weights, means and covariances
over the largest absolute value of that array in the CPU model, and the lower bound's relative
difference. The README's float32 bound is 1e-4 on the arrays and 1e-5 on the lower bound.
Writes OUT_DIR/gpu-results.json and OUT_DIR/gpu-results.md and prints the Markdown.
"""
import csv
import datetime
import glob
import json
import os
import platform
import sys
import xml.etree.ElementTree as ET

import numpy as np

PEERS = ["cuda", "cuda-v2", "cuda-v3", "cuda-tiled", "opencl", "cpu", "torch", "sklearn"]   # in table order
ARRAY_BOUND, SCORE_BOUND = 1e-4, 1e-5


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def read_tsv(path):
    try:
        with open(path) as f:
            return [line.rstrip("\n").split("\t") for line in f if line.strip()]
    except OSError:
        return []


def tests(junit_dir):
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    files = glob.glob(os.path.join(junit_dir, "*.xml"))
    if not files:
        return None
    failed = []
    for f in files:
        root = ET.parse(f).getroot()
        suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
        for s in suites:
            for key in totals:
                totals[key] += int(s.get(key, 0))
            for case in s.findall("testcase"):
                if case.find("failure") is not None or case.find("error") is not None:
                    failed.append(f"{case.get('classname')}.{case.get('name')}")
    totals["passed"] = totals["tests"] - totals["failures"] - totals["errors"] - totals["skipped"]
    totals["failed_tests"] = failed[:20]
    return totals


def parity(model, ref):
    out = {}
    for key in ("weights", "means", "covariances"):
        a, b = np.asarray(model[key], dtype=float), np.asarray(ref[key], dtype=float)
        if a.shape != b.shape:
            return {"error": f"{key} shape {a.shape} vs {b.shape}"}
        out[key] = float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))
    la, lb = model.get("lowerBound"), ref.get("lowerBound")
    out["lower_bound"] = abs(la - lb) / abs(lb) if la is not None and lb else None
    out["within_float32_bound"] = (max(out["weights"], out["means"], out["covariances"]) <= ARRAY_BOUND
                                   and out["lower_bound"] is not None and out["lower_bound"] <= SCORE_BOUND)
    return out


def case_rows(work, name, fp32_gflops, d2d_gbs):
    rows = {}
    ref = read_json(os.path.join(work, "results", f"{name}-cpu-model.json"))
    for peer in PEERS:
        r = read_json(os.path.join(work, "results", f"{name}-{peer}.json"))
        if r is None:
            continue
        row = {"unavailable": r.get("unavailable")}
        p, fx = r.get("pass"), r.get("fixed")
        if p:
            t = p["median_s"]
            row["pass_ms"], row["pass_min_ms"] = 1e3 * t, 1e3 * p["min_s"]
            row["fixed_ms"] = 1e3 * fx["median_s"] if fx else None
            row["pass_description"] = p["description"]
            row["credited_gflops"] = r["credited_flops"] / t / 1e9
            if r.get("executed_flops"):
                row["executed_gflops"] = r["executed_flops"] / t / 1e9
            if fp32_gflops:
                row["credited_of_fp32"] = row["credited_gflops"] / fp32_gflops
                if "executed_gflops" in row:
                    row["executed_of_fp32"] = row["executed_gflops"] / fp32_gflops
            row["rows_gbs"] = r["n"] * r["d"] * 4 / t / 1e9
            if d2d_gbs:
                row["rows_of_d2d"] = row["rows_gbs"] / d2d_gbs
        f = r.get("fit")
        if f:
            row.update(fit_s=f["median_iteration_s"], fit_total_s=f["total_s"], lower_bound=f["lower_bound"],
                       fit_description=f["description"], notes=f.get("notes", []))
            model = read_json(os.path.join(work, "results", f["model"]))
            if model is not None and ref is not None and peer != "cpu":
                row["parity_vs_cpu"] = parity(model, ref)
        rows[peer] = row
    base = rows.get("cuda", {}).get("fit_s")
    for row in rows.values():
        if base and row.get("fit_s"):
            row["vs_cuda"] = row["fit_s"] / base
    return rows


def fmt(v, spec=".3g", none="-"):
    return none if v is None else format(v, spec)


def rate(v):
    """GFLOP/s or GB/s: whole numbers when large, three digits when small (the rehearsal's)."""
    return "-" if v is None else (f"{v:.0f}" if v >= 100 else f"{v:.3g}")


def pct(v):
    return "-" if v is None else f"{100 * v:.1f}%"


def markdown(res):
    m = res["machine"]
    lines = [f"### GPU run ({res['mode']}), {res['date']}", "",
             f"GPU: {m.get('gpu', 'none')}, driver {m.get('driver', '-')}; host: {m['cpus']} CPU cores, {m['host']}.",
             f"Command: `{res['command']}`.", ""]
    if res["mode"] == "rehearsal":
        lines += ["**Rehearsal**: CUDA is the g++ emulator (CPU), PyTorch runs on the CPU, sizes are tiny: "
                  "the figures check the pipeline, not the speed.", ""]
    lines += ["| step | status | s |", "|---|---|---|"]
    lines += [f"| {s['name']} | {s['status']}" + (f" ({s['note']})" if s["status"] == "skipped" else
                                                   (f": {s['note']}" if s.get("note") else "")) + f" | {s['seconds']} |"
              for s in res["steps"]]
    t = res.get("tests")
    lines += ["", "**gpu-tagged tests**: " + (
        f"{t['passed']} passed, {t['failures'] + t['errors']} failed, {t['skipped']} skipped of {t['tests']}"
        + (f" (failed: {', '.join(t['failed_tests'])})" if t["failed_tests"] else "") if t else "no report")]
    c = res.get("ceilings")
    if c:
        lines += ["", "| ceiling (median of %d, CUDA events) | measured |" % c["repeats"], "|---|---|",
                  f"| fp32 FMA, register-resident | {c['fp32_fma']['gflops']:.0f} GFLOP/s |",
                  f"| device-to-device copy (read + write) | {c['d2d_copy']['gbs']:.0f} GB/s |",
                  f"| host-to-device, pinned | {c['h2d_pinned']['gbs']:.1f} GB/s |",
                  f"| device-to-host, pinned | {c['d2h_pinned']['gbs']:.1f} GB/s |",
                  f"| host-to-device, pageable | {c['h2d_pageable']['gbs']:.1f} GB/s |",
                  f"| SMs, L2, max SM clock | {c['sm_count']}, {c['l2_bytes'] / 2**20:.0f} MiB, "
                  f"{c['sm_clock_khz_max'] / 1e3:.0f} MHz |"]
    lines += ["", "Passes: wall time of one `Backend.accumulate` (synchronous) after warm-up, median; "
              "fixed = the same pass on 4096 rows; credited flops 2NKD^2 (full) or 6NKD (diag); executed flops "
              "count what the CUDA kernel issues (`CudaKernelWork`).", "",
              "| case | backend | ms/pass (min) | fixed ms | credited GFLOP/s (of fp32) | executed GFLOP/s (of fp32) "
              "| rows GB/s (of d2d) |", "|---|---|---|---|---|---|---|"]
    for case in res["cases"]:
        for peer, r in case["peers"].items():
            if "pass_ms" in r:
                lines.append(f"| {case['label']} | {peer} | {r['pass_ms']:.3f} ({r['pass_min_ms']:.3f}) | "
                             f"{fmt(r.get('fixed_ms'), '.3f')} | {rate(r['credited_gflops'])} "
                             f"({pct(r.get('credited_of_fp32'))}) | {rate(r.get('executed_gflops'))} "
                             f"({pct(r.get('executed_of_fp32'))}) | {rate(r['rows_gbs'])} "
                             f"({pct(r.get('rows_of_d2d'))}) |")
    lines += ["", "Fits: one fit of exactly M iterations from the common start; s/iter = median of iterations 2..M "
              "(E+M); parity = max |difference| / max |value| of each array against the float64 CPU fit "
              f"(float32 bound {ARRAY_BOUND:g} arrays, {SCORE_BOUND:g} lower bound).", "",
              "| case | peer | s/iter | vs gaussmix cuda | lower bound | parity LB / w / mu / cov | within bound |",
              "|---|---|---|---|---|---|---|"]
    for case in res["cases"]:
        for peer, r in case["peers"].items():
            if r.get("unavailable"):
                lines.append(f"| {case['label']} | {peer} | unavailable: {r['unavailable'][:120]} | | | | |")
                continue
            if "fit_s" not in r:
                continue
            p = r.get("parity_vs_cpu")
            par = ("reference" if peer == "cpu" else "-") if not p or "error" in p else \
                f"{fmt(p['lower_bound'], '.1e')} / {p['weights']:.1e} / {p['means']:.1e} / {p['covariances']:.1e}"
            within = "" if not p or "error" in p else ("yes" if p["within_float32_bound"] else "**no**")
            lines.append(f"| {case['label']} | {peer} | {r['fit_s']:.4g} | {fmt(r.get('vs_cuda'), '.2f')}x | "
                         f"{r['lower_bound']:.6f} | {par} | {within} |")
    lines += ["", "Backends: " + "; ".join(sorted({f"{p}: {r.get('fit_description') or r.get('pass_description')}"
                                                  for case in res["cases"] for p, r in case["peers"].items()
                                                  if r.get("fit_description") or r.get("pass_description")}))]
    return "\n".join(lines) + "\n"


def main():
    work, out_dir, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    command = os.environ.get("GPU_RUN_COMMAND", "bash benchmarks/gpu/run.sh")
    machine = {"cpus": os.cpu_count(), "host": f"{platform.system()} {platform.release()}, {platform.machine()}"}
    try:
        with open(os.path.join(work, "results", "gpu.csv")) as f:
            row = next(csv.DictReader(f, skipinitialspace=True))
            machine.update(gpu=row.get("name"), driver=row.get("driver_version"), gpu_csv=row)
    except (OSError, StopIteration):
        pass
    ceilings = read_json(os.path.join(work, "results", "ceilings.json"))
    fp32 = ceilings["fp32_fma"]["gflops"] if ceilings else None
    d2d = ceilings["d2d_copy"]["gbs"] if ceilings else None
    cases = []
    for name, size, cov_type, iters in read_tsv(os.path.join(work, "cases.tsv")):
        cases.append({"name": name, "size": size, "type": cov_type, "iters": int(iters),
                      "label": f"{size} {cov_type} M={iters}", "peers": case_rows(work, name, fp32, d2d)})
    steps = [{"name": s[0], "status": s[1], "rc": int(s[2]), "seconds": int(s[3]), "note": s[4] if len(s) > 4 else ""}
             for s in read_tsv(os.path.join(work, "logs", "steps.tsv"))]
    res = {"mode": mode, "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
           "command": command, "machine": machine, "steps": steps,
           "tests": tests(os.path.join(work, "results", "junit")), "ceilings": ceilings, "cases": cases}
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "gpu-results.json"), "w") as f:
        json.dump(res, f, indent=1)
    md = markdown(res)
    with open(os.path.join(out_dir, "gpu-results.md"), "w") as f:
        f.write(md)
    print(md)


if __name__ == "__main__":
    main()
