"""scikit-learn's BayesianGaussianMixture started from given labels, for gaussmix's variational fit.

The same data sets and rough labels as make_labels_reference.py; for both weight priors and every
covariance type, scikit-learn's defaults for every prior, started from the labels' one-hot
responsibilities (`_initialize(X, resp)`) and run for 15 iterations with tol 0. Recorded: the priors
scikit-learn resolved, the variational parameters, weights, means, covariances, lower bound. Plus one
Dirichlet-process fit with K=10 on blobs2d (3 clusters), 200 iterations, for the effective count.

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


def fit(X, K, ctype, prior, labels, iters):
    resp = np.zeros((len(X), K))
    resp[np.arange(len(X)), labels] = 1.0
    gm = BayesianGaussianMixture(n_components=K, covariance_type=ctype, weight_concentration_prior_type=prior,
                                 tol=0.0, reg_covar=REG, max_iter=iters, random_state=0)
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
    labels = rough_labels(X, 10, seed=11)
    dp = fit(X, 10, "full", "dirichlet_process", labels, 200)
    out["overSpecified"] = dict(dp, data="blobs2d.csv", K=10, covarianceType="full", weightPrior="dirichlet-process",
                                labels=labels.tolist(), maxIter=200)
    with open(os.path.join(folder, "bayesian_reference.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
