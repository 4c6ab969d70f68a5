#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (CTest over Catch2).
#   tools/run-tests.sh              Release build with assertions in build-tests/
#   tools/run-tests.sh --sanitize   AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/
#   tools/run-tests.sh --ci         what CI runs: the Release suite, then tools/run-sanitizers.sh
#                                   (ASan+UBSan subset, bounded fuzzing, ThreadSanitizer)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh

if [[ "${1:-}" == "--sanitize" ]]; then
  build_dir=build-asan
  options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DLOGP_SANITIZE=ON -DLOGP_BUILD_BENCHMARKS=OFF)
  export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
else
  build_dir=build-tests
  # Release optimizations with assert() kept on.
  options=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE=-O2 -DLOGP_BUILD_BENCHMARKS=OFF)
fi
cmake -S . -B "$build_dir" "${options[@]}" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
cd "$build_dir"
ctest --output-on-failure -j"$(nproc)"
if [[ "${1:-}" == "--ci" ]]; then
  cd ..
  tools/run-sanitizers.sh
fi
