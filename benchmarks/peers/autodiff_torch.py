"""PyTorch peer for bench_autodiff: the same MLP and conv training steps (forward + backward).

    /usr/bin/python3 benchmarks/peers/autodiff_torch.py [batch=100] [hidden=500] [repeats=20]
Best-of-`repeats` seconds per step at 1 and 2 threads (torch.set_num_threads).
"""
import sys
import time

import torch
import torch.nn.functional as F

batch = int(sys.argv[1]) if len(sys.argv) > 1 else 100
hidden = int(sys.argv[2]) if len(sys.argv) > 2 else 500
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 20
dim = 784
torch.manual_seed(1)
x = (torch.rand(batch, dim) < 0.3).float()
mlp = torch.nn.Sequential(torch.nn.Linear(dim, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, hidden),
                          torch.nn.ReLU(), torch.nn.Linear(hidden, dim))
conv = torch.nn.Sequential(torch.nn.Conv2d(1, 32, 3, 2, 1), torch.nn.ReLU(), torch.nn.Conv2d(32, 64, 3, 2, 1))
images = x.view(batch, 1, 28, 28)


def best(fn):
    out = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - start)
    return out


def mlp_step():
    loss = F.binary_cross_entropy_with_logits(mlp(x), x, reduction="sum")
    loss.backward()


def conv_step():
    conv(images).relu().sum().backward()


for threads in (1, 2):
    torch.set_num_threads(threads)
    print(f"torch {torch.__version__} threads {threads}: mlp {dim}-{hidden}-{hidden}-{dim} batch {batch} "
          f"{1e3 * best(mlp_step):.3f} ms/step; conv batch {batch} {1e3 * best(conv_step):.3f} ms/step")
