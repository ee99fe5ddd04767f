#!/usr/bin/python3
"""scikit-learn as a user runs it once: load DIR/data.npy, fit from DIR/start.json for ITERS iterations
(tol=0, reg_covar=1e-6, as gaussmix's `fit --init-model ... --max-iter ITERS --tol 0`), score, exit.

The whole process is timed from outside (benchmarks/cpu-table.py); this prints one JSON line with the
phases seen from inside and the fit, so that its answer can be compared with gaussmix's:
  {"version", "blas", "threads", "load_s", "fit_s", "iters", "lower_bound", "weights", "means"}

usage: sklearn_fit.py DIR ITERS
"""
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sklearn_peer import fit  # noqa: E402  (the same GaussianMixture call as the peer comparison)


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: sklearn_fit.py DIR ITERS")
    d, iters = sys.argv[1], int(sys.argv[2])
    t0 = time.perf_counter()
    x = np.load(os.path.join(d, "data.npy"))
    with open(os.path.join(d, "start.json")) as f:
        start = json.load(f)
    t1 = time.perf_counter()
    gm = fit(x, start, iters)
    t2 = time.perf_counter()
    import sklearn
    try:
        from threadpoolctl import threadpool_info
        info = threadpool_info()
        threads = max((p.get("num_threads", 1) for p in info), default=1)
        blas = ", ".join(sorted({f"{p.get('internal_api')} {p.get('version')}" for p in info}))
    except Exception:  # threadpoolctl is optional
        threads, blas = os.cpu_count(), "unknown BLAS"
    print(json.dumps({"version": sklearn.__version__, "blas": blas, "threads": threads,
                      "load_s": t1 - t0, "fit_s": t2 - t1, "iters": iters,
                      "lower_bound": float(gm.lower_bound_), "weights": gm.weights_.tolist(),
                      "means": gm.means_.tolist()}))


if __name__ == "__main__":
    main()
