#!/usr/bin/python3
"""logp's gmm and kde against scikit-learn's GaussianMixture and KernelDensity, in one run on the
same data and splits. Writes a markdown report (stdout) with test log-likelihoods and time ratios.

usage: sklearn_density.py LOGP_BINARY WORK_DIR [--fmnist-train N] [--threads T]

Data (identical bytes for both sides):
  wine, breast-cancer      data/sklearn-*.h5 (datasets/sklearn_tables.sh), standardized with the
                           train mean/std (logp --standardize; sklearn: StandardScaler, ddof=0)
  digits (dequantized)     data/sklearn-digits.h5 + U[0,1) noise (numpy seed 0), imported as real;
                           then standardized as above
  fmnist (dequant+logit)   the first N train / 2000 valid / 2000 test images of
                           data/fashion-mnist-8bit.h5, v = (x + u)/256 (numpy seed 0),
                           z = logit(1e-6 + (1 - 2e-6) v), imported as real; standardized as above.
                           Reported as nats on the logit scale and as bits/dim on the 8-bit scale
                           (Jacobian of dequantization and logit added: one dequantization draw,
                           so these are estimates of a lower bound on the discrete likelihood).
Log-likelihoods are on each dataset's original (real) scale: the standardization's log-Jacobian
(-sum log std) is included on both sides.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings

import h5py
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import KernelDensity
from scipy.special import logsumexp
from threadpoolctl import threadpool_limits

LOGIT_ALPHA = 1e-6


def read_split(path, split):
    with h5py.File(path, "r") as f:
        return np.asarray(f[split]["x"][...], dtype=np.float64)


def import_npy(logp, work, name, splits):
    """Writes float32 npy files and turns them into a logp real dataset."""
    args = [logp, "data", "import", "--format", "npy", "--kind", "real"]
    for split, x in splits.items():
        path = os.path.join(work, f"{name}-{split}.npy")
        np.save(path, x.astype(np.float32))
        args += [f"--{split}", path]
    out = os.path.join(work, f"{name}.h5")
    subprocess.run(args + ["--out", out], check=True, stdout=subprocess.DEVNULL)
    return out


def run_json(args):
    result = subprocess.run(args, check=True, capture_output=True, text=True)
    return json.loads(result.stdout), result.stderr


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def logp_fit(logp, threads, data, out, model_args, repeats):
    """Best of `repeats` fits (the machine is shared): logp's own fit_seconds (reading the
    training split and fitting the standardization included), and the least CPU seconds of the
    whole command (process start and file output included)."""
    best = None
    for _ in range(repeats):
        cpu = children_cpu()
        fit, log = run_json([logp, "--threads", str(threads), "--json", "fit", "--data", data, "--out", out,
                             "--standardize"] + model_args)
        cpu = children_cpu() - cpu
        if best is None or fit["fit_seconds"] < best[0]:
            best = (fit["fit_seconds"], log, min(cpu, best[2]) if best else cpu)
        else:
            best = (best[0], best[1], min(cpu, best[2]))
    return best


def logp_score_in_process(bench, threads, model, data):
    """build/bench_sklearn_scoring: the model's log_prob on the test split held in memory (the
    counterpart of score_samples), best of 3."""
    result = subprocess.run([bench, model, data, "test", str(threads), "3"], check=True, capture_output=True,
                            text=True)
    return json.loads(result.stdout)["seconds"]


def logp_score(logp, threads, model, data):
    start = time.perf_counter()
    score, _ = run_json([logp, "--threads", str(threads), "--json", "score", "--model", model, "--data", data,
                         "--split", "test"])
    wall = time.perf_counter() - start
    return -score[0]["mean_nll_nats"], wall


def standardized(train, *others):
    mean, std = train.mean(axis=0), train.std(axis=0)
    log_jacobian = -np.log(std).sum()
    return [(x - mean) / std for x in (train,) + others], log_jacobian


def exact_kde(z_train, z_test, h):
    """The KDE by its definition, log-sum-exp over every training point, in float64 (blocked)."""
    d = z_train.shape[1]
    train_norms = (z_train ** 2).sum(axis=1)
    out = []
    for first in range(0, len(z_test), 256):
        block = z_test[first:first + 256]
        sq = np.maximum((block ** 2).sum(axis=1)[:, None] + train_norms[None, :] - 2 * block @ z_train.T, 0)
        out.append(logsumexp(-sq / (2 * h * h), axis=1))
    return np.concatenate(out) - np.log(len(z_train)) - d * np.log(h) - 0.5 * d * np.log(2 * np.pi)


def best_time(fn, threads_options, repeats=1):
    """Runs fn under each BLAS thread limit; returns (best seconds, its thread count, fn's value)."""
    best = None
    for threads in [t for t in threads_options for _ in range(repeats)]:
        with threadpool_limits(limits=threads):
            start, cpu = time.perf_counter(), time.process_time()
            value = fn()
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        if best is None or seconds < best[0]:
            best = (seconds, threads, value, min(cpu, best[3]) if best else cpu)
        else:
            best = best[:3] + (min(cpu, best[3]),)
    return best


def kde_bandwidth(model_path):
    with h5py.File(model_path, "r") as f:
        group = f["model"]
        if "inner" in group:
            group = group["inner"]
        return float(group.attrs["bandwidth"])


def compare_gmm(logp, threads, data, work, k, covariance, restarts, extra, repeats, iterations=None):
    """Default stopping rules (each library's own), or with `iterations`: both run exactly that many
    EM iterations (tolerance 0), the same work on both sides."""
    train, test = read_split(data, "train"), read_split(data, "test")
    model = os.path.join(work, "gmm.h5")
    fixed = ["--tolerance", "0", "--max-iterations", str(iterations)] if iterations else []
    fit_s, log, fit_cpu = logp_fit(logp, threads, data, model,
                          ["--model", "gmm", "--components", str(k), "--covariance", covariance,
                           "--restarts", str(restarts), "--seed", "0"] + fixed, repeats)
    logp_ll, _ = logp_score(logp, threads, model, data)
    (z_train, z_test), log_jac = standardized(train, test)

    def fit():
        gm = GaussianMixture(n_components=k, covariance_type=covariance, n_init=restarts, init_params="k-means++",
                             reg_covar=1e-6, max_iter=iterations or 100, tol=0.0 if iterations else 1e-3,
                             random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # tolerance 0 never converges: by design
            return gm.fit(z_train)

    sk_s, sk_threads, gm, sk_cpu = best_time(fit, [1, threads], repeats)
    sk_ll = gm.score_samples(z_test).mean() + log_jac
    return {
        "logp_ll": logp_ll + extra, "sk_ll": sk_ll + extra, "logp_fit_s": fit_s, "logp_fit_cpu_s": fit_cpu, "sk_fit_cpu_s": sk_cpu,
        "sk_fit_s": sk_s, "sk_threads": sk_threads, "sk_iter": gm.n_iter_, "sk_converged": gm.converged_,
        "logp_log": log.strip().splitlines()[-1] if log.strip() else "",
    }


def compare_kde(logp, bench, threads, data, work, extra, sklearn_thread_options):
    train, test = read_split(data, "train"), read_split(data, "test")
    model = os.path.join(work, "kde.h5")
    _, log, _ = logp_fit(logp, threads, data, model, ["--model", "kde", "--bandwidth", "valid"], 1)
    h = kde_bandwidth(model)
    logp_ll, logp_wall = logp_score(logp, threads, model, data)
    logp_in_process = logp_score_in_process(bench, threads, model, data)
    (z_train, z_test), log_jac = standardized(train, test)
    kde = KernelDensity(kernel="gaussian", bandwidth=h).fit(z_train)
    sk_s, sk_threads, values, _ = best_time(lambda: kde.score_samples(z_test), sklearn_thread_options)
    return {
        "h": h, "logp_ll": logp_ll + extra, "sk_ll": values.mean() + log_jac + extra,
        "exact_ll": exact_kde(z_train, z_test, h).mean() + log_jac + extra,
        "logp_score_s": logp_wall, "logp_score_in_process_s": logp_in_process, "sk_score_s": sk_s, "sk_threads": sk_threads,
        "n_train": len(train), "n_test": len(test), "logp_log": log.strip(),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("logp")
    parser.add_argument("bench", help="the bench_sklearn_scoring binary")
    parser.add_argument("work")
    parser.add_argument("--fmnist-train", type=int, default=10000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rng = np.random.default_rng(0)
    logp, t = args.logp, args.threads

    digits = import_npy(logp, args.work, "digits-dequantized",
                        {s: read_split("data/sklearn-digits.h5", s) + rng.random(read_split("data/sklearn-digits.h5", s).shape)
                         for s in ("train", "valid", "test")})
    fm_sizes = {"train": args.fmnist_train, "valid": 2000, "test": 2000}
    fm_logit, fm_test_jacobian = {}, None
    for split, n in fm_sizes.items():
        x = read_split("data/fashion-mnist-8bit.h5", split)[:n]
        s = LOGIT_ALPHA + (1 - 2 * LOGIT_ALPHA) * (x + rng.random(x.shape)) / 256.0
        fm_logit[split] = np.log(s) - np.log1p(-s)
        if split == "test":  # log|dz/dx| per example, x on the 8-bit scale (z = logit(...))
            fm_test_jacobian = (np.log1p(-2 * LOGIT_ALPHA) - np.log(s) - np.log1p(-s)).sum(axis=1) - 784 * np.log(256)
    fmnist = import_npy(logp, args.work, f"fmnist-dequant-logit-{args.fmnist_train}", fm_logit)

    runs = [
        ("wine", "data/sklearn-wine.h5", 13, [(3, "full", 5)], True),
        ("breast-cancer", "data/sklearn-breast-cancer.h5", 30, [(3, "full", 5)], True),
        ("digits (dequantized)", digits, 64, [(10, "full", 3), (10, "diag", 3)], True),
        (f"fmnist (dequant+logit, {args.fmnist_train} train)", fmnist, 784, [(10, "diag", 1)], True),
    ]
    # EM at equal work: one initialization, a fixed number of iterations on both sides.
    engine = [
        ("digits (dequantized)", digits, [(k, "full", 50) for k in (3, 5, 10)] + [(10, "diag", 50), (10, "tied", 50),
                                                                                    (10, "spherical", 50)]),
        (f"fmnist (dequant+logit, {args.fmnist_train} train)", fmnist, [(10, "diag", 20), (3, "full", 5)]),
    ]
    rows_engine = []
    for name, data, cases in engine:
        for k, cov, iterations in cases:
            r = compare_gmm(logp, t, data, args.work, k, cov, 1, 0.0, 3, iterations)
            r.update(name=name, k=k, cov=cov, iterations=iterations)
            rows_engine.append(r)
            print(json.dumps(r), file=sys.stderr, flush=True)
    rows_gmm, rows_kde = [], []
    for name, data, dim, gmms, do_kde in runs:
        big = dim > 100
        for k, cov, restarts in gmms:
            r = compare_gmm(logp, t, data, args.work, k, cov, restarts, 0.0, 1 if big else 3)
            r.update(name=name, k=k, cov=cov, restarts=restarts, dim=dim)
            rows_gmm.append(r)
            print(json.dumps(r), file=sys.stderr, flush=True)
        if do_kde:
            r = compare_kde(logp, args.bench, t, data, args.work, 0.0, [1] if big else [1, t])
            r.update(name=name, dim=dim)
            rows_kde.append(r)
            print(json.dumps(r), file=sys.stderr, flush=True)

    fm_shift = float(fm_test_jacobian.mean())  # nats: logit-scale log p + this = 8-bit-scale log p

    def bits(ll, row):
        if row["name"].startswith("fmnist"):
            return f" ({-(ll + fm_shift) / (784 * np.log(2)):.3f} b/d 8-bit)"
        return ""

    print("## GaussianMixture vs logp gmm (test log-likelihood, nats/example; fit time)\n")
    print("| data | K | cov | restarts | logp test LL | sklearn test LL | logp fit s | sklearn fit s (threads) "
          "| fit speedup | CPU s logp / sklearn | CPU ratio | sklearn iters |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows_gmm:
        print(f"| {r['name']} | {r['k']} | {r['cov']} | {r['restarts']} | {r['logp_ll']:.3f}{bits(r['logp_ll'], r)} "
              f"| {r['sk_ll']:.3f}{bits(r['sk_ll'], r)} | {r['logp_fit_s']:.3f} | {r['sk_fit_s']:.3f} ({r['sk_threads']}) "
              f"| {r['sk_fit_s'] / r['logp_fit_s']:.1f}x | {r['logp_fit_cpu_s']:.3f} / {r['sk_fit_cpu_s']:.3f} "
              f"| {r['sk_fit_cpu_s'] / r['logp_fit_cpu_s']:.1f}x | {r['sk_iter']}{'' if r['sk_converged'] else ' (not converged)'} |")
    print("\n## EM at equal work: one k-means++ initialization, then exactly N EM iterations on both sides (tolerance 0)\n")
    print("| data | K | cov | N | logp test LL | sklearn test LL | logp fit s | sklearn fit s (threads) | speedup "
          "| CPU s logp / sklearn | CPU ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows_engine:
        print(f"| {r['name']} | {r['k']} | {r['cov']} | {r['iterations']} | {r['logp_ll']:.3f} | {r['sk_ll']:.3f} "
              f"| {r['logp_fit_s']:.3f} | {r['sk_fit_s']:.3f} ({r['sk_threads']}) | {r['sk_fit_s'] / r['logp_fit_s']:.1f}x "
              f"| {r['logp_fit_cpu_s']:.3f} / {r['sk_fit_cpu_s']:.3f} | {r['sk_fit_cpu_s'] / r['logp_fit_cpu_s']:.1f}x |")
    print("\nlogp's fit seconds include reading the training split and fitting the standardization; "
          "scikit-learn's are `fit` on the standardized array in memory. Best of 3 on both sides.")
    print("\nlogp EM logs (kept restart):\n")
    for r in rows_gmm:
        print(f"- {r['name']} K={r['k']} {r['cov']}: {r['logp_log']}")
    print("\n## KernelDensity vs logp kde (same bandwidth; test log-likelihood; scoring time of the test split)\n")
    print("| data | N train | N test | bandwidth (standardized) | logp test LL | sklearn test LL | exact (numpy) test LL "
          "| logp log_prob s (in process) | logp score s (whole command) | sklearn score_samples s | scoring speedup (in process) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows_kde:
        print(f"| {r['name']} | {r['n_train']} | {r['n_test']} | {r['h']:.6g} | {r['logp_ll']:.3f}{bits(r['logp_ll'], r)} "
              f"| {r['sk_ll']:.3f}{bits(r['sk_ll'], r)} | {r['exact_ll']:.3f} | {r['logp_score_in_process_s']:.4f} | {r['logp_score_s']:.3f} "
              f"| {r['sk_score_s']:.4f} | {r['sk_score_s'] / r['logp_score_in_process_s']:.1f}x |")
    print("\nBandwidth chosen by logp (`--bandwidth valid`, grid of 30 on the valid split):\n")
    for r in rows_kde:
        print(f"- {r['name']}: {r['logp_log']}")


if __name__ == "__main__":
    main()
