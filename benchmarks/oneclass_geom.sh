#!/usr/bin/env bash
# The one-class protocol on 8-bit Fashion-MNIST with GEOM (logp fit geom): for each class c, the
# transformation classifier and its feature Gaussians are fitted on the training examples of c
# only (logp data select), the whole test set is scored, the other nine classes are the
# anomalies; AUROC per class with a stratified bootstrap interval, and the mean over classes, for
# the three scores (geom, feature-density, combined; models/geom/geom_model.hpp).
#   CLASSES="0 1" runs a subset; THREADS=1 (the default) sets logp --threads; WORK=DIR keeps models and results there, and a rerun skips the
#   classes whose results are in DIR (a killed run resumes).
#   LOGP=build/logp DATA=data/fashion-mnist-8bit.h5 benchmarks/oneclass_geom.sh [epochs=3] [bootstrap=500] \
#     > benchmarks/results/oneclass_geom.md
set -euo pipefail
cd "$(dirname "$0")/.."
logp=${LOGP:-build/logp}
epochs=${1:-3}
bootstrap=${2:-500}
data=${DATA:-data/fashion-mnist-8bit.h5}
threads=${THREADS:-1}
network="--transforms 8 --channels1 16 --channels2 32 --features 64 --epochs $epochs --seed 0"
if [[ -n "${WORK:-}" ]]; then
  work=$WORK
  mkdir -p "$work"
else
  work=$(mktemp -d /tmp/logp-oneclass-geom-XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
results=$work/results.jsonl
touch "$results"
start=$(date +%s)

for c in ${CLASSES:-0 1 2 3 4 5 6 7 8 9}; do
  if grep -q "\"class\": $c," "$results"; then continue; fi
  others=$(seq -s, 0 9 | tr ',' '\n' | grep -vx "$c" | paste -sd,)
  if [[ ! -f "$work/geom$c.h5" ]]; then  # written atomically: present means complete
    "$logp" data select --data "$data" --labels "$c" --out "$work/c$c.h5" >/dev/null
    "$logp" --threads "$threads" --quiet fit geom $network --data "$work/c$c.h5" --out "$work/geom$c.h5" >/dev/null
  fi
  rm -f "$work/class.jsonl"
  for score in geom feature-density combined; do
    "$logp" --threads "$threads" --json anomaly --model "$work/geom$c.h5" --model-score "$score" --data "$data" --split test \
      --anomaly-labels "$others" --bootstrap "$bootstrap" --seed 0 |
      /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); r["class"]=int(sys.argv[1]); r["label"]=sys.argv[2]; print(json.dumps(r))' "$c" "GEOM $score" >>"$work/class.jsonl"
  done
  cat "$work/class.jsonl" >>"$results"  # a class's three rows together, or none
  rm -f "$work/class.jsonl"
  echo "class $c done ($(($(date +%s) - start)) s)" >&2
done

echo "# One-class anomaly detection on 8-bit Fashion-MNIST: GEOM"
echo
echo "Command: \`LOGP=$logp DATA=$data THREADS=$threads CLASSES=\"${CLASSES:-0 1 2 3 4 5 6 7 8 9}\" benchmarks/oneclass_geom.sh $epochs $bootstrap\`, finished $(date -u +%Y-%m-%dT%H:%MZ)."
echo
echo "Protocol: for each class c, \`logp data select --labels c\` keeps the class (about 5000 train),"
echo "\`logp fit geom $network\` trains the transformation classifier (4 rotations x"
echo "horizontal flip = 8 transformations, so 8 x 5000 images an epoch) and fits one Gaussian (ridge 0.01)"
echo "per transformation on its 64 penultimate features, all on the class's train split alone; the"
echo "whole test split (10000) is scored, the 9000 examples of the other classes are the anomalies."
echo "Scores (anomaly scores, not image likelihoods): geom = -sum_t log p(t | T_t x); feature-density ="
echo "-sum_t log N_t(f(T_t x)) (nats in feature space); combined = the sum of both standardized on the"
echo "class's training data. AUROC with its 95% stratified bootstrap interval ($bootstrap resamples, seed 0);"
echo "the mean's interval is the mean of the per-class endpoints (conservative)."
echo
/usr/bin/python3 benchmarks/oneclass_table.py "$results"
