#!/usr/bin/python3
"""The same NADE as logp's, in PyTorch, written the vectorized way (no Python loop over pixels).

Variant "cumsum": for a batch x (B x D, raster ordering) all D hidden pre-activations come from
one exclusive cumulative sum: a[:, d] = c + sum_{k<d} W[:, k] x[:, k]  (B x D x H), then
h = sigmoid(a), logits = b + sum_h h * V (B x D), log p(x) = -BCE-with-logits summed over D.
Variant "loop": the recurrence a <- a + x_d W_d with one batch operation per position (D small
ops instead of B x D x H tensors). The benchmark reports the faster of the two as the peer.
Same initialization scheme (W ~ N(0, 1/D), V ~ N(0, 1/H), zero biases), Adam, batch size.

  python3 benchmarks/peers/nade_torch.py --data data/fashion-mnist-binary.h5 --threads 1 \
      --hidden 500 --train-batches 50 --score-examples 2000 [--epochs 1]
Prints one JSON object: training and scoring examples/s, and valid NLL after --epochs epochs.
"""
import argparse
import json
import math
import time

import h5py
import numpy as np
import torch
import torch.nn.functional as F


def read_split(path, split):
    with h5py.File(path, "r") as f:
        return np.asarray(f[split]["x"], dtype=np.float32)


class Nade(torch.nn.Module):
    def __init__(self, dim, hidden, generator, variant):
        super().__init__()
        self.variant = variant
        self.W = torch.nn.Parameter(torch.randn(dim, hidden, generator=generator) / math.sqrt(dim))  # D x H
        self.V = torch.nn.Parameter(torch.randn(dim, hidden, generator=generator) / math.sqrt(hidden))  # D x H
        self.b = torch.nn.Parameter(torch.zeros(dim))
        self.c = torch.nn.Parameter(torch.zeros(hidden))

    def log_prob(self, x):
        return self.log_prob_cumsum(x) if self.variant == "cumsum" else self.log_prob_loop(x)

    def log_prob_cumsum(self, x):  # x: B x D in {0, 1}
        wx = x.unsqueeze(2) * self.W.unsqueeze(0)           # B x D x H
        a = self.c + torch.cumsum(wx, dim=1) - wx            # exclusive prefix sums
        h = torch.sigmoid(a)
        logits = torch.einsum("bdh,dh->bd", h, self.V) + self.b
        return -F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)

    def log_prob_loop(self, x):  # the recurrence over positions, each step a batch operation
        a = self.c.expand(x.shape[0], -1)                    # B x H
        total = torch.zeros(x.shape[0])
        for d in range(x.shape[1]):
            logit = torch.sigmoid(a) @ self.V[d] + self.b[d]  # B
            total = total - F.binary_cross_entropy_with_logits(logit, x[:, d], reduction="none")
            a = a + x[:, d:d + 1] * self.W[d]
        return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="data/fashion-mnist-binary.h5")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--hidden", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--train-batches", type=int, default=50, help="batches timed for throughput")
    parser.add_argument("--score-examples", type=int, default=2000)
    parser.add_argument("--score-batch", type=int, default=200)
    parser.add_argument("--epochs", type=int, default=0, help="full epochs for the valid-NLL comparison")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--variant", choices=["cumsum", "loop"], default="cumsum",
                        help="cumsum: all positions at once (B x D x H); loop: a batch op per position")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    train = torch.from_numpy(read_split(args.data, "train"))
    valid = torch.from_numpy(read_split(args.data, "valid"))
    dim = train.shape[1]
    generator = torch.Generator().manual_seed(args.seed)
    model = Nade(dim, args.hidden, generator, args.variant)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)

    def train_step(batch):
        optimizer.zero_grad(set_to_none=True)
        loss = -model.log_prob(batch).mean()
        loss.backward()
        optimizer.step()
        return loss.item()

    # Training throughput: warm up, then time --train-batches steps.
    for k in range(3):
        train_step(train[k * args.batch_size:(k + 1) * args.batch_size])
    start = time.perf_counter()
    for k in range(args.train_batches):
        first = (k * args.batch_size) % (train.shape[0] - args.batch_size)
        train_step(train[first:first + args.batch_size])
    train_rate = args.train_batches * args.batch_size / (time.perf_counter() - start)

    # Scoring throughput.
    with torch.no_grad():
        model.log_prob(valid[: args.score_batch])
        start = time.perf_counter()
        for first in range(0, args.score_examples, args.score_batch):
            model.log_prob(valid[first:first + args.score_batch])
        score_rate = args.score_examples / (time.perf_counter() - start)

    result = {"peer": "pytorch", "variant": args.variant, "torch_version": torch.__version__, "threads": args.threads,
              "hidden": args.hidden, "batch_size": args.batch_size,
              "train_examples_per_second": train_rate, "score_examples_per_second": score_rate}

    if args.epochs > 0:  # a fresh model trained for whole epochs, for the NLL comparison
        torch.manual_seed(args.seed)
        model.__init__(dim, args.hidden, torch.Generator().manual_seed(args.seed), args.variant)
        optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
        order_generator = torch.Generator().manual_seed(args.seed)
        start = time.perf_counter()
        for _ in range(args.epochs):
            order = torch.randperm(train.shape[0], generator=order_generator)
            for first in range(0, train.shape[0], args.batch_size):
                train_step(train[order[first:first + args.batch_size]])
        result["epochs"] = args.epochs
        result["epoch_seconds"] = (time.perf_counter() - start) / args.epochs
        with torch.no_grad():
            nll = torch.cat([-model.log_prob(valid[f:f + 500]) for f in range(0, valid.shape[0], 500)])
        result["valid_nll"] = nll.mean().item()
        result["valid_nll_se"] = (nll.std() / math.sqrt(nll.shape[0])).item()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
