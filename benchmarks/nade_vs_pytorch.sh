#!/usr/bin/env bash
# NADE: logp against the same model in PyTorch, in one run on the same machine and data.
#   benchmarks/nade_vs_pytorch.sh [train_examples=10000] [epochs=2]
# 1. Throughput: build/bench_nade (1 and 2 threads) and the PyTorch peer (both variants, 1 and 2
#    threads); the peer's best setting is the reference for the ratios.
# 2. Quality: both train the same epochs (Adam 1e-3, batch 100, H=500, raster order) on the first
#    `train_examples` training examples; valid NLL (nats) of each.
# Writes benchmarks/results/nade_vs_pytorch.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/peers/peer_env.sh
train_examples=${1:-10000}
epochs=${2:-2}
tools/setup.sh --peers
tools/build.sh build >/dev/null
[[ -f data/fashion-mnist-binary.h5 ]] || build/logp data fashion-mnist --out data
subset=data/fmnist-binary-${train_examples}.h5
benchmarks/peers/subset_dataset.py data/fashion-mnist-binary.h5 "$train_examples" "$subset"
out=benchmarks/results/nade_vs_pytorch.md
mkdir -p benchmarks/results
peer=benchmarks/peers/nade_torch.py

{
  echo "# NADE: logp vs PyTorch"
  echo
  echo "Command: \`benchmarks/nade_vs_pytorch.sh $train_examples $epochs\`  "
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%d)"
  echo
  echo "## logp throughput"
  echo
  build/bench_nade data/fashion-mnist-binary.h5 500 30 4000
  echo
  echo "## PyTorch throughput (same model, batch 100, Adam)"
  echo
  echo '| variant | threads | train examples/s | score examples/s |'
  echo '|---|---:|---:|---:|'
  for variant in cumsum loop; do
    for threads in 1 2; do
      "$peer" --variant "$variant" --threads "$threads" --train-batches 20 --score-examples 2000 |
        /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print("| %s | %d | %.0f | %.0f |" % (r["variant"], r["threads"], r["train_examples_per_second"], r["score_examples_per_second"]))'
    done
  done
  echo
  echo "## Same epochs, same data: validation NLL"
  echo
  SECONDS=0
  build/logp fit --model nade --hidden 500 --epochs "$epochs" --patience 1000 --learning-rate 1e-3 \
    --batch-size 100 --seed 0 --data "$subset" --out /tmp/nade-bench.h5 >/dev/null 2>&1
  logp_seconds=$SECONDS
  build/logp --json score --model /tmp/nade-bench.h5 --data "$subset" --split valid |
    /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; print("- logp: valid NLL %.2f ± %.2f nats after %s epoch(s) on %s examples (%s s wall: fit + valid scoring)" % (r["mean_nll_nats"], r["std_error_nats"], sys.argv[1], sys.argv[2], sys.argv[3]))' "$epochs" "$train_examples" "$logp_seconds"
  "$peer" --variant loop --threads 1 --train-batches 1 --score-examples 200 --epochs "$epochs" \
    --data "$subset" |
    /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print("- PyTorch (loop, 1 thread): valid NLL %.2f ± %.2f nats after %d epoch(s) (%.0f s per epoch)" % (r["valid_nll"], r["valid_nll_se"], r["epochs"], r["epoch_seconds"]))'
} | tee "$out"
