#!/usr/bin/env bash
# InfoGAN's categorical code against the Fashion-MNIST classes (with the code grid PNG), and the
# adversarial autoencoder against the plain autoencoder as one-class anomaly detectors (class 0
# normal, classes 1-9 anomalies). Results: benchmarks/results/gan-fmnist/infogan_aae.md.
#   LOGP=build/logp CODES=build/infogan_codes benchmarks/infogan_aae.sh [infogan_epochs=3] [aae_epochs=20]
set -euo pipefail
cd "$(dirname "$0")/.."
logp=${LOGP:-build/logp}
codes=${CODES:-build/infogan_codes}
infogan_epochs=${1:-3}
aae_epochs=${2:-20}
work=$(mktemp -d /tmp/logp-infogan-aae-XXXXXX)
trap 'rm -rf "$work"' EXIT
out=benchmarks/results/gan-fmnist
mkdir -p "$out"
others=1,2,3,4,5,6,7,8,9

"$logp" fit infogan --data data/fashion-mnist-8bit.h5 --epochs "$infogan_epochs" --generator-learning-rate 1e-3 --seed 0 \
  --out "$work/infogan.h5"
"$codes" "$work/infogan.h5" data/fashion-mnist-8bit.h5 test "$out/infogan_codes.png" 10 0

"$logp" data select --data data/fashion-mnist-binary.h5 --labels 0 --out "$work/class0.h5"
"$logp" fit aae --data "$work/class0.h5" --epochs "$aae_epochs" --batch-size 64 --generator-learning-rate 1e-3 --seed 0 \
  --out "$work/aae0.h5"
"$logp" fit autoencoder --data "$work/class0.h5" --seed 0 --out "$work/ae0.h5"
"$logp" fit autoencoder --data "$work/class0.h5" --hidden-layers 512 --latent 8 --seed 0 --out "$work/ae0-l8.h5"
for m in aae0 ae0 ae0-l8; do
  "$logp" anomaly --model "$work/$m.h5" --data data/fashion-mnist-binary.h5 --anomaly-labels "$others" --seed 0
done
