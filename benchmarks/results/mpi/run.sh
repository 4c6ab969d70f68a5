#!/usr/bin/env bash
# Training throughput of NADE on Fashion-MNIST binary over MPI ranks x TBB threads, and the
# time per step spent in messages between ranks, for two gradient sizes (H=500: 785,284
# parameters, 3.1 MB; H=50: 78,534, 0.31 MB). One epoch of 50,000 examples, batch 100 in shards
# of 25 (4 shards per step, 500 steps), no validation. 2x1y: 2 ranks that yield the core while
# they wait (--mca mpi_yield_when_idle 1) instead of polling; on a machine shared with other jobs
# a polling rank takes CPU time from the rank it waits for.
#   benchmarks/results/mpi/run.sh [LOGP] [DATA]      (from the repository root)
set -euo pipefail
logp=${1:-build/logp}
data=${2:-data/fashion-mnist-binary.h5}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

echo "# $(date -u +%FT%TZ) $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for hidden in 500 50; do
  fit="fit nade --hidden $hidden --epochs 1 --batch-size 100 --shard-size 25 --valid-split none --seed 1 --data $data"
  for config in 1x1 1x2 2x1 2x1y; do
    ranks=${config%x*} threads=${config#*x} yield=()
    [[ $threads == *y ]] && threads=${threads%y} yield=(--mca mpi_yield_when_idle 1)
    if [[ $ranks -eq 1 ]]; then
      line=$("$logp" --threads "$threads" $fit --out "$scratch/$config.h5" 2>&1 | grep '^trained')
    else
      line=$(mpirun -np "$ranks" --bind-to none "${yield[@]}" "$logp" --threads "$threads" $fit --out "$scratch/$config.h5" 2>&1 | grep '^trained')
    fi
    echo "H=$hidden ranks x threads $config: $line"
  done
  # the parameters of 2 ranks equal those of 1 process, byte for byte (every dataset under /model)
  /usr/bin/python3 - "$scratch/1x1.h5" "$scratch/2x1.h5" "$hidden" <<'PY'
import sys, h5py
def values(path):
    out = {}
    with h5py.File(path, "r") as f:
        f["model"].visititems(lambda name, obj: out.__setitem__(name, obj[()].tobytes()) if isinstance(obj, h5py.Dataset) else None)
    return out
same = values(sys.argv[1]) == values(sys.argv[2])
print(f"H={sys.argv[3]}: 2x1 model parameters {'equal' if same else 'DIFFER from'} 1x1's, byte for byte")
PY
done
# memory bandwidth for comparison: one copy of a gradient-sized buffer (H=500: 3.14 MB)
/usr/bin/python3 -c "
import numpy as np, time
a = np.ones(785284, np.float32); b = np.empty_like(a); n = 2000
t = time.perf_counter()
for _ in range(n): np.copyto(b, a)
s = (time.perf_counter() - t) / n
print(f'# copy of 3.14 MB: {s*1e3:.3f} ms ({2*a.nbytes/s/1e9:.1f} GB/s read+write)')"
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
