#!/usr/bin/env bash
# The one-class protocol on binarized Fashion-MNIST: for each class c, fit on the training
# examples of c only (logp data select), score the whole test set, the other nine classes are the
# anomalies; AUROC per class with a stratified bootstrap interval, and the mean over classes.
# Scores: NLL (Bernoulli, Markov neighbours, NADE), the likelihood ratio against a Markov
# background model fitted on perturbed class data (Ren et al. 2019, logp data perturb), and the
# complexity-corrected score (Serra et al. 2020, PNG length).
#   (CLASSES="0 1" runs a subset.)
#   LOGP=build/logp benchmarks/oneclass.sh [nade_epochs=8 (0: no NADE)] [bootstrap=500] > benchmarks/results/oneclass.md
set -euo pipefail
cd "$(dirname "$0")/.."
logp=${LOGP:-build/logp}
nade_epochs=${1:-8}
bootstrap=${2:-500}
data=data/fashion-mnist-binary.h5
work=$(mktemp -d /tmp/logp-oneclass-XXXXXX)
trap 'rm -rf "$work"' EXIT
results=$work/results.jsonl
start=$(date +%s)

for c in ${CLASSES:-0 1 2 3 4 5 6 7 8 9}; do
  others=$(seq -s, 0 9 | tr ',' '\n' | grep -vx "$c" | paste -sd,)
  "$logp" data select --data "$data" --labels "$c" --out "$work/c$c.h5" >/dev/null
  "$logp" data perturb --data "$work/c$c.h5" --fraction 0.2 --seed "$c" --out "$work/c$c-perturbed.h5" >/dev/null
  "$logp" fit --model bernoulli --data "$work/c$c.h5" --out "$work/bernoulli$c.h5" >/dev/null
  "$logp" fit --model markov --context left,up,up-left,up-right --data "$work/c$c.h5" --out "$work/markov$c.h5" >/dev/null
  "$logp" fit --model markov --context left,up,up-left,up-right --data "$work/c$c-perturbed.h5" --out "$work/background$c.h5" >/dev/null
  run() {  # label, anomaly options...
    local label=$1
    shift
    "$logp" --json anomaly --data "$data" --split test --anomaly-labels "$others" --bootstrap "$bootstrap" --seed 0 "$@" |
      /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); r["class"]=int(sys.argv[1]); r["label"]=sys.argv[2]; print(json.dumps(r))' "$c" "$label" >>"$results"
  }
  run "Bernoulli NLL" --model "$work/bernoulli$c.h5"
  run "Markov NLL" --model "$work/markov$c.h5"
  run "Markov likelihood ratio" --model "$work/markov$c.h5" --score likelihood-ratio --background "$work/background$c.h5"
  run "Markov complexity" --model "$work/markov$c.h5" --score complexity
  if [[ "$nade_epochs" -gt 0 ]]; then
    "$logp" fit --model nade --hidden 500 --epochs "$nade_epochs" --patience 1000 --learning-rate 1e-3 --batch-size 100 \
      --seed 0 --data "$work/c$c.h5" --out "$work/nade$c.h5" >/dev/null 2>&1
    run "NADE NLL" --model "$work/nade$c.h5"
  fi
  echo "class $c done ($(($(date +%s) - start)) s)" >&2
done

echo "# One-class anomaly detection on binarized Fashion-MNIST"
echo
echo "Command: \`LOGP=$logp benchmarks/oneclass.sh $nade_epochs $bootstrap\`, $(date -u +%Y-%m-%dT%H:%MZ), $(($(date +%s) - start)) s in all."
echo
echo "Protocol: for each class c, \`logp data select --labels c\` keeps the class (about 5000 train, 1000 valid),"
echo "models are fitted on its train split, the whole test split (10000) is scored, and the 9000 examples"
echo "of the other classes are the anomalies (\`logp anomaly --anomaly-labels <others>\`)."
echo "Markov: context left,up,up-left,up-right. Background model: the same Markov model fitted on the class"
echo "data with 20% of the pixels replaced at random (\`logp data perturb --fraction 0.2\`)."
[[ "$nade_epochs" -gt 0 ]] && echo "NADE: H=500, $nade_epochs epochs, Adam 1e-3, batch 100, seed 0."
echo "AUROC with its 95% stratified bootstrap interval ($bootstrap resamples, seed 0). The mean's interval"
echo "is the mean of the per-class endpoints: conservative (exact if the classes' errors were perfectly"
echo "correlated), since the ten runs share the test set."
echo
/usr/bin/python3 benchmarks/oneclass_table.py "$results"
