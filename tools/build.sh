#!/usr/bin/env bash
# Configures and builds logp.  tools/build.sh [BUILD_DIR] [extra cmake options...]
# Default: Release in build/, tuned for this machine (-march=native).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
shift || true
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
