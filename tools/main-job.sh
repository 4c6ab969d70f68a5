#!/usr/bin/env bash
# The main job: set up, build, turn Fashion-MNIST into logp dataset files, fit every model that
# exists, and print the test-set comparison tables (NLL nats/example ± s.e., bits/dim, params, fit s).
#   tools/main-job.sh [--threads N]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=()
if [[ "${1:-}" == "--threads" ]]; then threads=(--threads "$2"); fi

tools/setup.sh
tools/build.sh build -DLOGP_BUILD_TESTS=OFF
logp=(build/logp "${threads[@]}")

mkdir -p results/models
if [[ ! -f data/fashion-mnist-binary.h5 || ! -f data/fashion-mnist-8bit.h5 ]]; then
  "${logp[@]}" data fashion-mnist --out data
fi
binary=data/fashion-mnist-binary.h5
eight_bit=data/fashion-mnist-8bit.h5

fit() {  # fit NAME DATA ARGS...
  local name=$1 data=$2
  shift 2
  "${logp[@]}" fit --data "$data" --out "results/models/$name.h5" "$@" >&2
}

echo "== fitting on binarized Fashion-MNIST (train = 50,000 examples) ==" >&2
fit bernoulli "$binary" --model bernoulli
fit markov-order1 "$binary" --model markov --order 1
fit markov-order3 "$binary" --model markov --order 3
fit markov-neighbours "$binary" --model markov --context left,up,up-left,up-right
# NADE's training budget: at most 10 epochs of Adam (early stopping on valid), a few minutes.
fit nade-h500 "$binary" --model nade --hidden 500 --epochs 10 --learning-rate 1e-3 --seed 0 \
  --log results/models/nade-h500.log.jsonl

echo "== fitting on 8-bit Fashion-MNIST ==" >&2
fit categorical-8bit "$eight_bit" --model markov --order 0
fit markov-order1-8bit "$eight_bit" --model markov --order 1
fit markov-order1-tied-8bit "$eight_bit" --model markov --order 1 --tied

echo
echo "Binarized Fashion-MNIST (x >= 128), test split; exact log-likelihoods (NADE: single raster ordering)"
"${logp[@]}" score --data "$binary" --split test \
  --model results/models/bernoulli.h5 --model results/models/markov-order1.h5 \
  --model results/models/markov-order3.h5 --model results/models/markov-neighbours.h5 \
  --model results/models/nade-h500.h5
echo
echo "8-bit Fashion-MNIST (256 levels), test split; exact log-likelihoods"
"${logp[@]}" score --data "$eight_bit" --split test \
  --model results/models/categorical-8bit.h5 --model results/models/markov-order1-8bit.h5 \
  --model results/models/markov-order1-tied-8bit.h5
