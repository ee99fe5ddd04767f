#!/usr/bin/python3
"""Interleaved A/B of whole `fit` processes: two or more builds (or JVM settings) of the README's
command, run alternately so that a noisy machine's drift hits every variant alike; medians per phase.

usage: benchmarks/fit-ab.py REPS NAME=JAR [NAME=JAR ...]
  e.g. cp target/gaussmix.jar /tmp/new.jar; git stash; mvn -q package -DskipTests; cp target/gaussmix.jar
       /tmp/old.jar; git stash pop; benchmarks/fit-ab.py 8 old=/tmp/old.jar new=/tmp/new.jar
environment: FITAB_DIR (data.npy and start.json, default /dev/shm/gaussmix-cpu-table/200000x64x8, written
  by benchmarks/cpu-table.py), FITAB_K (8), FITAB_ITERS (10), FITAB_JVM_<NAME> (extra JVM options of
  variant NAME, e.g. FITAB_JVM_serial=-XX:+UseSerialGC with serial=target/gaussmix.jar), FITAB_ENV_<NAME>
  (VAR=VALUE ... set for variant NAME's processes, e.g. FITAB_ENV_nocds=GAUSSMIX_CDS=off), FITAB_ARGS (more
  fit arguments for every variant, e.g. "--precision float32").
Each process is stamped by fit-phases.py: wall seconds (CPU seconds of the process tree in brackets)
of the whole process, start-up + load, iteration 1, the mean steady iteration, the BIC/AIC pass + the
model write, and the exit; then every process's whole wall time, so that outliers show.
"""
import importlib.util
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("fit_phases", os.path.join(HERE, "fit-phases.py"))
fit_phases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fit_phases)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    data = os.environ.get("FITAB_DIR", "/dev/shm/gaussmix-cpu-table/200000x64x8")
    k = os.environ.get("FITAB_K", "8")
    iters = int(os.environ.get("FITAB_ITERS", "10"))
    reps = int(sys.argv[1])
    variants = [a.split("=", 1) for a in sys.argv[2:]]
    runs = {name: [] for name, _ in variants}
    for _ in range(reps):
        for name, jar in variants:
            jvm = os.environ.get("FITAB_JVM_" + name, "").split()
            extra = dict(kv.split("=", 1) for kv in os.environ.get("FITAB_ENV_" + name, "").split())
            saved = {key: os.environ.get(key) for key in extra}
            os.environ.update(extra)
            cmd = ["java"] + jvm + ["-jar", jar, "fit", data + "/data.npy", "-k", k, "--init-model",
                                    data + "/start.json", "--max-iter", str(iters), "--tol", "0",
                                    "-o", f"/tmp/fit-ab-{name}.json"] + os.environ.get("FITAB_ARGS", "").split()
            try:
                runs[name].append(fit_phases.run_once(cmd))
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value
    for name, rs in runs.items():
        def med(clock, f):
            return statistics.median(f(r[clock]) for r in rs)

        def steady(p):
            return (p["whole_s"] - p["startup_load_s"] - p["iterations"].get(1, 0) - p["write_summary_s"]
                    - p["exit_s"]) / (iters - 1)
        cols = [("whole", lambda p: p["whole_s"]), ("start-up + load", lambda p: p["startup_load_s"]),
                ("iteration 1", lambda p: p["iterations"].get(1, 0)), ("steady", steady),
                ("BIC/AIC + write", lambda p: p["write_summary_s"]), ("exit", lambda p: p["exit_s"])]
        text = "  ".join(f"{c} {med('wall', f):.3f} ({med('cpu', f):.2f})" for c, f in cols)
        print(f"{name}: {text}  all: {[round(r['wall']['whole_s'], 2) for r in rs]}")


if __name__ == "__main__":
    main()
