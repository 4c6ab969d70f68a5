#!/usr/bin/env bash
# Peak memory against data size: `logp data import` (NPY, IDX, CSV), `fit`, `score` and `compare`
# on a binary split of N x 784 (default N = 2,000,000: 1.57 GB of values), each run under
# /usr/bin/time -v (its "Maximum resident set size"). Prints a markdown table; results and the
# command line are kept in benchmarks/results/bounded_memory.md.
#
#   benchmarks/bounded_memory.sh [LOGP] [SCRATCH]      N=..., CSV_N=... to change the sizes
#
# Needs about 2.2 x the data size free in SCRATCH (the .npy, the .idx, the imported .h5, the CSV);
# everything made there is deleted at the end.
set -euo pipefail
LOGP=${1:-build/logp}
SCRATCH=${2:-/tmp/logp-bounded-memory}
N=${N:-2000000}
CSV_N=${CSV_N:-200000}  # CSV text is ~2 bytes per value: a smaller file, parsed twice by the importer
LOGP=$(readlink -f "$LOGP")
mkdir -p "$SCRATCH"
trap 'rm -rf "$SCRATCH"' EXIT
cd "$SCRATCH"

# x.npy (N, 28, 28) |u1 random bits, y.npy (N,) <i8 labels, the same as IDX files, and the first
# CSV_N examples as a CSV with the label in the last column.
/usr/bin/python3 - "$N" "$CSV_N" <<'PY'
import sys, numpy as np
n, csv_n = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(1)
x = np.lib.format.open_memmap("x.npy", mode="w+", dtype=np.uint8, shape=(n, 28, 28))
for start in range(0, n, 100000):
    stop = min(n, start + 100000)
    x[start:stop] = rng.integers(0, 2, size=(stop - start, 28, 28), dtype=np.uint8)
x.flush()
y = (np.arange(n) % 10).astype(np.int64)
np.save("y.npy", y)
with open("x.idx", "wb") as f:
    f.write(bytes([0, 0, 8, 3]) + n.to_bytes(4, "big") + (28).to_bytes(4, "big") + (28).to_bytes(4, "big"))
    for start in range(0, n, 100000):
        f.write(np.ascontiguousarray(x[start:start + 100000]).tobytes())
with open("y.idx", "wb") as f:
    f.write(bytes([0, 0, 8, 1]) + n.to_bytes(4, "big") + y.astype(np.uint8).tobytes())
with open("x.csv", "wb") as f:  # "b,b,...,b,label\n": digits at even offsets, commas between
    for start in range(0, csv_n, 20000):
        rows = x[start:min(csv_n, start + 20000)].reshape(-1, 784)
        text = np.full((rows.shape[0], 2 * 785), ord(","), dtype=np.uint8)
        text[:, 0:2 * 784:2] = rows + ord("0")
        text[:, 2 * 784] = (y[start:start + rows.shape[0]] + ord("0")).astype(np.uint8)
        text[:, -1] = ord("\n")
        f.write(text.tobytes())
PY

# "name | peak RSS MB | seconds" for one command (its output goes to $SCRATCH/last.log).
measure() {
  local name=$1
  shift
  if ! /usr/bin/time -v "$@" >last.log 2>time.log; then
    cat last.log time.log >&2
    exit 1
  fi
  local kb secs
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' time.log)
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' time.log)
  printf '| %s | %.1f | %s |\n' "$name" "$(echo "$kb / 1000" | bc -l)" "$secs"
}

size_mb() { printf '%.1f' "$(echo "$(stat -c %s "$1") / 1000000" | bc -l)"; }

echo "N = $N x 784 binary: x.npy $(size_mb x.npy) MB, x.idx $(size_mb x.idx) MB; CSV_N = $CSV_N: x.csv $(size_mb x.csv) MB"
echo
echo "| command | peak RSS (MB) | wall (h:mm:ss) |"
echo "|---|---:|---:|"
measure "data import --format npy (test 10% carved)" "$LOGP" --threads 1 data import --format npy --kind binary \
  --train x.npy --train-labels y.npy --test-fraction 0.1 --seed 1 --out data.h5
echo "| (imported file: $(size_mb data.h5) MB) | | |"
measure "data import --format idx" "$LOGP" --threads 1 data import --format idx --kind binary \
  --train x.idx --train-labels y.idx --out idx.h5
rm -f idx.h5
measure "data import --format csv (N = $CSV_N, label column)" "$LOGP" --threads 1 data import --format csv \
  --kind binary --label-column last --shape 28,28 --train x.csv --out csv.h5
rm -f csv.h5 x.idx y.idx x.csv
measure "fit bernoulli (train split)" "$LOGP" --threads 1 fit bernoulli --data data.h5 --out a.h5
"$LOGP" --threads 1 fit bernoulli --alpha 2 --data data.h5 --out b.h5 >/dev/null
measure "score (train split, per-example scores to .h5)" "$LOGP" --threads 1 score --model a.h5 --data data.h5 \
  --split train --out scores.h5
measure "compare (two models scored on the train split)" "$LOGP" --threads 1 compare --model a.h5 --model b.h5 \
  --data data.h5 --split train
