#!/usr/bin/env bash
# The DCGAN's four convolution layers, forward + backward: logp (benchmarks/bench_conv_dcgan.cpp)
# against PyTorch (benchmarks/peers/conv_dcgan_torch.py), interleaved on a shared machine.
#   benchmarks/conv_dcgan_vs_pytorch.sh [batch=64] [repeats=30] [rounds=2]
# logp runs the batch as it trains, in shards of 32 columns (its --shard-size for the DCGAN) at 1
# and 2 TBB threads; PyTorch runs the whole batch at torch.set_num_threads(1) and (2). Each round
# runs logp 1, PyTorch 1, logp 2, PyTorch 2; each prints best-of-`repeats` ms per step per layer,
# after 0.3 s of untimed steps per layer on both sides.
# The load average is printed before each run. Environment: LOGP_BUILD (default build).
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/peers/peer_env.sh
batch=${1:-64}
repeats=${2:-30}
rounds=${3:-2}
build=${LOGP_BUILD:-build}
for ((r = 1; r <= rounds; ++r)); do
  for threads in 1 2; do
    echo "## round $r, logp, $threads thread(s), load $(cut -d' ' -f1-3 /proc/loadavg)"
    "$build/bench_conv_dcgan" "$batch" 32 "$threads" "$repeats"
    echo "## round $r, PyTorch, $threads thread(s), load $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/python3 benchmarks/peers/conv_dcgan_torch.py --batch "$batch" --repeats "$repeats" --threads "$threads"
  done
done
