#!/usr/bin/python3
"""The same VAE as logp's (models/vae), in PyTorch, written the efficient way.

Encoder MLP x -> (mean, log sigma) of a diagonal Gaussian q(z|x), prior N(0, I), decoder MLP
z -> Bernoulli logits; relu between layers, none after the last. Training maximizes the ELBO with
the analytic KL and one reparameterized sample per example (Adam, the same batch size as logp).
Evaluation: the ELBO (one sample per example) and the importance-weighted estimate with k samples
per example, computed as batched tensors (`--sample-chunk` samples of a group of examples at
a time, no Python loop over examples or samples one by one), log-mean-exp in float64.
Initialization as logp's: Glorot-uniform weights, zero biases.

  /usr/bin/python3 benchmarks/peers/vae_torch.py --data data/fashion-mnist-binary.h5 --threads 2 \
      --encoder 500,500 --latent 50 --train-examples 10000 --epochs 1 --test-examples 1000 --k 5000
Prints one JSON object: training examples/s (over whole epochs), test ELBO and IWAE-k in nats
(mean ± standard error over the test examples) and the IWAE evaluation throughput.
"""
import argparse
import json
import math
import time

import h5py
import numpy as np
import torch
import torch.nn.functional as F


def read_split(path, split, count):
    with h5py.File(path, "r") as f:
        x = f[split]["x"]
        rows = x[:count] if count > 0 else x[:]
        return torch.from_numpy(np.asarray(rows, dtype=np.float32))


def mlp(sizes):
    layers = []
    for k in range(len(sizes) - 1):
        linear = torch.nn.Linear(sizes[k], sizes[k + 1])
        torch.nn.init.xavier_uniform_(linear.weight)
        torch.nn.init.zeros_(linear.bias)
        layers.append(linear)
        if k + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


class Vae(torch.nn.Module):
    def __init__(self, dim, hidden, latent):
        super().__init__()
        self.latent = latent
        self.encoder = mlp([dim] + hidden + [2 * latent])
        self.decoder = mlp([latent] + hidden[::-1] + [dim])

    def encode(self, x):  # x: B x D -> mean, log sigma: B x L
        h = self.encoder(x)
        return h[:, :self.latent], h[:, self.latent:]

    def elbo(self, x):  # B values, nats: one reparameterized sample, analytic KL
        mean, log_scale = self.encode(x)
        z = mean + torch.exp(log_scale) * torch.randn_like(mean)
        log_px_z = -F.binary_cross_entropy_with_logits(self.decoder(z), x, reduction="none").sum(1)
        kl = 0.5 * (mean ** 2 + torch.exp(2 * log_scale) - 1).sum(1) - log_scale.sum(1)
        return log_px_z - kl

    def iwae(self, x, k, chunk):  # B values, nats: log (1/k) sum_s p(x, z_s) / q(z_s | x)
        mean, log_scale = self.encode(x)
        batch, latent = mean.shape
        log_w = []
        for first in range(0, k, chunk):
            s = min(chunk, k - first)
            eps = torch.randn(s, batch, latent)
            z = mean + torch.exp(log_scale) * eps                      # s x B x L
            logits = self.decoder(z.reshape(s * batch, latent))        # (s B) x D
            log_px_z = -F.binary_cross_entropy_with_logits(
                logits, x.repeat(s, 1), reduction="none").sum(1).reshape(s, batch)
            log_pz = -0.5 * (z ** 2).sum(2) - 0.5 * latent * math.log(2 * math.pi)
            log_qz = (-0.5 * eps ** 2 - log_scale).sum(2) - 0.5 * latent * math.log(2 * math.pi)
            log_w.append((log_px_z + log_pz - log_qz).double())
        return torch.logsumexp(torch.cat(log_w, 0), 0) - math.log(k)


def mean_se(values):
    return values.mean().item(), (values.std() / math.sqrt(values.shape[0])).item()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="data/fashion-mnist-binary.h5")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--encoder", default="500,500", help="hidden sizes; the decoder mirrors them")
    parser.add_argument("--latent", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--train-examples", type=int, default=10000, help="the first N of train (0: all)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--test-examples", type=int, default=1000, help="the first N of test (0: all)")
    parser.add_argument("--k", type=int, default=5000, help="importance samples per example")
    parser.add_argument("--sample-chunk", type=int, default=500, help="samples per decoder pass and example")
    parser.add_argument("--example-group", type=int, default=1, help="examples per decoder pass")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train = read_split(args.data, "train", args.train_examples)
    test = read_split(args.data, "test", args.test_examples)
    hidden = [int(h) for h in args.encoder.split(",") if h]
    model = Vae(train.shape[1], hidden, args.latent)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)

    start = time.perf_counter()
    train_loss = 0.0
    for _ in range(args.epochs):
        order = torch.randperm(train.shape[0])
        train_loss = 0.0
        for first in range(0, train.shape[0], args.batch_size):
            batch = train[order[first:first + args.batch_size]]
            optimizer.zero_grad(set_to_none=True)
            loss = -model.elbo(batch).mean()
            loss.backward()
            optimizer.step()
            train_loss += loss.item() * batch.shape[0]
        train_loss /= train.shape[0]
    train_seconds = time.perf_counter() - start

    with torch.no_grad():
        elbo = torch.cat([model.elbo(test[f:f + 500]).double() for f in range(0, test.shape[0], 500)])
        start = time.perf_counter()
        iwae = torch.cat([model.iwae(test[f:f + args.example_group], args.k, args.sample_chunk)
                          for f in range(0, test.shape[0], args.example_group)])
        iwae_seconds = time.perf_counter() - start
    elbo_mean, elbo_se = mean_se(elbo)
    iwae_mean, iwae_se = mean_se(iwae)
    print(json.dumps({
        "peer": "pytorch", "torch_version": torch.__version__, "threads": args.threads,
        "architecture": "%d-%s-%d" % (train.shape[1], "-".join(map(str, hidden)), args.latent),
        "batch_size": args.batch_size, "train_examples": train.shape[0], "epochs": args.epochs,
        "train_seconds": train_seconds, "train_examples_per_second": args.epochs * train.shape[0] / train_seconds,
        "final_train_neg_elbo": train_loss,
        "test_examples": test.shape[0], "test_elbo": elbo_mean, "test_elbo_se": elbo_se,
        "k": args.k, "test_iwae": iwae_mean, "test_iwae_se": iwae_se,
        "iwae_seconds": iwae_seconds, "iwae_examples_per_second": test.shape[0] / iwae_seconds}))


if __name__ == "__main__":
    main()
