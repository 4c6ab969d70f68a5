#!/usr/bin/env bash
# `logp benchmark` over MPI ranks: one suite on Fashion-MNIST binary run by 1 process and by
# `mpirun -np 2`, with 1 and 2 threads per step (ranks x threads), each in a fresh run
# directory; the wall time of each, which rank ran which step, and whether the reports' results
# equal the single process's (measured times aside).
#   benchmarks/results/mpi/benchmark_suite.sh [LOGP] [DATA_DIR]      (from the repository root)
set -euo pipefail
logp=$(realpath "${1:-build/logp}")
data_dir=${2:-data}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cat >"$scratch/suite.json" <<'JSON'
{
  "name": "mpi-spread",
  "description": "Closed-form and trained models on binarized Fashion-MNIST, two seeds: the steps an MPI job spreads over its ranks.",
  "datasets": [{"name": "fmnist-binary", "file": "fashion-mnist-binary.h5"}],
  "models": [
    {"name": "bernoulli", "fit": {"model": "bernoulli", "alpha": 1}, "seeded": false},
    {"name": "markov-order1", "fit": {"model": "markov", "order": 1}, "seeded": false},
    {"name": "markov-order3", "fit": {"model": "markov", "order": 3}, "seeded": false},
    {"name": "markov-neighbours", "fit": {"model": "markov", "context": "left,up,up-left,up-right"}, "seeded": false},
    {"name": "nade-h100", "fit": {"model": "nade", "hidden": 100, "epochs": 2, "learning-rate": 0.001}}
  ],
  "seeds": [0, 1],
  "analyses": {"compare": true, "perturbed_outliers": {"fraction": 0.1, "seed": 0}, "sample_grids": false}
}
JSON

echo "# $(date -u +%FT%TZ) $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for config in 1x1 1x2 2x1 2x2; do
  ranks=${config%x*} threads=${config#*x}
  launcher=()
  [[ $ranks -gt 1 ]] && launcher=(mpirun -np "$ranks" --bind-to none)
  start=$(date +%s.%N)
  "${launcher[@]}" "$logp" --threads "$threads" benchmark ${launcher:+--mpi} --suite "$scratch/suite.json" --data-dir "$data_dir" \
    --out "$scratch/$config" >/dev/null 2>"$scratch/$config.log"
  echo "ranks x threads $config: $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s wall"
done
/usr/bin/python3 - "$scratch" <<'PY'
import json, sys
scratch = sys.argv[1]
def report(config):
    with open(f"{scratch}/{config}/report.json") as f:
        return json.load(f)
def without_timings(value):
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items() if k not in ("fit_seconds", "seconds", "examples_per_second")}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value
def results(config):
    return json.loads(json.dumps(report(config)["results"]).replace(f"{scratch}/{config}/", f"{scratch}/1x2/"))
one = report("1x2")
print(f"{len(one['steps'])} steps; step seconds in the 1x2 run: "
      + ", ".join(f"{s['step']} {s['seconds']:.1f}" for s in one["steps"] if s["seconds"] >= 1))
for config in ("1x1", "2x1", "2x2"):
    steps = report(config)["steps"]
    per_rank = {}
    for s in steps:
        per_rank.setdefault(s.get("rank"), []).append(s["seconds"])
    busy = ", ".join(f"rank {r}: {len(v)} steps, {sum(v):.1f} s" for r, v in sorted(per_rank.items(), key=str))
    same = without_timings(results(config)) == without_timings(results("1x2"))
    print(f"{config}: {busy}; results {'equal' if same else 'DIFFER from'} 1x2's (measured times aside)")
PY
