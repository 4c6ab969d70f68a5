#!/usr/bin/env bash
# NADE quality check: logp and the PyTorch peer train the same epochs (Adam 1e-3, batch 100,
# H=500, raster order) on the first N training examples; valid NLL of each (nats).
#   benchmarks/nade_equal_epochs.sh [train_examples=10000] [epochs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/peers/peer_env.sh
n=${1:-10000}
epochs=${2:-3}
subset=data/fmnist-binary-${n}.h5
[[ -f "$subset" ]] || benchmarks/peers/subset_dataset.py data/fashion-mnist-binary.h5 "$n" "$subset"
echo "Command: \`benchmarks/nade_equal_epochs.sh $n $epochs\`, $(date -u +%Y-%m-%d)"
echo
build/logp fit --model nade --hidden 500 --epochs "$epochs" --patience 1000 --learning-rate 1e-3 --batch-size 100 \
  --seed 0 --data "$subset" --out /tmp/nade-equal.h5 >/dev/null 2>&1
build/logp --json score --model /tmp/nade-equal.h5 --data "$subset" --split valid |
  /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; print("- logp: valid NLL %.2f ± %.2f nats" % (r["mean_nll_nats"], r["std_error_nats"]))'
benchmarks/peers/nade_torch.py --variant loop --threads 1 --train-batches 1 --score-examples 200 --epochs "$epochs" \
  --data "$subset" |
  /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print("- PyTorch: valid NLL %.2f ± %.2f nats (%.0f s per epoch)" % (r["valid_nll"], r["valid_nll_se"], r["epoch_seconds"]))'
