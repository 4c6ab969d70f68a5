#!/usr/bin/env bash
# Reproduces benchmarks/results/rnade.md: RNADE test NLL on the sklearn tables and on
# dequantized Fashion-MNIST, with the best GMM on the same tables for comparison.
#
#   benchmarks/rnade_runs.sh [LOGP_BINARY] [OUT_DIR] [tables|fmnist|all]
#     LOGP_BINARY default build/logp; OUT_DIR default /tmp/rnade-runs.
#
# Tables (data/sklearn-{wine,breast-cancer,digits}.h5, from datasets/sklearn_tables.sh):
#   both models see the data standardized on train (--standardize) and report densities on the
#   ORIGINAL scale (the wrapper adds the log-Jacobian). Each model's hyperparameters are chosen
#   by the NLL on the valid split; the test NLL of the chosen one is reported.
#   RNADE grid: H in {16, 64}, K in {2, 5}, L2 in {1e-3, 1e-2}, sigmoid and relu; Adam 1e-3,
#   batches of 20, <= 1000 epochs, patience 50 (early stopping on valid).
#   GMM grid: K in {1, 2, 3, 5, 8}, full and diagonal covariance, 3 restarts (ridge 1e-6).
#   digits holds the integers 0..16 and some pixels are constant on train: a density there can
#   grow without bound (spikes on integers), so both models get a floor of the same size on the
#   standardized scale: --min-std 1 (raw units), RNADE --min-scale 0.1, GMM --ridge 0.01 (a
#   variance: sigma >= 0.1).
# Fashion-MNIST (data/fashion-mnist-8bit.h5): --dequantize --logit --standardize, H=100, K=5,
#   relu, raster, Adam 1e-3, batches of 100, 7 epochs (early stopping on the first 2000 valid
#   examples); the test NLL is one draw of the dequantization bound, printed in bits/dim on the
#   8-bit scale by `logp score`.
set -euo pipefail
logp=${1:-build/logp}
out=${2:-/tmp/rnade-runs}
what=${3:-all}
mkdir -p "$out"

# mean NLL (nats) of MODEL on SPLIT of DATA
nll() { "$logp" --json score --model "$1" --data "$2" --split "$3" | /usr/bin/python3 -c \
  'import json,sys; print(json.load(sys.stdin)[0]["mean_nll_nats"])'; }

# Paired difference of two per-example score files (index,log_prob): mean of
# log p_rnade - log p_gmm over the test examples +- its standard error (positive: RNADE better).
paired() { /usr/bin/python3 - "$1" "$2" <<'PY'
import csv, math, sys
a = [float(r["log_prob"]) for r in csv.DictReader(open(sys.argv[1]))]
b = [float(r["log_prob"]) for r in csv.DictReader(open(sys.argv[2]))]
d = [x - y for x, y in zip(a, b)]
m = sum(d) / len(d)
se = math.sqrt(sum((x - m) ** 2 for x in d) / (len(d) - 1) / len(d))
print(f"paired test log p(rnade) - log p(gmm): {m:+.3f} +- {se:.3f} nats/example (N={len(d)}; positive: RNADE better)")
PY
}

# Picks the model file with the lowest valid NLL among those listed in $1 (lines "file"), prints
# "file valid_nll".
pick_best() {
  local best="" best_nll=""
  while read -r file; do
    local v
    v=$(nll "$file" "$2" valid)
    echo "  $(basename "$file") valid NLL $v" >&2
    if [[ -z $best_nll ]] || /usr/bin/python3 -c "import sys; sys.exit(0 if $v < $best_nll else 1)"; then
      best=$file best_nll=$v
    fi
  done < "$1"
  echo "$best $best_nll"
}

tables() {
  for name in wine breast-cancer digits; do
    data=data/sklearn-$name.h5
    common=(--data "$data" --standardize --min-std 1e-3)
    rnade_floor=() gmm_floor=()
    if [[ $name == digits ]]; then
      common=(--data "$data" --standardize --min-std 1)
      rnade_floor=(--min-scale 0.1) gmm_floor=(--ridge 0.01)
    fi
    : > "$out/$name-rnade.list"
    for act in sigmoid relu; do for H in 16 64; do for K in 2 5; do for l2 in 1e-3 1e-2; do
      file=$out/$name-rnade-$act-h$H-k$K-l2$l2.h5
      "$logp" fit --model rnade "${common[@]}" "${rnade_floor[@]}" --activation "$act" --hidden "$H" \
        --components "$K" --l2 "$l2" --learning-rate 1e-3 --batch-size 20 --epochs 1000 --patience 50 --seed 0 \
        --out "$file" > "$file.out" 2> "$file.err"
      echo "$file" >> "$out/$name-rnade.list"
    done; done; done; done
    : > "$out/$name-gmm.list"
    for K in 1 2 3 5 8; do for cov in full diag; do
      file=$out/$name-gmm-k$K-$cov.h5
      "$logp" fit --model gmm "${common[@]}" "${gmm_floor[@]}" --components "$K" --covariance "$cov" --restarts 3 --seed 0 \
        --out "$file" > "$file.out" 2> "$file.err" || { echo "  gmm K=$K $cov failed: $(tail -1 "$file.err")" >&2; continue; }
      echo "$file" >> "$out/$name-gmm.list"
    done; done
    echo "== $name" >&2
    read -r rnade_best rnade_valid < <(pick_best "$out/$name-rnade.list" "$data")
    read -r gmm_best gmm_valid < <(pick_best "$out/$name-gmm.list" "$data")
    echo "== $name: chosen by valid NLL: rnade $(basename "$rnade_best") (valid $rnade_valid), gmm $(basename "$gmm_best") (valid $gmm_valid)"
    "$logp" score --model "$rnade_best" --model "$gmm_best" --data "$data" --split test
    "$logp" score --model "$rnade_best" --data "$data" --split test --out "$out/$name-rnade-test.csv" > /dev/null
    "$logp" score --model "$gmm_best" --data "$data" --split test --out "$out/$name-gmm-test.csv" > /dev/null
    paired "$out/$name-rnade-test.csv" "$out/$name-gmm-test.csv"
    grep -h "trained\|fitted" "$rnade_best.err" "$rnade_best.out" || true
  done
}

fmnist() {
  file=$out/fmnist-rnade-h100-k5.h5
  "$logp" fit --model rnade --data data/fashion-mnist-8bit.h5 --dequantize --logit --standardize \
    --hidden 100 --components 5 --epochs 7 --patience 2 --batch-size 100 --valid-examples 2000 \
    --learning-rate 1e-3 --seed 0 --log "$file.jsonl" --out "$file"
  "$logp" score --model "$file" --data data/fashion-mnist-8bit.h5 --split test
}

case $what in
  tables) tables ;;
  fmnist) fmnist ;;
  all) tables; fmnist ;;
  *) echo "usage: $0 [LOGP_BINARY] [OUT_DIR] [tables|fmnist|all]" >&2; exit 2 ;;
esac
