#!/usr/bin/env bash
# Imports the real-valued tables that Debian's python3-sklearn ships as CSV files into logp
# dataset files with a fixed, seeded split:
#   data/sklearn-wine.h5           178 x 13   real (float32), class 0..2
#   data/sklearn-breast-cancer.h5  569 x 30   real (float32), malignant/benign 0/1
#   data/sklearn-digits.h5         1797 x 64  real (float32) holding the integers 0..16, shape 8,8,1
# Splits (carved from the one CSV file by logp::Rng(seed), file order kept): 20% test, 10% valid.
# The digits are imported as real data on purpose, so continuous density models (gaussian, gmm,
# kde, rnade) can fit them; their values are still the integers 0..16, so a density there is a
# density of integer-valued data (add --dequantize-style noise yourself if you need a bound on
# the discrete likelihood).
#
# usage: datasets/sklearn_tables.sh [LOGP_BINARY] [OUT_DIR]
#   LOGP_BINARY  default: build/logp      OUT_DIR  default: data
set -euo pipefail
logp=${1:-build/logp}
out=${2:-data}
src=/usr/lib/python3/dist-packages/sklearn/datasets/data
[[ -d $src ]] || { echo "error: $src not found (apt-get install python3-sklearn)" >&2; exit 1; }
mkdir -p "$out"

# wine_data.csv and breast_cancer.csv start with a line "N,D,class names" that is not data.
"$logp" data import --format csv --kind real --train "$src/wine_data.csv" --skip-rows 1 \
  --label-column last --valid-fraction 0.1 --test-fraction 0.2 --seed 20 --out "$out/sklearn-wine.h5"
"$logp" data import --format csv --kind real --train "$src/breast_cancer.csv" --skip-rows 1 \
  --label-column last --valid-fraction 0.1 --test-fraction 0.2 --seed 21 --out "$out/sklearn-breast-cancer.h5"
# digits.csv.gz has no preamble: 64 pixel values 0..16, then the digit.
"$logp" data import --format csv --kind real --shape 8,8,1 --train "$src/digits.csv.gz" \
  --label-column last --valid-fraction 0.1 --test-fraction 0.2 --seed 22 --out "$out/sklearn-digits.h5"
