#!/usr/bin/env bash
# logp gmm/kde against scikit-learn's GaussianMixture/KernelDensity on the same data and splits,
# in one run (benchmarks/peers/sklearn_density.py says what is compared and how).
#   benchmarks/sklearn_comparison.sh [BUILD_DIR=build] [FMNIST_TRAIN=10000]
# Writes benchmarks/results/sklearn_comparison.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/peers/peer_env.sh
build=${1:-build}
logp=$build/logp
fmnist_train=${2:-10000}
for table in wine breast-cancer digits; do
  [[ -f data/sklearn-$table.h5 ]] || datasets/sklearn_tables.sh "$logp" data
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=benchmarks/results/sklearn_comparison.md
mkdir -p benchmarks/results
body=$(/usr/bin/python3 benchmarks/peers/sklearn_density.py "$logp" "$build/bench_sklearn_scoring" "$work" --fmnist-train "$fmnist_train" --threads 2)
{
  echo "# logp vs scikit-learn: GaussianMixture and KernelDensity"
  echo
  echo "Command: \`benchmarks/sklearn_comparison.sh $build $fmnist_train\`  "
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%dT%H:%MZ), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)  "
  echo "scikit-learn $(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)'), numpy $(/usr/bin/python3 -c 'import numpy; print(numpy.__version__)'); logp at --threads 2"
  echo
  echo "$body"
} >"$out"
echo "wrote $out"
