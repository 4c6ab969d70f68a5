#!/usr/bin/env python3
"""Sample-based metrics: `logp eval-samples` against a numpy/PyTorch reference, in one run.

The reference is written the efficient way: float64 throughout, squared distances as blocked
GEMMs (||a||^2 + ||b||^2 - 2 a b^T, clamped at 0), torch.topk for the k-NN, logsumexp for
Parzen, torch.linalg.eigh for FID. It reproduces logp's seeded draws (xoshiro256** seeded by
splitmix64, the partial Fisher-Yates subsets of include/logp/eval/sample_metrics) so that every
value can be compared, not only the deterministic ones; the draws are made before its timer
starts. Inputs: the binarized Fashion-MNIST test split (real), samples of a logp model, train
and valid splits (copying test, Parzen bandwidth), as 784 pixels and through a fixed random
projection to 256 features.

  python3 benchmarks/sample_metrics_vs_torch.py --logp build-tests/logp \
      --data /work/data/fashion-mnist-binary.h5 --samples MODEL.samples-0-10000.h5 --n 10000 \
      --out benchmarks/results/sample-metrics-vs-torch
"""
import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

# The peer at its best: let OpenBLAS pick its kernels for this CPU (benchmarks/peers/peer_env.sh).
for _pin in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(_pin, None)

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

MASK = (1 << 64) - 1
BLOCK = 2048  # query rows per distance block


class Rng:
    """logp's Rng (src/core/rng.cpp), bit for bit."""

    def __init__(self, seed):
        self.s = []
        x = seed & MASK
        for _ in range(4):
            x, z = self._splitmix(x)
            self.s.append(z)

    @staticmethod
    def _splitmix(x):
        x = (x + 0x9E3779B97F4A7C15) & MASK
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return x, z ^ (z >> 31)

    @staticmethod
    def _rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK

    def next_u64(self):
        s = self.s
        result = (self._rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self._rotl(s[3], 45)
        return result

    def uniform_index(self, n):
        threshold = ((1 << 64) - n) % n
        draw = self.next_u64()
        while draw < threshold:
            draw = self.next_u64()
        return draw % n

    def split(self, stream):
        mix = self.s[0] ^ self._rotl(self.s[3], 13)
        _, z = self._splitmix(mix)
        return Rng(z ^ ((stream * 0xD1B54A32D192ED03 + 0x8CB92BA72F3D8DD7) & MASK))


def draw(n, count, rng):
    order = list(range(n))
    for i in range(count):
        j = i + rng.uniform_index(n - i)
        order[i], order[j] = order[j], order[i]
    return order[:count]


def sqdist(a, b):
    """a: n x F, b: m x F (float64) -> n x m squared distances."""
    d = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * (a @ b.T)
    return d.clamp_min_(0.0)


def blocks(n):
    return [(i, min(n, i + BLOCK)) for i in range(0, n, BLOCK)]


# ---- metrics (x: real N x F, y: samples M x F, torch float64) ----

def moments(x, w=None):
    if w is None:
        mu = x.mean(0)
        xc = x - mu
        return mu, xc.T @ xc / (x.shape[0] - 1)
    total = w.sum()
    mu = (w @ x) / total
    xc = x - mu
    return mu, (xc * w[:, None]).T @ xc / (total - 1)


def frechet(mu1, c1, mu2, c2):
    l, v = torch.linalg.eigh(c1)
    root = (v * l.clamp_min(0).sqrt()) @ v.T
    mid = root @ c2 @ root
    mid = 0.5 * (mid + mid.T)
    tr = torch.linalg.eigvalsh(mid).clamp_min(0).sqrt().sum()
    return max(float((mu1 - mu2).pow(2).sum() + c1.trace() + c2.trace() - 2 * tr), 0.0)


def fid(x, y, boot):
    value = frechet(*moments(x), *moments(y))
    vals = [frechet(*moments(x, wr), *moments(y, wy)) for wr, wy in boot]
    return value, float(np.std(vals, ddof=1))


def kid(x, y, subsets):
    f = x.shape[1]
    vals = []
    for xi, yi in subsets:
        a, b = x[xi], y[yi]
        n = a.shape[0]
        kxx = (a @ a.T / f + 1) ** 3
        kyy = (b @ b.T / f + 1) ** 3
        kxy = (a @ b.T / f + 1) ** 3
        vals.append(float((kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1)) +
                          (kyy.sum() - kyy.diagonal().sum()) / (n * (n - 1)) - 2 * kxy.sum() / (n * n)))
    return float(np.mean(vals)), float(np.std(vals))


