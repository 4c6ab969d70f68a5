#!/usr/bin/env bash
# The main job: set up, build, turn Fashion-MNIST into logp dataset files, fit every model that
# exists, and print the test-set tables (NLL nats/example ± s.e., bits/dim, likelihood kind) and the
# paired comparison of the exact models. About half an hour on 2 cores.
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

fit() {  # fit NAME DATA MODEL ARGS...
  local name=$1 data=$2 model=$3
  shift 3
  "${logp[@]}" fit "$model" --data "$data" --out "results/models/$name.h5" "$@" >&2
}

echo "== fitting on binarized Fashion-MNIST (train = 50,000 examples) ==" >&2
fit bernoulli "$binary" bernoulli
fit markov-order1 "$binary" markov --order 1
fit markov-order3 "$binary" markov --order 3
fit markov-neighbours "$binary" markov --context left,up,up-left,up-right
# NADE's training budget: at most 10 epochs of Adam (early stopping on valid), a few minutes.
fit nade-h500 "$binary" nade --hidden 500 --epochs 10 --learning-rate 1e-3 --seed 0 \
  --log results/models/nade-h500.log.jsonl
# The VAE (784-500-500-50, Bernoulli decoder) judged by its ELBO (a lower bound) and IWAE (an estimate).
fit vae "$binary" vae --hidden-layers 500,500 --latent 50 --epochs 10 --shard-size 100 --learning-rate 1e-3 --seed 0

echo "== fitting on 8-bit Fashion-MNIST ==" >&2
fit categorical-8bit "$eight_bit" markov --order 0
fit markov-order1-8bit "$eight_bit" markov --order 1
fit markov-order1-tied-8bit "$eight_bit" markov --order 1 --tied
# Continuous models on uniformly dequantized, logit-transformed pixels: lower bounds on the 8-bit
# log-likelihood (-D ln 256 included), so their bits/dim compare with the discrete models.
continuous=(--dequantize --logit --standardize --min-std 1e-2)
fit gaussian-8bit "$eight_bit" gaussian "${continuous[@]}" --ridge 1e-3
fit gmm-diag-8bit "$eight_bit" gmm --components 10 --covariance diag "${continuous[@]}" --seed 0
fit rnade-8bit "$eight_bit" rnade --hidden 100 --components 5 "${continuous[@]}" \
  --epochs 4 --valid-examples 2000 --learning-rate 1e-3 --seed 0

echo
echo "Binarized Fashion-MNIST (x >= 128), test split; exact log-likelihoods (NADE: single raster ordering)"
"${logp[@]}" score --data "$binary" --split test \
  --model results/models/bernoulli.h5 --model results/models/markov-order1.h5 \
  --model results/models/markov-order3.h5 --model results/models/markov-neighbours.h5 \
  --model results/models/nade-h500.h5 --model results/models/vae.h5
echo
echo "The VAE's importance-weighted estimate (k = 1000) on the first 1000 test examples"
"${logp[@]}" score --data "$binary" --split test --first 1000 --model results/models/vae.h5 --estimator iwae --k 1000
echo
echo "Paired comparison of the exact models (the VAE's bound is left out: a bound is not ranked against exact values)"
"${logp[@]}" compare --data "$binary" --split test \
  --model results/models/bernoulli.h5 --model results/models/markov-order1.h5 \
  --model results/models/markov-order3.h5 --model results/models/markov-neighbours.h5 \
  --model results/models/nade-h500.h5
echo
echo "8-bit Fashion-MNIST (256 levels), test split; discrete models exact, dequantized continuous models lower bounds"
"${logp[@]}" score --data "$eight_bit" --split test \
  --model results/models/categorical-8bit.h5 --model results/models/markov-order1-8bit.h5 \
  --model results/models/markov-order1-tied-8bit.h5 --model results/models/gaussian-8bit.h5 \
  --model results/models/gmm-diag-8bit.h5 --model results/models/rnade-8bit.h5
