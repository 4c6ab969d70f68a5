#!/usr/bin/env bash
# PixelRNN: logp against the same networks in PyTorch (benchmarks/peers/pixelrnn_torch.py), in one
# run on the same machine and data.
#   benchmarks/pixelrnn_vs_pytorch.sh [build=build] [seconds=20] [sample_n=16] [layers=3] [hidden=16]
# For each layer type (row-lstm, diag-bilstm, conv; batch 16, Adam, gradient clipped to norm 10):
#   1. training examples/s: logp (build/bench_pixelrnn, shards of 4) at 1 and 2 threads, PyTorch at
#      torch.set_num_threads 1 and 2; the better setting of each is compared;
#   2. seconds to sample sample_n images (both: pixel p of row i from the network on rows 0..i);
#   3. where logp's training time goes: a perf profile of 1-thread training (when perf works),
#      functions grouped into kinds.
# Writes benchmarks/results/pixelrnn_vs_pytorch.md. Needs -DLOGP_BUILD_BENCHMARKS=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
seconds=${2:-20}
sample_n=${3:-16}
layers=${4:-3}
hidden=${5:-16}
data=${LOGP_FMNIST_BINARY:-data/fashion-mnist-binary.h5}
[[ -x $build/bench_pixelrnn && -x $build/logp ]] || { echo "needs $build/bench_pixelrnn and $build/logp" >&2; exit 1; }
[[ -f $data ]] || { echo "needs $data (logp data fashion-mnist --out data)" >&2; exit 1; }
out=benchmarks/results/pixelrnn_vs_pytorch.md
peer=benchmarks/peers/pixelrnn_torch.py
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p benchmarks/results

# examples/s from bench_pixelrnn's last line "trained S steps, E examples in T s: R examples/s"
logp_rate() {
  "$build/bench_pixelrnn" data="$data" layer="$1" layers="$layers" hidden="$hidden" batch=16 shard=4 \
    seconds="$seconds" test=0 threads="$2" out="$3" | tail -1 | sed -E 's/.*: ([0-9.]+) examples\/s/\1/'
}
peer_json() { /usr/bin/python3 "$peer" --data "$data" --layer "$1" --layers "$layers" --hidden "$hidden" --batch 16 "${@:2}"; }
field() { /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
better() { /usr/bin/python3 -c 'import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print("%s %s" % ((a,1) if a>=b else (b,2)))' "$1" "$2"; }

{
  echo "# PixelRNN: logp vs PyTorch"
  echo
  echo "Command: \`benchmarks/pixelrnn_vs_pytorch.sh $build $seconds $sample_n $layers $hidden\`  "
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u '+%Y-%m-%d %H:%M UTC')  "
  echo "Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared; the numbers move with it)  "
  echo "PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'); networks: $layers layers, h = $hidden, batch 16, binarized Fashion-MNIST 28x28."
  echo
  echo "Training: logp bench_pixelrnn for $seconds s per setting; PyTorch 10 timed steps after 2 warm-up steps."
  echo "Sampling: $sample_n images, untrained weights (the time does not depend on them), 1 thread for logp"
  echo "(its sampler is serial), the better training thread setting for PyTorch."
  echo
  echo '| layer | logp ex/s (1 thr) | logp ex/s (2 thr) | PyTorch ex/s (1 thr) | PyTorch ex/s (2 thr) | train ratio (best/best) | logp sample s | PyTorch sample s | sample ratio |'
  echo '|---|---:|---:|---:|---:|---:|---:|---:|---:|'
  for layer in row-lstm diag-bilstm conv; do
    model="$scratch/$layer.h5"
    l1=$(logp_rate "$layer" 1 "$model")
    l2=$(logp_rate "$layer" 2 "")
    p1=$(peer_json "$layer" --threads 1 --train-batches 10 | field train_examples_per_second)
    p2=$(peer_json "$layer" --threads 2 --train-batches 10 | field train_examples_per_second)
    read -r lbest _ <<<"$(better "$l1" "$l2")"
    read -r pbest pthreads <<<"$(better "$p1" "$p2")"
    start=$(date +%s.%N)
    "$build/logp" --threads 1 sample --model "$model" -n "$sample_n" --seed 0 --out "$scratch/s.h5" >/dev/null
    ls=$(echo "$(date +%s.%N) - $start" | bc)
    ps=$(peer_json "$layer" --threads "$pthreads" --train-batches 1 --sample "$sample_n" | field sample_seconds)
    /usr/bin/python3 -c 'import sys; l = sys.argv[1]; v = [float(a) for a in sys.argv[2:]]
print("| %s | %.1f | %.1f | %.1f | %.1f | **%.2f** | %.1f | %.1f | **%.2f** |" % (l, v[0], v[1], v[2], v[3], v[4] / v[5], v[6], v[7], v[7] / v[6]))' \
      "$layer" "$l1" "$l2" "$p1" "$p2" "$lbest" "$pbest" "$ls" "$ps"
  done
  echo
  echo "Ratios: logp / PyTorch examples/s (training), PyTorch / logp seconds (sampling); > 1: logp faster."
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "## Where logp's training time goes (perf, 1 thread, $seconds s per layer type)"
  echo
  if perf record -o "$scratch/probe.data" -- true >/dev/null 2>&1; then
    for layer in row-lstm diag-bilstm conv; do
      perf record -F 499 -o "$scratch/$layer.data" -- "$build/bench_pixelrnn" data="$data" layer="$layer" \
        layers="$layers" hidden="$hidden" batch=16 shard=4 seconds="$seconds" test=0 threads=1 >/dev/null 2>&1
      echo "**$layer** (share of samples):"
      echo
      perf report -i "$scratch/$layer.data" --no-children --sort symbol --stdio 2>/dev/null |
        /usr/bin/python3 benchmarks/peers/pixelrnn_profile_kinds.py
      echo
    done
  else
    echo "perf is not available here: no profile."
  fi
} | tee "$out"
