"""scikit-learn's BayesianGaussianMixture started from given labels, for gaussmix's variational fit.

The same data sets and rough labels as make_labels_reference.py; for both weight priors and every
covariance type, scikit-learn's defaults for every prior, started from the labels' one-hot
responsibilities (`_initialize(X, resp)`) and run for 15 iterations with tol 0. Recorded: the priors
scikit-learn resolved, the variational parameters, weights, means, covariances, lower bound. Plus one
Dirichlet-process fit with K=10 on blobs2d (3 clusters), 200 iterations, for the effective count, and
`customPriors`: blobs2d with every prior set (CUSTOM, CUSTOM_COVARIANCE below), both priors, four types.

usage: /usr/bin/python3 make_bayesian_reference.py DIR   (writes DIR/bayesian_reference.json)
"""
import json, os, sys, warnings
import numpy as np
from sklearn.mixture import BayesianGaussianMixture
from sklearn.exceptions import ConvergenceWarning
from make_labels_reference import DATASETS, ITERATIONS, REG, rough_labels

warnings.filterwarnings("ignore", category=ConvergenceWarning)
PRIORS = {"dirichlet-process": "dirichlet_process", "dirichlet-distribution": "dirichlet_distribution"}


def tolist(v):
    return np.asarray(v, dtype=float).tolist()


CUSTOM = {"weight_concentration_prior": 0.5, "mean_precision_prior": 0.3, "mean_prior": [1.0, -1.0],
          "degrees_of_freedom_prior": 4.0}
CUSTOM_COVARIANCE = {"full": [[2.0, 0.3], [0.3, 1.0]], "tied": [[2.0, 0.3], [0.3, 1.0]], "diag": [1.5, 0.7],
                     "spherical": 0.9}


def fit(X, K, ctype, prior, labels, iters, **priors):
    resp = np.zeros((len(X), K))
    resp[np.arange(len(X)), labels] = 1.0
    gm = BayesianGaussianMixture(n_components=K, covariance_type=ctype, weight_concentration_prior_type=prior,
                                 tol=0.0, reg_covar=REG, max_iter=iters, random_state=0, **priors)
    gm._initialize_parameters = lambda X_, random_state: gm._initialize(X_, resp)
    gm.fit(X)
    wc = gm.weight_concentration_
    return {
        "priors": {"weightConcentration": float(gm.weight_concentration_prior_),
                   "meanPrecision": float(gm.mean_precision_prior_), "mean": tolist(gm.mean_prior_),
                   "degreesOfFreedom": float(gm.degrees_of_freedom_prior_),
                   "covariance": tolist(gm.covariance_prior_)},
        "nIter": int(gm.n_iter_), "lowerBound": float(gm.lower_bound_),
        "weights": tolist(gm.weights_), "means": tolist(gm.means_), "covariances": tolist(gm.covariances_),
        "weightConcentration": [tolist(wc[0]), tolist(wc[1])] if prior == "dirichlet_process" else [tolist(wc)],
        "meanPrecision": tolist(gm.mean_precision_), "degreesOfFreedom": tolist(np.atleast_1d(gm.degrees_of_freedom_)),
    }


def main(folder):
    out = {"sklearnVersion": __import__("sklearn").__version__, "maxIter": ITERATIONS, "regCovar": REG, "cases": []}
    for file, K in DATASETS.items():
        X = np.loadtxt(os.path.join(folder, file), delimiter=",", ndmin=2)
        labels = rough_labels(X, K, seed=11)
        for ours, theirs in PRIORS.items():
            for ctype in ["full", "tied", "diag", "spherical"]:
                out["cases"].append(dict(fit(X, K, ctype, theirs, labels, ITERATIONS), data=file, K=K,
                                         covarianceType=ctype, weightPrior=ours, labels=labels.tolist()))
    X = np.loadtxt(os.path.join(folder, "blobs2d.csv"), delimiter=",", ndmin=2)
    labels = rough_labels(X, 3, seed=11)
    out["customPriors"] = []
    for ours, theirs in PRIORS.items():
        for ctype in ["full", "tied", "diag", "spherical"]:
            c = fit(X, 3, ctype, theirs, labels, ITERATIONS, covariance_prior=CUSTOM_COVARIANCE[ctype], **CUSTOM)
            out["customPriors"].append(dict(c, data="blobs2d.csv", K=3, covarianceType=ctype, weightPrior=ours,
                                            labels=labels.tolist()))
    labels = rough_labels(X, 10, seed=11)
    dp = fit(X, 10, "full", "dirichlet_process", labels, 200)
    out["overSpecified"] = dict(dp, data="blobs2d.csv", K=10, covarianceType="full", weightPrior="dirichlet-process",
                                labels=labels.tolist(), maxIter=200)
    with open(os.path.join(folder, "bayesian_reference.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
