#!/usr/bin/env bash
# Runs the foundation benchmarks and records their output, with the command, under
# benchmarks/results/. Needs the Fashion-MNIST files (tools/main-job.sh makes them).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh build
mkdir -p benchmarks/results
record() {  # record NAME COMMAND...
  local name=$1
  shift
  {
    echo "# $name"
    echo
    echo "Command: \`$*\`  "
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%d)"
    echo
    "$@"
  } | tee "benchmarks/results/$name.md"
}
record scoring build/bench_scoring data/fashion-mnist-binary.h5 5
record hdf5_read build/bench_hdf5_read data/fashion-mnist-binary.h5 4096 5
