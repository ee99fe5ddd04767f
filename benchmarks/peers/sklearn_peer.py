#!/usr/bin/python3
"""scikit-learn peer of the gaussmix comparison (run by benchmarks/run-peers.sh).

Reads DIR/data.npy and DIR/start.json (the common start: weights, means, full covariances), fits
sklearn.mixture.GaussianMixture with exactly SHORT and then SHORT+ITERS iterations from that start
(tol=0 so it never stops early; reg_covar=1e-6 as gaussmix), and writes
  DIR/sklearn-model.json   the long fit's parameters (gaussmix-model JSON, scored by gaussmix later)
  DIR/sklearn-timing.json  {"version", "short_s", "long_s", "iters", "threads"}
scikit-learn still runs its init_params method and one full parameter estimate when weights_init,
means_init and precisions_init are all given; init_params='random_from_data' keeps that cheap, and
differencing the two fits removes it (and every other fixed cost) from the per-iteration time.
"""
import json
import os
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

SHORT = 2
PAIRS = 3             # timed (short, long) pairs at most ...
PAIR_BUDGET_S = 20.0  # ... while the pairs so far took less than this


def fit(x, start, iters):
    w = np.asarray(start["weights"], dtype=np.float64)
    w = w / w.sum()
    means = np.asarray(start["means"], dtype=np.float64)
    covs = np.asarray(start["covariances"], dtype=np.float64)
    precisions = np.linalg.inv(covs)
    gm = GaussianMixture(n_components=len(w), covariance_type="full", tol=0.0, reg_covar=1e-6,
                         max_iter=iters, n_init=1, init_params="random_from_data",
                         weights_init=w, means_init=means, precisions_init=precisions, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(x)
    if gm.n_iter_ != iters:
        raise SystemExit(f"scikit-learn ran {gm.n_iter_} iterations, expected {iters}")
    return gm


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: sklearn_peer.py DIR [ITERS]")
    d = sys.argv[1]
    iters = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    x = np.load(os.path.join(d, "data.npy"))
    with open(os.path.join(d, "start.json")) as f:
        start = json.load(f)
    fit(x[: min(len(x), 2000)], start, SHORT)  # warm-up: imports, BLAS threads, caches
    # The same rule as PeerMain's: up to PAIRS (short, long) pairs while they take under PAIR_BUDGET_S,
    # keeping the pair with the smallest difference.
    short_s, long_s, spent = 0.0, float("inf"), 0.0
    for pair in range(PAIRS):
        if pair > 0 and spent >= PAIR_BUDGET_S:
            break
        t0 = time.perf_counter()
        fit(x, start, SHORT)
        s = time.perf_counter() - t0
        t0 = time.perf_counter()
        gm = fit(x, start, SHORT + iters)
        l = time.perf_counter() - t0
        spent += s + l
        if l - s < long_s - short_s:
            short_s, long_s = s, l
    model = {"format": "gaussmix-model", "version": 1, "covarianceType": "full",
             "weights": gm.weights_.tolist(), "means": gm.means_.tolist(),
             "covariances": gm.covariances_.tolist()}
    tmp = os.path.join(d, "sklearn-model.json.tmp")
    with open(tmp, "w") as f:
        json.dump(model, f)
    os.replace(tmp, os.path.join(d, "sklearn-model.json"))
    try:
        from threadpoolctl import threadpool_info
        threads = max((p.get("num_threads", 1) for p in threadpool_info()), default=1)
        blas = ", ".join(sorted({f"{p.get('internal_api')} {p.get('version')}" for p in threadpool_info()}))
    except Exception:  # threadpoolctl is optional
        threads, blas = os.cpu_count(), "unknown BLAS"
    timing = {"version": sklearn.__version__, "numpy": np.__version__, "blas": blas, "threads": threads,
              "short_s": short_s, "long_s": long_s, "iters": iters}
    with open(os.path.join(d, "sklearn-timing.json"), "w") as f:
        json.dump(timing, f)
    print(json.dumps(timing))


if __name__ == "__main__":
    main()
