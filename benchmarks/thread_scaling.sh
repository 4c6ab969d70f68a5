#!/usr/bin/env bash
# Thread scaling on this machine: examples/s at 2 threads over 1 thread for NADE and RNADE training
# and scoring (build/bench_nade three times, build/bench_rnade at 1 and 2 threads), in one run.
# The VAE's scaling is in benchmarks/results/vae_vs_pytorch.md (logp at 1 and 2 threads).
#   benchmarks/thread_scaling.sh [BUILD_DIR=build]
# Writes benchmarks/results/thread_scaling.md.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[[ -f data/fashion-mnist-binary.h5 ]] || "$build/logp" data fashion-mnist --out data
out=benchmarks/results/thread_scaling.md
nade_runs=$(for run in 1 2 3; do "$build/bench_nade" data/fashion-mnist-binary.h5 500 30 4000 | grep '^| [12] |'; done)
rnade=$(for threads in 1 2; do "$build/bench_rnade" data/fashion-mnist-8bit.h5 500 "$threads" | grep -E '^ +[0-9]+ +[0-9]+ '; done)
/usr/bin/python3 - "$out" "$build" "$(cut -d' ' -f1-3 /proc/loadavg)" <<PY
import sys
out, build, load = sys.argv[1:4]
nade = [line.split("|")[1:-1] for line in """$nade_runs""".strip().splitlines()]
rnade = [line.split() for line in """$rnade""".strip().splitlines()]
lines = ["# Thread scaling: 2 threads over 1 thread on this 2-core machine", "",
         f"Command: \`benchmarks/thread_scaling.sh {build}\`; load average at the end: {load}", "",
         "## NADE H=500 on Fashion-MNIST binary (bench_nade: 30 batches of 100 in shards of 25, Adam; scoring 4000 examples)", "",
         "| run | train ex/s 1 thread | 2 threads | scaling | score ex/s 1 thread | 2 threads | scaling |",
         "|---|---:|---:|---:|---:|---:|---:|"]
for run in range(len(nade) // 2):
    one, two = nade[2 * run], nade[2 * run + 1]
    t1, t2, s1, s2 = float(one[1]), float(two[1]), float(one[3]), float(two[3])
    lines.append(f"| {run + 1} | {t1:.0f} | {t2:.0f} | {t2 / t1:.2f}x | {s1:.0f} | {s2:.0f} | {s2 / s1:.2f}x |")
lines += ["", "## RNADE on Fashion-MNIST 8-bit, 500 examples (bench_rnade: training in batches of 100, shards of 25)", "",
          "| H | K | train ex/s 1 thread | 2 threads | scaling | score ex/s 1 thread | 2 threads | scaling |",
          "|---:|---:|---:|---:|---:|---:|---:|---:|"]
half = len(rnade) // 2
for one, two in zip(rnade[:half], rnade[half:]):
    s1, t1, s2, t2 = float(one[2]), float(one[3]), float(two[2]), float(two[3])
    lines.append(f"| {one[0]} | {one[1]} | {t1:.0f} | {t2:.0f} | {t2 / t1:.2f}x | {s1:.0f} | {s2:.0f} | {s2 / s1:.2f}x |")
open(out, "w").write("\n".join(lines) + "\n")
PY
echo "wrote $out"
