#!/usr/bin/python3
"""The same DCGAN as logp's (`logp fit dcgan`), in PyTorch, written the efficient way.

Model (C = --channels, default 32; images H x W x 1 with H, W divisible by 4, 28 x 28 here):
  Generator      z ~ N(0, I_64) -> Linear(64, 2C*H/4*W/4) -> reshape 2C x H/4 x W/4 -> BatchNorm2d -> ReLU
                 -> ConvTranspose2d(2C, C, 4, stride 2, padding 1) -> BatchNorm2d -> ReLU
                 -> ConvTranspose2d(C, 1, 4, 2, 1) -> tanh                     (N x 1 x H x W in [-1, 1])
  Discriminator  Conv2d(1, C, 4, 2, 1) -> LeakyReLU(0.2) -> Conv2d(C, 2C, 4, 2, 1) -> BatchNorm2d
                 -> LeakyReLU(0.2) -> flatten -> Linear(2C*H/4*W/4, 1)                 (a logit)
Every Linear/Conv has a bias (zero-initialized; before a BatchNorm it is cancelled by the batch
mean, so it only costs a broadcast add). Init as DCGAN: conv/linear weights N(0, 0.02), BN gamma
N(1, 0.02), beta 0. BatchNorm: torch defaults (momentum 0.1, eps 1e-5), training mode (batch
statistics) throughout training, eval mode (running statistics) for --samples.
--bn-shard S (default 0: off) normalizes each S-example slice of a batch with its own batch
statistics ("ghost" batch norm), as logp does with its TBB shards (AdversarialTrainOptions::
shard_size, 16 by default): use it to compare losses and samples with logp; the running
statistics then move (momentum 0.1) to the whole batch's mean and unbiased variance, once per
BatchNorm call (logp folds once per player update, pooling all passes of that update). Off, the
BatchNorm layers are plain nn.BatchNorm2d over the whole batch (what the throughput comparison
uses: the standard PyTorch model).
Loss: the non-saturating GAN loss with BCEWithLogits (batch means). One iteration ("step"):
  D step: d_loss = BCE(D(x), 1) + BCE(D(G(z).detach()), 0), real and fake as two separate forward
          passes (so each gets its own BatchNorm batch statistics, as in the DCGAN reference code);
          G(z) for this step is computed under no_grad (it is detached anyway); Adam step on D.
  G step: fresh z; g_loss = BCE(D(G(z)), 1) (D in training mode, its parameters frozen so no
          weight gradients are computed for D); Adam step on G.
Adam lr 2e-4, betas (0.5, 0.999) for both. Batches: a fresh random permutation of the split each
epoch, full batches only (the last partial batch of an epoch is dropped); --max-steps stops early.
Data: a logp dataset file (split/x is N x D uint8, attribute shape = [H, W, C], pixels in row-major
H, W, C order), scaled to [-1, 1] as 2*x/(levels-1) - 1 (levels 256: 2*x/255 - 1), held in memory
as one N x 1 x H x W float32 tensor; loading it is not timed.

Timing: time.perf_counter around the training loop only (batch gathering, z draws, forward,
backward and both Adam updates; no data loading, no sampling, no file writing).

  /usr/bin/python3 benchmarks/peers/dcgan_torch.py --data data/fashion-mnist-8bit.h5 --epochs 1 \
      --max-steps 300 --batch-size 64 --channels 32 --threads 2 --seed 0 \
      --samples 10000 --samples-out /tmp/dcgan-torch-samples.h5 --json /tmp/dcgan-torch.json
Prints one JSON object (and writes it to --json): threads, steps, seconds, steps_per_second,
examples_per_second (real examples per second = steps * batch / seconds), the last step's
d_loss, g_loss, d_real (mean D(x) = sigmoid of the logit) and d_fake (mean D(G(z)), on the D
step's fakes), and the same four averaged over the last `--average-last` steps (GAN losses of a
single step are noisy).

Samples file (--samples-out), the layout of `logp sample --out`, readable by
`logp eval-samples --samples FILE` (whose --samples-split defaults to "samples"):
  /            attributes copied from the input file (format = "logp-dataset", format_version = 1)
  /samples/x   uint8, N x D (D = H*W*C, row-major H, W, C like the input; C = 1 here), values
               round((g + 1) / 2 * (levels - 1)) clipped to 0..levels-1 (0..255); for binary data
               Bernoulli draws of (g + 1) / 2, as logp's GANs sample
               attributes: kind, levels, shape copied from the input's train/x (same HDF5 types:
               fixed-length ASCII strings, int64), source and created_by (provenance strings,
               as `logp sample` writes); no labels (no /samples/y).
The split's name is --samples-split ("samples" by default; give "train" to read it as training data).
"""
import argparse
import json
import shlex
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

