#!/usr/bin/python3
"""The same PixelRNN networks as logp's (models/pixelrnn/pixelrnn_network.hpp), in PyTorch, written
the way its users write them: masked nn.Conv2d (weight * mask buffer), the Diagonal BiLSTM's skew and
unskew by padding and view, the four LSTM gates of a step from one batched convolution, the
right-to-left direction by flipping the map.

  x [N, 1, H, W] / (L-1) -> 7x7 mask-A conv 1 -> 2h
  -> `layers` residual layers r = r + f(r):
       row-lstm:    1x3 mask-B input-to-state (whole map), then row by row a 1x3 state-to-state conv
       diag-bilstm: 1x1 input-to-state, skew, column by column a 2x1 state-to-state conv, unskew;
                    left-to-right + right-to-left shifted down one row; the first layer's
                    right-to-left input-to-state also reads the image
       conv:        relu(3x3 mask-B conv)
     (LSTM layers: f = 1x1 conv h -> 2h of the hidden states)
  -> relu -> 1x1 2h -> 2h -> relu -> 1x1 2h -> 1 logit (binary) or L logits (softmax)

  python3 benchmarks/peers/pixelrnn_torch.py --data data/fashion-mnist-binary.h5 --layer diag-bilstm \
      --layers 3 --hidden 16 --batch 16 --threads 1 --train-batches 20 --sample 16
Prints one JSON object: training examples/s (Adam, gradient clipped to norm 10) and the seconds to
draw --sample images pixel by pixel (pixel p of row i from the network on rows 0..i, as logp does).
"""
import argparse
import json
import os
import sys
import time


def _pin_blas_threads():
    """Debian's PyTorch calls OpenBLAS, which starts its own threads (spinning on a shared machine)
    unless OPENBLAS_NUM_THREADS is set before it loads; torch.set_num_threads does not bound them.
    Pin them to --threads, as a PyTorch user tuning a CPU run would."""
    threads = "1"
    for k, a in enumerate(sys.argv):
        if a == "--threads" and k + 1 < len(sys.argv):
            threads = sys.argv[k + 1]
        elif a.startswith("--threads="):
            threads = a.split("=", 1)[1]
    os.environ["OPENBLAS_NUM_THREADS"] = threads
    os.environ["OMP_NUM_THREADS"] = threads


_pin_blas_threads()

import h5py  # noqa: E402  (after the thread pinning)
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402


def causal_mask(out_c, in_c, kh, kw, mask_b):
    """[out, in, kh, kw]: taps above the centre row, left of the centre, and the centre for mask B."""
    m = torch.zeros(out_c, in_c, kh, kw)
    cy, cx = kh // 2, kw // 2
    m[:, :, :cy, :] = 1
    m[:, :, cy, :cx] = 1
    if mask_b:
        m[:, :, cy, cx] = 1
    return m


class MaskedConv2d(nn.Conv2d):
    def __init__(self, in_c, out_c, kernel, mask_b):
        kh, kw = kernel if isinstance(kernel, tuple) else (kernel, kernel)
        super().__init__(in_c, out_c, (kh, kw), padding=(kh // 2, kw // 2))
        self.register_buffer("mask", causal_mask(out_c, in_c, kh, kw, mask_b))

    def forward(self, x):
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)


def lstm_step(gates, c):
    i, f, o, g = gates.chunk(4, dim=1)
    c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c), c


class RowLstm(nn.Module):
    def __init__(self, in_c, hidden):
        super().__init__()
        self.hidden = hidden
        self.input_to_state = MaskedConv2d(in_c, 4 * hidden, (1, 3), mask_b=True)
        self.state_to_state = nn.Conv1d(hidden, 4 * hidden, 3, padding=1, bias=False)

    def forward(self, x):  # [N, C, H, W] -> [N, h, H, W]
        n, _, height, width = x.shape
        # unbind, not gates_in[:, :, i, :]: each slice's backward would fill a whole-map zero tensor
        gates_in = self.input_to_state(x).unbind(2)
        h = x.new_zeros(n, self.hidden, width)
        c = torch.zeros_like(h)
        rows = []
        for i in range(height):
            gates = gates_in[i] if i == 0 else gates_in[i] + self.state_to_state(h)
            h, c = lstm_step(gates, c)
            rows.append(h)
        return torch.stack(rows, dim=2)


def skew(x):  # [N, C, H, W] -> [N, C, H, W+H-1], row i shifted right by i
    n, c, height, width = x.shape
    padded = F.pad(x, (0, height)).reshape(n, c, height * (width + height))
    return padded[:, :, : height * (width + height - 1)].reshape(n, c, height, width + height - 1)


def unskew(x, width):  # [N, C, H, S] -> [N, C, H, W]
    n, c, height, s = x.shape
    flat = F.pad(x.reshape(n, c, height * s), (0, height))
    return flat.reshape(n, c, height, s + 1)[:, :, :, :width]


class DiagonalLstm(nn.Module):
    def __init__(self, in_c, hidden, image_c=0):
        super().__init__()
        self.hidden = hidden
        self.input_to_state = nn.Conv2d(in_c + image_c, 4 * hidden, 1)
        self.state_to_state = nn.Conv1d(hidden, 4 * hidden, 2, bias=False)  # taps: rows i-1, i

    def forward(self, x):  # [N, C, H, W] -> [N, h, H, W]
        n, _, height, width = x.shape
        gates_in = skew(self.input_to_state(x)).unbind(3)  # one view per map column (see RowLstm)
        h = x.new_zeros(n, self.hidden, height)
        c = torch.zeros_like(h)
        columns = []
        for j in range(len(gates_in)):
            gates = gates_in[j]
            if j > 0:
                gates = gates + self.state_to_state(F.pad(h, (1, 0)))
            h, c = lstm_step(gates, c)
            columns.append(h)
        return unskew(torch.stack(columns, dim=3), width)


