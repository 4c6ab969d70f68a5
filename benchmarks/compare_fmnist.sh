#!/usr/bin/env bash
# logp compare on binarized Fashion-MNIST test: Bernoulli, Markov (order 1, order 3, image
# neighbours), NADE (few epochs), each fitted on train; paired tests between adjacent ranks.
#   LOGP=build/logp benchmarks/compare_fmnist.sh [nade_epochs=5] > benchmarks/results/compare_fmnist.md
set -euo pipefail
cd "$(dirname "$0")/.."
logp=$(realpath "${LOGP:-build/logp}")
epochs=${1:-5}
data=$(realpath data/fashion-mnist-binary.h5)
work=$(mktemp -d /tmp/logp-compare-XXXXXX)
trap 'rm -rf "$work"' EXIT

fit() {  # name, fit options...
  local name=$1
  shift
  "$logp" fit --data "$data" --out "$work/$name.h5" "$@" >"$work/$name.log" 2>&1
}
fit bernoulli --model bernoulli
fit markov1 --model markov --order 1
fit markov3 --model markov --order 3
fit markov_neighbours --model markov --context left,up,up-left,up-right
fit nade --model nade --hidden 500 --epochs "$epochs" --patience 1000 --learning-rate 1e-3 --batch-size 100 --seed 0

models=()
for m in bernoulli markov1 markov3 markov_neighbours nade; do models+=(--model "$m.h5"); done
echo "# logp compare: models on binarized Fashion-MNIST test"
echo
echo "Command: \`LOGP=${LOGP:-build/logp} benchmarks/compare_fmnist.sh $epochs\`, $(date -u +%Y-%m-%dT%H:%MZ)."
echo "All models fitted on train (50000); NADE: H=500, $epochs epochs, Adam 1e-3, batch 100, seed 0."
echo "All values are exact log-likelihoods; the model files were temporary (named <model>.h5 in a scratch directory)."
echo
echo '```'
(cd "$work" && "$logp" compare "${models[@]}" --data "$data" --split test --bootstrap 2000 --seed 0)
echo '```'
echo
echo "Fit logs (last line each):"
echo
for m in bernoulli markov1 markov3 markov_neighbours nade; do
  echo "- $m: $(grep fitted "$work/$m.log" | sed "s|$work/||g; s|$data|data/fashion-mnist-binary.h5|g")"
done
