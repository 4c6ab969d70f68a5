#!/usr/bin/env python3
"""The DCGAN's convolution layers alone in PyTorch: the peer of benchmarks/bench_conv_dcgan.cpp.

    conv_dcgan_torch.py [--batch 64] [--repeats 30] [--threads 1]

Each step: y = layer(x), loss = (y * r).sum() for a fixed r, backward (gradients of the input,
weight and bias), as logp's benchmark does. Prints, per layer, the best-of-`repeats`
milliseconds per step in the same Markdown table as logp's.
"""
import argparse
import time

import torch

LAYERS = [  # name, in C, out C, in H (= W), transposed; kernel 4, stride 2, padding 1
    ("d_conv1 28x28x1->14x14x32", 1, 32, 28, False),
    ("d_conv2 14x14x32->7x7x64", 32, 64, 14, False),
    ("g_convT1 7x7x64->14x14x32", 64, 32, 7, True),
    ("g_convT2 14x14x32->28x28x1", 32, 1, 14, True),
]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--repeats", type=int, default=30)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(7)
    print(f"batch {a.batch}, best of {a.repeats}, torch {torch.__version__}, {a.threads} thread(s)")
    print("| layer | ms/step (fwd+bwd) |\n|---|---:|")
    for name, cin, cout, size, transposed in LAYERS:
        cls = torch.nn.ConvTranspose2d if transposed else torch.nn.Conv2d
        layer = cls(cin, cout, 4, 2, 1)
        x = torch.randn(a.batch, cin, size, size, requires_grad=True)
        with torch.no_grad():
            r = torch.randn_like(layer(x))
        def step():
            layer.zero_grad(set_to_none=False)
            x.grad = None
            loss = (layer(x) * r).sum()
            loss.backward()

        warm_up = time.perf_counter()
        while time.perf_counter() - warm_up < 0.3:  # untimed, as logp's benchmark: start-up effects settle
            step()
        best = float("inf")
        for _ in range(a.repeats):
            start = time.perf_counter()
            step()
            best = min(best, time.perf_counter() - start)
        print(f"| {name} | {1e3 * best:.3f} |")


if __name__ == "__main__":
    main()
