"""What the Python peers of the GPU run share: reading a case directory written by
`GpuRun prepare` (data.npy, float64 rows; start.json, the common start in gaussmix's model JSON) and
writing a peer's final model (the same JSON, which the report compares with the float64 CPU fit)
and its timing.

Every peer runs one fit of exactly ITERS EM iterations from the start and times each iteration
(E-step + M-step); the reported figure is the median of iterations 2..ITERS, since the first one
carries warm-up costs in every implementation (scikit-learn's initial estimate among them).
"""
import json
import os
import statistics


def load_case(case_dir):
    import numpy as np
    x = np.load(os.path.join(case_dir, "data.npy"))
    with open(os.path.join(case_dir, "start.json")) as f:
        start = json.load(f)
    if start["covarianceType"] not in ("full", "diag"):
        raise SystemExit(f"{case_dir}/start.json: covarianceType {start['covarianceType']!r}; "
                         "the peers handle full and diag")
    return x, start


def median_after_first(seconds):
    return statistics.median(seconds[1:] if len(seconds) > 1 else seconds)


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1)
    os.replace(tmp, path)


def write_model(path, cov_type, weights, means, covariances, lower_bound, iterations, history, backend):
    """A gaussmix-model JSON (version 1) with the fit's summary fields."""
    write_json(path, {"format": "gaussmix-model", "version": 1, "covarianceType": cov_type,
                      "weights": [float(v) for v in weights], "means": means.tolist(),
                      "covariances": covariances.tolist(), "converged": False, "iterations": iterations,
                      "lowerBound": float(lower_bound), "lowerBoundHistory": [float(v) for v in history],
                      "interventions": [], "backend": backend})


def write_result(out_json, peer, description, iteration_s, total_s, lower_bound, model_path, extra=None):
    """The peer's result in the shape GpuRun measure writes (its "fit" object), for the report."""
    fit = {"description": description, "iterations": len(iteration_s), "total_s": total_s,
           "median_iteration_s": median_after_first(iteration_s), "iteration_s": iteration_s,
           "lower_bound": float(lower_bound), "model": os.path.basename(model_path)}
    result = {"backend": peer, "fit": fit}
    if extra:
        result.update(extra)
    write_json(out_json, result)
    print(json.dumps(result))


def model_path(out_json):
    return out_json[:-5] + "-model.json" if out_json.endswith(".json") else out_json + "-model.json"
