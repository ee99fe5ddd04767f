"""scikit-learn peer of the GPU run: sklearn.mixture.GaussianMixture (float64, all cores through its
BLAS) from the common start for exactly ITERS iterations.

    python3 sklearn_em.py CASE_DIR OUT.json ITERS

tol=0 so it never stops early, reg_covar=1e-6 as gaussmix, weights_init/means_init/precisions_init
from start.json, init_params='random_from_data' (scikit-learn still runs an initial estimate, which
falls into the first iteration's time). Each iteration's time is scikit-learn's own: with verbose=2
and verbose_interval=1 it prints the time lapse of every iteration, which is parsed here. Writes
OUT.json and OUT-model.json (see peer_io.py).
"""
import contextlib
import io
import re
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

import peer_io

LAPSE = re.compile(r"Iteration\s+(\d+)\s+time lapse\s+([0-9.eE+-]+)s")


def model(start, iters, verbose):
    cov_type = start["covarianceType"]
    w = np.asarray(start["weights"], dtype=np.float64)
    covs = np.asarray(start["covariances"], dtype=np.float64)
    precisions = np.linalg.inv(covs) if cov_type == "full" else 1.0 / covs
    return GaussianMixture(n_components=len(w), covariance_type=cov_type, tol=0.0, reg_covar=1e-6,
                           max_iter=iters, n_init=1, init_params="random_from_data", weights_init=w / w.sum(),
                           means_init=np.asarray(start["means"], dtype=np.float64), precisions_init=precisions,
                           random_state=0, verbose=verbose, verbose_interval=1)


def main():
    if len(sys.argv) != 4:
        raise SystemExit("usage: sklearn_em.py CASE_DIR OUT.json ITERS")
    case_dir, out_json, iters = sys.argv[1], sys.argv[2], int(sys.argv[3])
    x, start = peer_io.load_case(case_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model(start, 2, 0).fit(x[: min(len(x), 2000)])   # warm-up: imports, BLAS threads
        log = io.StringIO()
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(log):
            gm = model(start, iters, 2).fit(x)
        total = time.perf_counter() - t0
    seconds = [float(m.group(2)) for m in LAPSE.finditer(log.getvalue())]
    if gm.n_iter_ != iters or len(seconds) != iters:
        raise SystemExit(f"scikit-learn ran {gm.n_iter_} iterations and printed {len(seconds)} time lapses, "
                         f"expected {iters}:\n{log.getvalue()}")
    try:
        from threadpoolctl import threadpool_info
        pools = threadpool_info()
        blas = ", ".join(sorted({f"{p.get('internal_api')} {p.get('version')} x{p.get('num_threads')}" for p in pools}))
    except Exception:  # threadpoolctl is optional
        blas = "unknown BLAS"
    description = f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, {blas}, float64"
    path = peer_io.model_path(out_json)
    peer_io.write_model(path, start["covarianceType"], gm.weights_, gm.means_, gm.covariances_, gm.lower_bound_,
                        iters, [], description)
    peer_io.write_result(out_json, "sklearn", description, seconds, total, gm.lower_bound_, path,
                         {"n": x.shape[0], "d": x.shape[1], "k": len(gm.weights_), "type": start["covarianceType"],
                          "sklearn": sklearn.__version__})


if __name__ == "__main__":
    main()
