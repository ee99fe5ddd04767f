"""scikit-learn's EM started from given labels, for gaussmix's --init-labels / initLabels parity test.

For each reference dataset (blobs2d, blobs5d, lecture1d: the CSVs next to this script, made by
make_reference.py) and each covariance type: labels from the nearest of K rows drawn with a fixed
seed (a rough clustering, so that EM has work to do), then scikit-learn's GaussianMixture started
from exactly those one-hot responsibilities: its `_initialize(X, resp)` (the M-step scikit-learn runs
on any initial responsibilities) and then `max_iter` EM iterations with tol 0. Recorded: the start
(the parameters `_initialize` produced) and the fit.

usage: /usr/bin/python3 make_labels_reference.py DIR   (DIR holds the CSVs; writes DIR/labels_reference.json)
"""
import json, os, sys, warnings
import numpy as np
from sklearn.mixture import GaussianMixture
from sklearn.exceptions import ConvergenceWarning

warnings.filterwarnings("ignore", category=ConvergenceWarning)

DATASETS = {"blobs2d.csv": 3, "blobs5d.csv": 4, "lecture1d.csv": 3}
ITERATIONS = 15
REG = 1e-6


def rough_labels(X, K, seed):
    rng = np.random.default_rng(seed)
    centres = X[rng.choice(len(X), K, replace=False)]
    return ((X[:, None, :] - centres[None]) ** 2).sum(2).argmin(1)


def params(gm):
    return {"weights": gm.weights_.tolist(), "means": gm.means_.tolist(),
            "covariances": gm.covariances_.tolist()}


def case(X, K, ctype, labels, iters):
    resp = np.zeros((len(X), K))
    resp[np.arange(len(X)), labels] = 1.0
    start = GaussianMixture(n_components=K, covariance_type=ctype, reg_covar=REG)
    start._initialize(X, resp)
    gm = GaussianMixture(n_components=K, covariance_type=ctype, tol=0.0, reg_covar=REG, max_iter=iters,
                         random_state=0)
    # fit() draws its start in _initialize_parameters; this fit starts from the given responsibilities instead.
    gm._initialize_parameters = lambda X_, random_state: gm._initialize(X_, resp)
    gm.fit(X)
    return {"start": params(start),
            "fit": dict(params(gm), nIter=int(gm.n_iter_), lowerBound=float(gm.lower_bound_),
                        score=float(gm.score(X)))}


def main(folder):
    out = {"sklearnVersion": __import__("sklearn").__version__, "maxIter": ITERATIONS, "regCovar": REG, "cases": []}
    for file, K in DATASETS.items():
        X = np.loadtxt(os.path.join(folder, file), delimiter=",", ndmin=2)
        labels = rough_labels(X, K, seed=11)
        assert len(set(labels.tolist())) == K
        for ctype in ["full", "tied", "diag", "spherical"]:
            c = case(X, K, ctype, labels, ITERATIONS)
            out["cases"].append(dict(c, data=file, K=K, covarianceType=ctype, labels=labels.tolist()))
    with open(os.path.join(folder, "labels_reference.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