class DiagonalBiLstm(nn.Module):
    def __init__(self, in_c, hidden, image_c):
        super().__init__()
        self.image_c = image_c
        self.left_to_right = DiagonalLstm(in_c, hidden)
        self.right_to_left = DiagonalLstm(in_c, hidden, image_c)

    def forward(self, x, image):
        ltr = self.left_to_right(x)
        rtl_in = torch.cat([x, image], dim=1) if self.image_c else x
        rtl = self.right_to_left(rtl_in.flip(3)).flip(3)
        return ltr + F.pad(rtl, (0, 0, 1, 0))[:, :, :-1, :]  # shifted down one row


class PixelRnn(nn.Module):
    def __init__(self, layer, layers, hidden, levels):
        super().__init__()
        self.layer, self.levels = layer, levels
        features = 2 * hidden
        self.input = MaskedConv2d(1, features, 7, mask_b=False)
        if layer == "row-lstm":
            self.lstms = nn.ModuleList(RowLstm(features, hidden) for _ in range(layers))
        elif layer == "diag-bilstm":
            self.lstms = nn.ModuleList(DiagonalBiLstm(features, hidden, 1 if k == 0 else 0) for k in range(layers))
        if layer == "conv":
            self.residual = nn.ModuleList(MaskedConv2d(features, features, 3, mask_b=True) for _ in range(layers))
        else:
            self.residual = nn.ModuleList(nn.Conv2d(hidden, features, 1) for _ in range(layers))
        self.output_hidden = nn.Conv2d(features, features, 1)
        self.output = nn.Conv2d(features, 1 if levels == 2 else levels, 1)

    def forward(self, x):  # x: [N, 1, H, W] levels -> logits [N, K, H, W]
        image = x / (self.levels - 1)
        r = self.input(image)
        for k, residual in enumerate(self.residual):
            if self.layer == "conv":
                f = F.relu(residual(r))
            elif self.layer == "row-lstm":
                f = residual(self.lstms[k](r))
            else:
                f = residual(self.lstms[k](r, image))
            r = r + f
        return self.output(F.relu(self.output_hidden(F.relu(r))))

    def nll(self, x):  # summed over the batch, nats
        logits = self.forward(x)
        if self.levels == 2:
            return F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        return F.cross_entropy(logits, x[:, 0].long(), reduction="sum")

    def free_parameters(self):
        total = 0
        for m in self.modules():
            if isinstance(m, MaskedConv2d):
                total += int(m.mask.sum()) + m.bias.numel()
            elif isinstance(m, (nn.Conv2d, nn.Conv1d)):
                total += sum(p.numel() for p in m.parameters(recurse=False))
        return total


@torch.no_grad()
def sample(model, n, height, width, generator):
    x = torch.zeros(n, 1, height, width)
    for i in range(height):
        for j in range(width):
            logits = model(x[:, :, : i + 1, :])[:, :, i, j]
            if model.levels == 2:
                x[:, 0, i, j] = (torch.rand(n, generator=generator) < torch.sigmoid(logits[:, 0])).float()
            else:
                x[:, 0, i, j] = torch.multinomial(F.softmax(logits, dim=1), 1, generator=generator)[:, 0].float()
    return x


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--layer", choices=["row-lstm", "diag-bilstm", "conv"], default="diag-bilstm")
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--hidden", type=int, default=16)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--train-batches", type=int, default=20)
    parser.add_argument("--sample", type=int, default=0, help="images to sample (0: no sampling)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)

    with h5py.File(args.data, "r") as f:
        train = np.asarray(f["train"]["x"][: args.batch * (args.train_batches + 2)], dtype=np.float32)
    levels = 256 if train.max() > 1 else 2  # binary or 8-bit data
    side = int(round(train.shape[1] ** 0.5))
    data = torch.from_numpy(train).reshape(-1, 1, side, side)
    model = PixelRnn(args.layer, args.layers, args.hidden, levels)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(k):
        x = data[k * args.batch: (k + 1) * args.batch]
        optimizer.zero_grad()
        loss = model.nll(x) / x.shape[0]
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        optimizer.step()
        return float(loss)

    for k in range(2):  # warm-up
        step(k)
    start, cpu_start = time.perf_counter(), time.process_time()
    for k in range(args.train_batches):
        loss = step(k + 2)
    train_seconds = time.perf_counter() - start
    train_cpu_seconds = time.process_time() - cpu_start  # all threads: robust to a loaded machine
    result = {
        "layer": args.layer, "layers": args.layers, "hidden": args.hidden, "batch": args.batch,
        "threads": args.threads, "levels": levels, "free_parameters": model.free_parameters(),
        "train_examples_per_second": args.batch * args.train_batches / train_seconds,
        "train_examples_per_cpu_second": args.batch * args.train_batches / train_cpu_seconds,
        "last_train_nll": loss,
    }
    if args.sample > 0:
        start, cpu_start = time.perf_counter(), time.process_time()
        sample(model, args.sample, side, side, generator)
        result["sample_n"] = args.sample
        result["sample_seconds"] = time.perf_counter() - start
        result["sample_cpu_seconds"] = time.process_time() - cpu_start
    print(json.dumps(result))


if __name__ == "__main__":
    main()
