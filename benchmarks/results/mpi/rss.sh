#!/usr/bin/env bash
# Peak resident memory per rank, and training examples/s, when each training rank reads only the
# rows of its own shards (this branch) against every rank reading the whole split (BEFORE, the
# logp before that change). NADE H=500 on Fashion-MNIST binary (50,000 x 784), one epoch, batch
# 100 in shards of 25, no validation, one thread per rank, ranks yield while they wait.
#   benchmarks/results/mpi/rss.sh LOGP BEFORE [DATA]      (from the repository root)
set -euo pipefail
logp=$1 before=$2
data=${3:-data/fashion-mnist-binary.h5}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

echo "# $(date -u +%FT%TZ) $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
fit="fit nade --hidden 500 --epochs 1 --batch-size 100 --shard-size 25 --valid-split none --seed 1 --data $data"
for build in before after; do
  binary=$([[ $build == before ]] && echo "$before" || echo "$logp")
  for ranks in 1 2; do
    out="$scratch/$build-$ranks.h5"
    line=$(mpirun -np "$ranks" --bind-to none --mca mpi_yield_when_idle 1 \
      /usr/bin/time -f "peak RSS of a rank: %M KB" "$binary" --threads 1 $fit --out "$out" 2>&1 |
      grep -E '^trained|peak RSS' | tr '\n' ' ')
    echo "$build, $ranks rank(s): $line"
  done
done
/usr/bin/python3 - "$scratch"/*.h5 <<'PY'
import sys, h5py
def values(path):
    out = {}
    with h5py.File(path, "r") as f:
        f["model"].visititems(lambda name, obj: out.__setitem__(name, obj[()].tobytes()) if isinstance(obj, h5py.Dataset) else None)
    return out
first = values(sys.argv[1])
for path in sys.argv[2:]:
    print(path.rsplit("/", 1)[1], "parameters equal to", sys.argv[1].rsplit("/", 1)[1], "byte for byte:", values(path) == first)
PY