def gauss_sum(a, b, inv, same):
    total = 0.0
    for i0, i1 in blocks(a.shape[0]):
        k = torch.exp(-sqdist(a[i0:i1], b) * inv)
        if same:
            k[torch.arange(i1 - i0), torch.arange(i0, i1)] = 0.0
        total += float(k.sum())
    return total


def mmd(x, y, ri, si, perms):
    n, m = x.shape[0], y.shape[0]
    pooled = torch.cat([x[ri], y[si]])
    p, ns = pooled.shape[0], len(ri)
    d2 = sqdist(pooled, pooled)
    d2.fill_diagonal_(0.0)
    iu = torch.triu_indices(p, p, 1)
    upper = d2[iu[0], iu[1]]
    sigma = float(upper.kthvalue((upper.numel() - 1) // 2 + 1).values.sqrt())
    inv = 1.0 / (2 * sigma * sigma)
    value = (gauss_sum(x, x, inv, True) / (n * (n - 1)) + gauss_sum(y, y, inv, True) / (m * (m - 1)) -
             2 * gauss_sum(y, x, inv, False) / (n * m))
    k = torch.exp(-d2 * inv)

    def stat(a):  # a: P x B indicators of "real"
        ka = k @ a
        sxx = (a * ka).sum(0)
        ax = a.T @ k.sum(1)
        total = k.sum()
        ms = p - ns
        sxy, syy = ax - sxx, total - 2 * ax + sxx
        return (sxx - ns) / (ns * (ns - 1)) + (syy - ms) / (ms * (ms - 1)) - 2 * sxy / (ns * ms)

    first = torch.zeros(p, 1, dtype=torch.float64)
    first[:ns] = 1
    t = float(stat(first)[0])
    labels = torch.zeros(p, len(perms), dtype=torch.float64)
    for b, idx in enumerate(perms):
        labels[idx, b] = 1
    null = stat(labels)
    pval = (1 + int((null >= t).sum())) / (1 + len(perms))
    return value, float(null.std()), pval


def kth(a, b, k, exclude_self):
    """k-th nearest distance^2 from each row of a to b (a is b when exclude_self)."""
    out = torch.empty(a.shape[0], dtype=torch.float64)
    kk = k + 1 if exclude_self else k
    for i0, i1 in blocks(a.shape[0]):
        d2 = sqdist(a[i0:i1], b)
        if exclude_self:
            d2[torch.arange(i1 - i0), torch.arange(i0, i1)] = -1.0  # self first, then k others
        out[i0:i1] = d2.topk(kk, dim=1, largest=False).values[:, kk - 1]
    return out


def prdc(x, y):
    r3, r5, s3 = kth(x, x, 3, True), kth(x, x, 5, True), kth(y, y, 3, True)
    inside, dens = [], []
    for i0, i1 in blocks(y.shape[0]):
        d2 = sqdist(y[i0:i1], x)
        inside.append((d2 <= r3[None, :]).any(1))
        dens.append((d2 < r5[None, :]).sum(1))
    rec, cov = [], []
    for i0, i1 in blocks(x.shape[0]):
        d2 = sqdist(x[i0:i1], y)
        rec.append((d2 <= s3[None, :]).any(1))
        cov.append(d2.min(1).values < r5[i0:i1])
    as_float = lambda parts: torch.cat(parts).double()
    return {"precision": float(as_float(inside).mean()), "recall": float(as_float(rec).mean()),
            "density": float(as_float(dens).mean() / 5), "coverage": float(as_float(cov).mean())}


def c2st(x, y, ro, so, k=5):
    n = len(ro)
    nt = n // 2
    train = torch.cat([x[ro[:nt]], y[so[:nt]]])
    test = torch.cat([x[ro[nt:]], y[so[nt:]]])
    integer = bool(torch.all(train == train.round())) and bool(torch.all(test == test.round()))
    tie = torch.arange(train.shape[0], dtype=torch.float64) * (1e-6 / train.shape[0])  # smaller index first
    correct = 0
    n_test = n - nt
    for i0, i1 in blocks(test.shape[0]):
        d2 = sqdist(test[i0:i1], train)
        if integer:
            d2 = d2 + tie[None, :]
        idx = d2.topk(k, dim=1, largest=False).indices
        says_sample = (idx >= nt).sum(1) * 2 > k
        is_sample = torch.arange(i0, i1) >= n_test
        correct += int((says_sample == is_sample).sum())
    return correct / (2 * n_test)


def parzen(samples, valid, test):
    mean = samples.mean(0)
    s = float(((samples - mean) ** 2).sum().sqrt() / np.sqrt(samples.numel()))
    grid = [s / 20 * 40 ** (i / 9) for i in range(10)]
    f, m = samples.shape[1], samples.shape[0]

    def logp(q, sig):
        out = []
        for i0, i1 in blocks(q.shape[0]):
            d2 = sqdist(q[i0:i1], samples)
            out.append(torch.logsumexp(-d2 / (2 * sig * sig), 1) - np.log(m) - 0.5 * f * np.log(2 * np.pi * sig * sig))
        return torch.cat(out)

    best = max(grid, key=lambda sig: float(logp(valid, sig).mean()))
    return float(logp(test, best).mean())


def copying(train, samples, test):
    def nearest(q):
        return torch.cat([sqdist(q[i0:i1], train).min(1).values for i0, i1 in blocks(q.shape[0])]).sqrt().numpy()

    a, b = nearest(samples), nearest(test)
    pooled = np.concatenate([a, b])
    values, inverse, counts = np.unique(pooled, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    ranks = (ends - (counts - 1) / 2.0)[inverse]  # mid-ranks
    n1, n2 = len(a), len(b)
    u = ranks[:n1].sum() - n1 * (n1 + 1) / 2
    t = n1 + n2
    var = n1 * n2 / 12 * ((t + 1) - (counts ** 3 - counts).sum() / (t * (t - 1)))
    return float((u - n1 * n2 / 2) / np.sqrt(var))


# ---- the run ----

def run_reference(x, y, train, valid, seed, args):
    n, m = x.shape[0], y.shape[0]
    draws = {}
    base = Rng(seed)
    boot = []
    for b in range(args.fid_bootstrap):
        r = base.split(b)
        wr = np.zeros(n)
        ws = np.zeros(m)
        for _ in range(n):
            wr[r.uniform_index(n)] += 1
        for _ in range(m):
            ws[r.uniform_index(m)] += 1
        boot.append((torch.from_numpy(wr), torch.from_numpy(ws)))
    size = min(args.kid_subset_size, n, m)
    subsets = []
    for s in range(args.kid_subsets):
        r = base.split(s)
        subsets.append((draw(n, size, r), draw(m, size, r)))
    r = Rng(seed)
    ns, ms = min(n, args.test_subset), min(m, args.test_subset)
    ri, si = draw(n, ns, r), draw(m, ms, r)
    perms = [draw(ns + ms, ns, r) for _ in range(args.permutations)]
    r = Rng(seed)
    nc = min(n, m)
    ro, so = draw(n, nc, r), draw(m, nc, r)

    values, times = {}, {}

    def timed(name, fn):
        start = time.perf_counter()
        out = fn()
        times[name] = time.perf_counter() - start
        return out

    values["fid"], values["fid_spread"] = timed("fid", lambda: fid(x, y, boot))
    values["kid"], values["kid_spread"] = timed("kid", lambda: kid(x, y, subsets))
    values["mmd2"], values["mmd2_spread"], values["mmd2_p"] = timed("mmd", lambda: mmd(x, y, ri, si, perms))
    values.update(timed("prdc", lambda: prdc(x, y)))
    values["c2st"] = timed("c2st", lambda: c2st(x, y, ro, so))
    values["parzen_ll"] = timed("parzen", lambda: parzen(y, valid, x))
    values["copying_z"] = timed("copying", lambda: copying(train, y, x))
    return values, times


def run_logp(args, paths):
    cmd = [args.logp, "--json", "eval-samples", "--real-features", paths["real"], "--sample-features",
           paths["samples"], "--train-features", paths["train"], "--valid-features", paths["valid"],
           "--seed", str(args.seed), "--permutations", str(args.permutations), "--test-subset", str(args.test_subset),
           "--kid-subsets", str(args.kid_subsets), "--kid-subset-size", str(args.kid_subset_size),
           "--fid-bootstrap", str(args.fid_bootstrap)]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    metrics = json.loads(done.stdout)["rows"][0]["metrics"]
    values = {name: metrics[name]["value"] for name in metrics}
    values["fid_spread"] = metrics["fid"]["spread"]
    values["kid_spread"] = metrics["kid"]["spread"]
    values["mmd2_spread"] = metrics["mmd2"]["spread"]
    values["mmd2_p"] = metrics["mmd2"]["p_value"]
    times = {name: float(sec) for name, sec in re.findall(r"(\w+) ([0-9.]+)s", done.stderr.split("examples):")[-1])}
    return values, times, seconds, " ".join(cmd)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--logp", required=True)
    parser.add_argument("--data", required=True, help="logp dataset file (real: test; train, valid)")
    parser.add_argument("--samples", required=True, help="logp dataset file with a 'samples' split")
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--permutations", type=int, default=500)
    parser.add_argument("--test-subset", type=int, default=1000)
    parser.add_argument("--kid-subsets", type=int, default=100)
    parser.add_argument("--kid-subset-size", type=int, default=1000)
    parser.add_argument("--fid-bootstrap", type=int, default=10)
    parser.add_argument("--out", required=True, help="directory for result.json")
    args = parser.parse_args()
    torch.set_grad_enabled(False)
    torch.set_num_threads(os.cpu_count())  # as many threads as logp (TBB: all cores)

    with h5py.File(args.data, "r") as f:
        pixels = {split: f[split]["x"][: args.n].astype(np.float64) for split in ("test", "train", "valid")}
    with h5py.File(args.samples, "r") as f:
        pixels["samples"] = f["samples"]["x"][: args.n].astype(np.float64)
    projection = np.random.default_rng(12345).standard_normal((pixels["test"].shape[1], 256)) / np.sqrt(
        pixels["test"].shape[1])
    spaces = {"pixels (784)": pixels, "random projection (256)": {k: v @ projection for k, v in pixels.items()}}

    report = {"command": " ".join(sys.argv), "machine": {"cpu": platform.processor() or platform.machine(),
                                                          "cores": os.cpu_count(),
                                                          "torch_threads": torch.get_num_threads(),
                                                          "torch": torch.__version__, "numpy": np.__version__},
              "n": args.n, "spaces": []}
    with tempfile.TemporaryDirectory() as tmp:
        for space, sets in spaces.items():
            paths = {}
            for name, values in sets.items():
                paths[name] = os.path.join(tmp, name + ".npy")
                np.save(paths[name], values)
            paths["real"] = paths["test"]
            logp_values, logp_times, logp_seconds, command = run_logp(args, paths)
            t = {k: torch.from_numpy(v) for k, v in sets.items()}
            start = time.perf_counter()
            ref_values, ref_times = run_reference(t["test"], t["samples"], t["train"], t["valid"], args.seed, args)
            ref_seconds = time.perf_counter() - start  # includes its seeded draws (pure Python)
            compared = {}
            for name, ref in ref_values.items():
                got = logp_values.get(name)
                rel = abs(got - ref) / max(abs(ref), 1e-300) if got is not None else None
                compared[name] = {"logp": got, "reference": ref, "relative_difference": rel}
            report["spaces"].append({"space": space, "logp_command": command, "logp_seconds": logp_seconds,
                                     "logp_metric_seconds": logp_times, "reference_seconds": ref_seconds,
                                     "reference_metric_seconds": ref_times, "values": compared})
            print(f"{space}: logp {logp_seconds:.1f} s, reference {ref_seconds:.1f} s "
                  f"(ratio {ref_seconds / logp_seconds:.2f})", flush=True)
            for name, c in compared.items():
                print(f"  {name:12s} logp {c['logp']!s:>24} reference {c['reference']!s:>24} rel {c['relative_difference']}")
            for name in ref_times:
                print(f"  time {name:8s} logp {logp_times.get(name, float('nan')):7.1f} s  reference {ref_times[name]:7.1f} s")
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "result.json.tmp"), "w") as f:
        json.dump(report, f, indent=2)
    os.replace(os.path.join(args.out, "result.json.tmp"), os.path.join(args.out, "result.json"))


if __name__ == "__main__":
    main()