LATENT = 64


def read_split(path, split):
    """-> (N x C x H x W float32 in [-1, 1], spec dict of the split's x attributes)."""
    with h5py.File(path, "r") as f:
        x = f[split]["x"]
        kind = x.attrs["kind"].decode() if isinstance(x.attrs["kind"], bytes) else str(x.attrs["kind"])
        if kind not in ("categorical", "binary"):
            sys.exit(f"{path}:/{split}/x: kind {kind}; the DCGAN peer needs discrete pixels (categorical/binary)")
        levels = int(x.attrs["levels"]) if kind == "categorical" else 2
        if "shape" not in x.attrs or len(x.attrs["shape"]) != 3:
            sys.exit(f"{path}:/{split}/x: no image shape attribute [H, W, C]")
        h, w, c = (int(s) for s in x.attrs["shape"])
        if h % 4 or w % 4:
            sys.exit(f"{path}:/{split}/x: image {h}x{w}; the DCGAN needs H and W divisible by 4")
        pixels = np.asarray(x[:], dtype=np.uint8)  # N x D, D = H*W*C row-major (H, W, C)
    images = torch.from_numpy(pixels).reshape(-1, h, w, c).permute(0, 3, 1, 2).contiguous()  # N x C x H x W
    images = images.float().mul_(2.0 / (levels - 1)).sub_(1.0)
    return images, {"levels": levels, "shape": (h, w, c)}


class ShardBatchNorm2d(nn.BatchNorm2d):
    """BatchNorm2d whose training-mode statistics are per `shard` examples (0: the whole batch)."""

    def __init__(self, channels, shard):
        super().__init__(channels)
        self.shard = shard

    def forward(self, x):  # B x C x H x W
        if not self.training or self.shard <= 0 or x.shape[0] <= self.shard:
            return super().forward(x)
        out = torch.cat([F.batch_norm(part, None, None, self.weight, self.bias, True, 0.0, self.eps)
                         for part in x.split(self.shard)])
        with torch.no_grad():  # running statistics: the whole batch's, as nn.BatchNorm2d would
            var, mean = torch.var_mean(x, dim=(0, 2, 3), unbiased=True)
            self.running_mean.lerp_(mean, self.momentum)
            self.running_var.lerp_(var, self.momentum)
            self.num_batches_tracked += 1
        return out


class Generator(nn.Module):
    def __init__(self, channels, height, width, image_channels, bn_shard=0):
        super().__init__()
        c2, h4, w4 = 2 * channels, height // 4, width // 4
        self.net = nn.Sequential(
            nn.Linear(LATENT, c2 * h4 * w4),
            nn.Unflatten(1, (c2, h4, w4)),                                   # B x 2C x H/4 x W/4
            ShardBatchNorm2d(c2, bn_shard), nn.ReLU(inplace=True),
            nn.ConvTranspose2d(c2, channels, 4, 2, 1),                       # B x C x H/2 x W/2
            ShardBatchNorm2d(channels, bn_shard), nn.ReLU(inplace=True),
            nn.ConvTranspose2d(channels, image_channels, 4, 2, 1),           # B x 1 x H x W
            nn.Tanh())

    def forward(self, z):  # B x 64 -> B x 1 x H x W
        return self.net(z)


