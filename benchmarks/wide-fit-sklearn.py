#!/usr/bin/env python3
"""scikit-learn's side of the wide-data comparison (issue 11.17): read a CSV, fit a one-component full
GaussianMixture, save its parameters as JSON (the fields gaussmix's model file holds), and print the time
of each phase. Compare with: benchmarks/fit-phases.py -- java -jar target/gaussmix.jar fit DATA.csv -k 1 -o m.json

usage: benchmarks/wide-fit-sklearn.py DATA.csv OUT.json [K]
"""
import json
import sys
import time

t0 = time.time()
import numpy as np  # noqa: E402  (timed with the start-up)
from sklearn.mixture import GaussianMixture  # noqa: E402

x = np.loadtxt(sys.argv[1], delimiter=",")
t1 = time.time()
k = int(sys.argv[3]) if len(sys.argv) > 3 else 1
g = GaussianMixture(k, covariance_type="full", random_state=0).fit(x)
t2 = time.time()
with open(sys.argv[2], "w") as f:
    json.dump({"weights": g.weights_.tolist(), "means": g.means_.tolist(), "covariances": g.covariances_.tolist(),
               "precisionsCholesky": g.precisions_cholesky_.tolist()}, f, indent=1)
t3 = time.time()
print(f"import + read {t1 - t0:.2f} s, fit {t2 - t1:.2f} s ({g.n_iter_} iterations), write {t3 - t2:.2f} s, "
      f"whole {t3 - t0:.2f} s")
