#!/usr/bin/env python3
"""Breakdown of one whole `gaussmix fit` process, measured from outside (no instrumentation).

Runs the given command (default: the README's) several times and stamps every line the process
writes, on stderr (the "backend: ..." note once the data are read and the backend is open, then one
line per EM iteration) and on stdout (the summary, printed after the BIC/AIC pass and the model
file's write). The phases are the gaps between those stamps:

  start-up + load = process start -> "backend:" note (JVM start, relaunch, reading the start model and
                    the .npy, opening the backend)
  iteration i     = line i-1 -> line i (iteration 1: note -> its line)
  write + summary = last iteration line -> first stdout line (the BIC/AIC pass, the model JSON write)
  exit            = first stdout line -> process end

Each phase is given twice: in wall seconds and in CPU seconds of the process tree (all threads of
both JVMs, read from /proc at each line, clock-tick resolution; the whole process from rusage): on a
shared machine the CPU time is the work, the wall time includes the waiting. Progress lines
are throttled to about two a second, so iterations must take longer than 0.5 s to be seen one by one;
a missing iteration shows as '-'.

usage: benchmarks/fit-phases.py [--reps 3] [--json FILE] -- COMMAND...
e.g.   benchmarks/fit-phases.py --reps 3 -- java -jar target/gaussmix.jar fit DIR/data.npy -k 8 \
           --init-model DIR/start.json --max-iter 10 --tol 0 -o DIR/m.json
"""
import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import threading
import time

ITER = re.compile(r"^init \d+\s+iter\s+(\d+)\s")
TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu(pid):
    """CPU seconds (user + system) of pid and its live descendants, from /proc (clock-tick resolution)."""
    total, todo = 0, [pid]
    while todo:
        q = todo.pop()
        try:
            with open(f"/proc/{q}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
            for t in os.listdir(f"/proc/{q}/task"):
                with open(f"/proc/{q}/task/{t}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return total / TICK


def run_once(cmd):
    """Runs cmd once; returns each phase in wall seconds and in CPU seconds of the process tree."""
    stamps = {"backend": None, "iters": {}, "stdout": None}
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
    last_cpu = [0.0]

    def stamp():
        c = tree_cpu(p.pid)
        last_cpu[0] = max(last_cpu[0], c)
        return (time.monotonic() - t0, c)

    def read_err():
        for line in p.stderr:
            t = stamp()
            if line.startswith("gaussmix: backend: ") and stamps["backend"] is None:
                stamps["backend"] = t
                stamps["backend_line"] = line.strip()
            m = ITER.match(line)
            if m:
                stamps["iters"][int(m.group(1))] = t
            if line.startswith("gaussmix: ") and "backend:" not in line:
                sys.stderr.write(line)

    def read_out():
        for line in p.stdout:
            if stamps["stdout"] is None:
                stamps["stdout"] = stamp()

    threads = [threading.Thread(target=read_err), threading.Thread(target=read_out)]
    for t in threads:
        t.start()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    rc = p.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    for t in threads:
        t.join()
    if rc != 0:
        sys.exit(f"fit-phases.py: the command exited with {rc}")
    # The whole tree's CPU from rusage (the relaunched JVM is waited for by its parent, so it counts).
    end = (time.monotonic() - t0, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    out = {}
    for clock, name in ((0, "wall"), (1, "cpu")):
        iters = stamps["iters"]
        last = max(iters) if iters else 0
        per_iter = {}
        prev = stamps["backend"]
        for i in range(1, last + 1):
            if i in iters and (i == 1 or i - 1 in iters):
                per_iter[i] = iters[i][clock] - prev[clock]
            if i in iters:
                prev = iters[i]
        out[name] = {
            "whole_s": end[clock], "startup_load_s": stamps["backend"][clock], "iterations": per_iter,
            "write_summary_s": stamps["stdout"][clock] - iters[last][clock] if last else None,
            "exit_s": end[clock] - stamps["stdout"][clock],
        }
    out["backend"] = stamps.get("backend_line")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--json")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    all_runs = [run_once(cmd) for _ in range(a.reps)]
    print("command: " + " ".join(cmd))
    print(all_runs[0]["backend"])
    for clock in ("cpu", "wall"):
        table([r[clock] for r in all_runs], clock)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"command": cmd, "runs": all_runs}, f, indent=1)


def table(runs, clock):
    med = lambda xs: statistics.median(xs) if xs else float("nan")
    print()
    print(f"| phase ({clock} s) | median | runs |")
    print("|---|---|---|")

    def row(name, vals):
        vals = [v for v in vals if v is not None]
        print(f"| {name} | {med(vals):.3f} | {' / '.join(f'{v:.3f}' for v in vals)} |" if vals else f"| {name} | - | (not printed: throttled) |")

    row("whole process", [r["whole_s"] for r in runs])
    row("start-up + load (to the backend note)", [r["startup_load_s"] for r in runs])
    n = max(max(r["iterations"], default=0) for r in runs)
    for i in range(1, n + 1):
        row(f"iteration {i}", [r["iterations"].get(i) for r in runs])
    steady = [med([v for i, v in r["iterations"].items() if i >= 3]) for r in runs]
    row("steady iteration (median of 3..)", steady)
    row("first / steady", [r["iterations"].get(1, float("nan")) / s for r, s in zip(runs, steady)])
    row("model write + summary (BIC/AIC pass)", [r["write_summary_s"] for r in runs])
    row("exit", [r["exit_s"] for r in runs])


if __name__ == "__main__":
    main()
