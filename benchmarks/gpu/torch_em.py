"""A PyTorch EM for a Gaussian mixture, written the way a user would write it: float32 on the device,
the Mahalanobis term through the precision Cholesky factor as batched matrix products, rows in
chunks so the K x rows x D intermediates fit in memory, responsibilities kept for all rows (N x K),
scikit-learn's M-step (covariances about the new means, reg_covar 1e-6 on the diagonal).

    python3 torch_em.py CASE_DIR OUT.json ITERS [--device cuda|cpu] [--chunk-mb MB]

Reads CASE_DIR/data.npy and start.json (see peer_io.py), runs one untimed iteration on the first
rows (CUDA context, cuBLAS handles, kernel selection), then exactly ITERS iterations from the start
on all rows, each timed with perf_counter after torch.cuda.synchronize(). Writes OUT.json (timing)
and OUT-model.json (the final model; lowerBound = the mean log-likelihood of the last E-step, as
scikit-learn and gaussmix report it).
"""
import argparse
import math
import time

import torch

import peer_io

LOG_2PI = math.log(2 * math.pi)


class Mixture:
    """Parameters in float32 on the device: log weights, means, and the precision Cholesky factor
    (full: K x D x D upper triangular U with precision = U U^T; diag: K x D, 1/sqrt(variance))."""

    def __init__(self, cov_type, weights, means, covariances):
        self.cov_type = cov_type
        self.weights = weights
        self.means = means
        self.covariances = covariances
        self.log_w = torch.log(weights)
        if cov_type == "full":
            chol = torch.linalg.cholesky(covariances)
            eye = torch.eye(means.shape[1], dtype=means.dtype, device=means.device).expand_as(chol)
            self.prec_chol = torch.linalg.solve_triangular(chol, eye, upper=False).mT
            self.log_det = torch.log(torch.diagonal(self.prec_chol, dim1=-2, dim2=-1)).sum(-1)
        else:
            self.prec_chol = torch.rsqrt(covariances)
            self.log_det = torch.log(self.prec_chol).sum(-1)

    def log_prob(self, x):
        """Weighted log densities of a chunk of rows: rows x K."""
        d = x.shape[1]
        if self.cov_type == "full":
            y = torch.matmul(x.unsqueeze(0), self.prec_chol) - torch.matmul(self.means.unsqueeze(1), self.prec_chol)
            maha = y.square().sum(-1).T
        else:
            prec = self.prec_chol.square()
            maha = ((self.means.square() * prec).sum(1) - 2 * x @ (self.means * prec).T + x.square() @ prec.T)
        return -0.5 * (d * LOG_2PI + maha) + self.log_det + self.log_w


def em_iteration(x, mix, chunk, reg_covar=1e-6):
    """One E-step over all rows (chunked), then the M-step; returns (new mixture, mean log-likelihood)."""
    n, d = x.shape
    resp = torch.empty((n, mix.means.shape[0]), dtype=x.dtype, device=x.device)
    ll = torch.zeros((), dtype=torch.float64, device=x.device)
    for r0 in range(0, n, chunk):
        lp = mix.log_prob(x[r0:r0 + chunk])
        lse = torch.logsumexp(lp, dim=1)
        resp[r0:r0 + chunk] = torch.exp(lp - lse.unsqueeze(1))
        ll += lse.double().sum()
    nk = resp.sum(0) + 10 * torch.finfo(x.dtype).eps
    means = (resp.T @ x) / nk.unsqueeze(1)
    if mix.cov_type == "full":
        cov = torch.zeros((means.shape[0], d, d), dtype=x.dtype, device=x.device)
        for r0 in range(0, n, chunk):
            diff = x[r0:r0 + chunk].unsqueeze(0) - means.unsqueeze(1)
            cov += (resp[r0:r0 + chunk].T.unsqueeze(-1) * diff).mT @ diff
        cov = cov / nk.view(-1, 1, 1) + reg_covar * torch.eye(d, dtype=x.dtype, device=x.device)
    else:
        sq = torch.zeros_like(means)
        for r0 in range(0, n, chunk):
            xc = x[r0:r0 + chunk]
            sq += resp[r0:r0 + chunk].T @ xc.square()
        cov = sq / nk.unsqueeze(1) - means.square() + reg_covar
    return Mixture(mix.cov_type, nk / n, means, cov), (ll / n).item()


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("case_dir")
    ap.add_argument("out_json")
    ap.add_argument("iters", type=int)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--chunk-mb", type=float, default=1024,
                    help="bytes of the largest per-chunk intermediate (K x rows x D for full, rows x K for diag)")
    a = ap.parse_args()
    device = torch.device(a.device)
    x64, start = peer_io.load_case(a.case_dir)
    cov_type = start["covarianceType"]
    x = torch.from_numpy(x64).to(device=device, dtype=torch.float32)
    del x64

    def tensor(key):
        return torch.tensor(start[key], dtype=torch.float32, device=device)

    mix0 = Mixture(cov_type, tensor("weights"), tensor("means"), tensor("covariances"))
    n, d = x.shape
    k = mix0.means.shape[0]
    per_row = 4 * k * (d if cov_type == "full" else 1)
    chunk = max(1024, int(a.chunk_mb * 2 ** 20 / per_row))

    em_iteration(x[: min(n, 65536)], mix0, chunk)   # warm-up, untimed
    sync(device)
    mix, history, seconds = mix0, [], []
    t_all = time.perf_counter()
    for _ in range(a.iters):
        t0 = time.perf_counter()
        mix, ll = em_iteration(x, mix, chunk)
        sync(device)
        seconds.append(time.perf_counter() - t0)
        history.append(ll)
    total = time.perf_counter() - t_all

    name = torch.cuda.get_device_name(device) if device.type == "cuda" else f"cpu ({torch.get_num_threads()} threads)"
    description = f"torch {torch.__version__} on {name}, float32, chunks of {chunk} rows"
    model = peer_io.model_path(a.out_json)
    covs = mix.covariances.double().cpu().numpy()
    peer_io.write_model(model, cov_type, mix.weights.double().cpu().numpy(), mix.means.double().cpu().numpy(),
                        covs, history[-1], a.iters, history, description)
    peer_io.write_result(a.out_json, "torch", description, seconds, total, history[-1], model,
                         {"n": n, "d": d, "k": k, "type": cov_type, "torch": torch.__version__})


if __name__ == "__main__":
    main()
