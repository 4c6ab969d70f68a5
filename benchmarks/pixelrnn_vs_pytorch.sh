#!/usr/bin/env bash
# PixelRNN: logp against the same networks in PyTorch (benchmarks/peers/pixelrnn_torch.py), in one
# run on the same machine and data.
#   benchmarks/pixelrnn_vs_pytorch.sh [build=build] [seconds=20] [sample_n=16] [layers=3] [hidden=16]
# For each layer type (row-lstm, diag-bilstm, conv; batch 16, Adam, gradient clipped to norm 10):
#   1. training examples/s: logp (build/bench_pixelrnn, shards of 4) at 1 and 2 threads, PyTorch at
#      torch.set_num_threads 1 and 2; the better setting of each is compared; and examples per
#      CPU-second at 1 thread (robust to other jobs on a shared machine);
#   2. seconds to sample sample_n images, 1 thread (both: pixel p of row i from the network on rows 0..i);
#   3. where logp's training time goes: a perf profile of 1-thread training (when perf works),
#      functions grouped into kinds.
# Writes benchmarks/results/pixelrnn_vs_pytorch.md. Needs -DLOGP_BUILD_BENCHMARKS=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/peers/peer_env.sh
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

# bench_pixelrnn's last line "trained S steps, E examples in T s (C CPU s): R examples/s, Q examples/CPU-s"
# -> "R Q"
logp_rates() {
  "$build/bench_pixelrnn" data="$data" layer="$1" layers="$layers" hidden="$hidden" batch=16 shard=4 \
    seconds="$seconds" test=0 threads="$2" out="$3" | tail -1 |
    sed -E 's/.*: ([0-9.]+) examples\/s, ([0-9.]+) examples\/CPU-s/\1 \2/'
}
peer_json() { /usr/bin/python3 "$peer" --data "$data" --layer "$1" --layers "$layers" --hidden "$hidden" --batch 16 "${@:2}"; }
fields() { /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print(*[r[k] for k in sys.argv[1:]])' "$@"; }

{
  echo "# PixelRNN: logp vs PyTorch"
  echo
  echo "Command: \`benchmarks/pixelrnn_vs_pytorch.sh $build $seconds $sample_n $layers $hidden\`  "
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u '+%Y-%m-%d %H:%M UTC')  "
  echo "Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared)  "
  echo "PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'); networks: $layers layers, h = $hidden, batch 16, binarized Fashion-MNIST 28x28."
  echo
  echo "Training: logp bench_pixelrnn (shards of 4) for $seconds s per setting; PyTorch 10 timed steps after"
  echo "2 warm-up steps; both Adam, gradient clipped to norm 10. Wall-clock examples/s at 1 and 2 threads, and"
  echo "examples per CPU-second at 1 thread (process CPU time: what a loaded machine does not distort)."
  echo "Sampling: $sample_n images, untrained weights (the time does not depend on them), 1 thread for both"
  echo "(logp's sampler is serial), pixel p of row i from the network on rows 0..i in both; wall and CPU seconds."
  echo
  echo '| layer | logp ex/s 1 thr | logp ex/s 2 thr | PyTorch ex/s 1 thr | PyTorch ex/s 2 thr | wall ratio, best/best | logp ex/CPU-s | PyTorch ex/CPU-s | CPU ratio | logp sample s (CPU) | PyTorch sample s (CPU) | sample ratio (CPU) |'
  echo '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
  for layer in row-lstm diag-bilstm conv; do
    model="$scratch/$layer.h5"
    read -r l1 lc <<<"$(logp_rates "$layer" 1 "$model")"
    read -r l2 _ <<<"$(logp_rates "$layer" 2 "")"
    read -r p1 pc <<<"$(peer_json "$layer" --threads 1 --train-batches 10 | fields train_examples_per_second train_examples_per_cpu_second)"
    read -r p2 <<<"$(peer_json "$layer" --threads 2 --train-batches 10 | fields train_examples_per_second)"
    read -r lsw lsu lss <<<"$( { /usr/bin/time -f '%e %U %S' "$build/logp" --threads 1 sample --model "$model" \
      -n "$sample_n" --seed 0 --out "$scratch/s.h5" >/dev/null; } 2>&1 | tail -1)"
    read -r psw psc <<<"$(peer_json "$layer" --threads 1 --train-batches 1 --sample "$sample_n" | fields sample_seconds sample_cpu_seconds)"
    /usr/bin/python3 -c 'import sys; l = sys.argv[1]; v = [float(a) for a in sys.argv[2:]]
l1, l2, p1, p2, lc, pc, lsw, lsu, lss, psw, psc = v
lcpu = lsu + lss
print("| %s | %.1f | %.1f | %.1f | %.1f | **%.2f** | %.1f | %.1f | **%.2f** | %.1f (%.1f) | %.1f (%.1f) | **%.2f** |" % (
    l, l1, l2, p1, p2, max(l1, l2) / max(p1, p2), lc, pc, lc / pc, lsw, lcpu, psw, psc, psc / lcpu))' \
      "$layer" "$l1" "$l2" "$p1" "$p2" "$lc" "$pc" "$lsw" "$lsu" "$lss" "$psw" "$psc"
  done
  echo
  echo "Ratios: logp / PyTorch examples/s (training), PyTorch / logp CPU seconds (sampling); > 1: logp faster."
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
