#!/usr/bin/env python3
"""Writes N x D float32 rows of an overlapping Gaussian mixture to a .npy file in chunks (constant memory).

K components with means ~3 standard deviations apart (per-coordinate spread chosen for that at any D)
and random full covariances, weights from a Dirichlet(5) draw; the mixture depends only on --seed, the
rows on --seed and N, so the 1e6-row file of the comparison has the big file's distribution.
usage: generate.py OUT.npy ROWS [--cols 16] [--k 8] [--seed 1]
"""
import argparse

import numpy as np

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("rows", type=int)
p.add_argument("--cols", type=int, default=16)
p.add_argument("--k", type=int, default=8)
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()

mix = np.random.default_rng(a.seed)
d, k = a.cols, a.k
# Two means with per-coordinate spread s are s * sqrt(2 d) apart; s = 3 / sqrt(2 d) puts them ~3 SD apart.
means = mix.normal(0.0, 3.0 / np.sqrt(2 * d), size=(k, d))
factors = []
for _ in range(k):
    m = np.eye(d) + 0.3 * mix.normal(size=(d, d)) / np.sqrt(d)
    factors.append(m)   # covariance m m^T: near-identity, correlated
weights = mix.dirichlet(np.full(k, 5.0))

out = np.lib.format.open_memmap(a.out, mode="w+", dtype="<f4", shape=(a.rows, d))
rows = np.random.default_rng([a.seed, a.rows])
chunk = 1_000_000
for start in range(0, a.rows, chunk):
    n = min(chunk, a.rows - start)
    labels = rows.choice(k, size=n, p=weights)
    z = rows.normal(size=(n, d))
    x = np.empty((n, d))
    for c in range(k):
        sel = labels == c
        x[sel] = means[c] + z[sel] @ factors[c].T
    out[start:start + n] = x.astype("<f4")
out.flush()
del out