class Discriminator(nn.Module):
    def __init__(self, channels, height, width, image_channels, bn_shard=0):
        super().__init__()
        c2, h4, w4 = 2 * channels, height // 4, width // 4
        self.net = nn.Sequential(
            nn.Conv2d(image_channels, channels, 4, 2, 1),                    # B x C x H/2 x W/2
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(channels, c2, 4, 2, 1),                                # B x 2C x H/4 x W/4
            ShardBatchNorm2d(c2, bn_shard), nn.LeakyReLU(0.2, inplace=True),
            nn.Flatten(),
            nn.Linear(c2 * h4 * w4, 1))

    def forward(self, x):  # B x 1 x H x W -> B logits
        return self.net(x).squeeze(1)


def dcgan_init(module):
    if isinstance(module, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


def write_samples(path, data_path, split_name, pixels, levels, shape, source):
    """pixels: N x D uint8 (row-major H, W, C). Mirrors `logp sample --out` (see the module docstring)."""
    with h5py.File(data_path, "r") as src, h5py.File(path, "w") as dst:
        for key in src.attrs:  # format, format_version: same values, same HDF5 types
            dst.attrs.create(key, src.attrs[key], dtype=src.attrs.get_id(key).dtype)
        x = dst.create_group(split_name).create_dataset("x", data=pixels)
        spec = src["train"]["x"].attrs
        for key in ("kind", "levels", "shape"):
            if key in spec:
                x.attrs.create(key, spec[key], dtype=spec.get_id(key).dtype)
        assert list(x.attrs["shape"]) == list(shape) and pixels.shape[1] == int(np.prod(shape))
        assert int(pixels.max(initial=0)) < levels
        x.attrs["source"] = np.bytes_(source)
        x.attrs["created_by"] = np.bytes_(" ".join(shlex.quote(a) for a in ["/usr/bin/python3"] + sys.argv))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="data/fashion-mnist-8bit.h5")
    parser.add_argument("--split", default="train", help="the training split")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--max-steps", type=int, default=0, help="stop after this many iterations (0: all epochs)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--channels", type=int, default=32, help="C: the discriminator's first layer width")
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--samples", type=int, default=0, help="generator samples to write (eval mode)")
    parser.add_argument("--samples-out", default="", help="logp dataset file for the samples")
    parser.add_argument("--samples-split", default="samples", help="split name in --samples-out")
    parser.add_argument("--bn-shard", type=int, default=0, help="BatchNorm statistics per this many examples (0: batch)")
    parser.add_argument("--average-last", type=int, default=50, help="steps averaged for the *_avg fields")
    parser.add_argument("--json", default="", help="also write the JSON result here")
    args = parser.parse_args()
    if args.samples_out and args.samples <= 0:
        parser.error("--samples-out needs --samples N > 0")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    data, spec = read_split(args.data, args.split)
    n, image_channels, height, width = data.shape
    if n < args.batch_size:
        sys.exit(f"{args.data}:/{args.split}: {n} examples, fewer than one batch of {args.batch_size}")
    generator = Generator(args.channels, height, width, image_channels, args.bn_shard)
    discriminator = Discriminator(args.channels, height, width, image_channels, args.bn_shard)
    generator.apply(dcgan_init)
    discriminator.apply(dcgan_init)
    g_optimizer = torch.optim.Adam(generator.parameters(), lr=args.learning_rate, betas=(0.5, 0.999))
    d_optimizer = torch.optim.Adam(discriminator.parameters(), lr=args.learning_rate, betas=(0.5, 0.999))
    batch = args.batch_size
    ones, zeros = torch.ones(batch), torch.zeros(batch)
    d_params = list(discriminator.parameters())
    history = []  # per step: detached tensors [d_loss, g_loss, d_real, d_fake]; .item() only after the loop

    generator.train()
    discriminator.train()
    steps = 0
    start = time.perf_counter()
    for _ in range(args.epochs):
        order = torch.randperm(n)
        for first in range(0, n - batch + 1, batch):
            if args.max_steps and steps >= args.max_steps:
                break
            real = data[order[first:first + batch]]                                  # B x 1 x H x W

            # D step: real labelled 1, fakes (no graph into G) labelled 0.
            with torch.no_grad():
                fake = generator(torch.randn(batch, LATENT))
            for p in d_params:
                p.requires_grad_(True)
            d_optimizer.zero_grad(set_to_none=True)
            real_logits = discriminator(real)
            fake_logits = discriminator(fake)
            d_loss = (F.binary_cross_entropy_with_logits(real_logits, ones) +
                      F.binary_cross_entropy_with_logits(fake_logits, zeros))
            d_loss.backward()
            d_optimizer.step()

            # G step: fresh z, fakes labelled 1 (non-saturating); no weight gradients for D.
            for p in d_params:
                p.requires_grad_(False)
            g_optimizer.zero_grad(set_to_none=True)
            g_loss = F.binary_cross_entropy_with_logits(discriminator(generator(torch.randn(batch, LATENT))), ones)
            g_loss.backward()
            g_optimizer.step()

            history.append(torch.stack([d_loss.detach(), g_loss.detach(),
                                        torch.sigmoid(real_logits.detach()).mean(),
                                        torch.sigmoid(fake_logits.detach()).mean()]))
            steps += 1
        if args.max_steps and steps >= args.max_steps:
            break
    seconds = time.perf_counter() - start
    for p in d_params:
        p.requires_grad_(True)

    if steps == 0:
        sys.exit("no training steps ran")
    values = torch.stack(history).double()
    last, window = values[-1].tolist(), values[-min(args.average_last, steps):].mean(0).tolist()
    result = {
        "peer": "pytorch", "model": "dcgan", "torch_version": torch.__version__, "threads": args.threads,
        "channels": args.channels, "batch_size": batch, "bn_shard": args.bn_shard, "learning_rate": args.learning_rate,
        "epochs": args.epochs, "max_steps": args.max_steps, "train_examples": n,
        "steps": steps, "seconds": seconds, "steps_per_second": steps / seconds,
        "examples_per_second": steps * batch / seconds,
        "d_loss": last[0], "g_loss": last[1], "d_real": last[2], "d_fake": last[3],
        "average_last": min(args.average_last, steps),
        "d_loss_avg": window[0], "g_loss_avg": window[1], "d_real_avg": window[2], "d_fake_avg": window[3],
    }

    if args.samples_out:
        generator.eval()  # running BatchNorm statistics
        draws = torch.Generator().manual_seed(args.seed)
        chunks = []
        with torch.no_grad():
            for first in range(0, args.samples, 1000):
                g = generator(torch.randn(min(1000, args.samples - first), LATENT, generator=draws))  # B x C x H x W
                top = spec["levels"] - 1
                if top == 1:  # binary data: Bernoulli draws of (g + 1) / 2, as logp samples
                    q = torch.bernoulli(((g + 1) / 2).clamp_(0, 1), generator=draws).to(torch.uint8)
                else:
                    q = torch.round((g + 1) * (top / 2)).clamp_(0, top).to(torch.uint8)
                chunks.append(q.permute(0, 2, 3, 1).reshape(q.shape[0], -1))  # row-major H, W, C like the input
        pixels = torch.cat(chunks).numpy()
        write_samples(args.samples_out, args.data, args.samples_split, pixels, spec["levels"], spec["shape"],
                      f"PyTorch DCGAN peer (benchmarks/peers/dcgan_torch.py), {steps} steps, seed {args.seed}, "
                      f"eval-mode generator, from {args.data}")
        result.update({"samples": args.samples, "samples_out": args.samples_out, "samples_split": args.samples_split})

    text = json.dumps(result)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
