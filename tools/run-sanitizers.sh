#!/usr/bin/env bash
# The sanitizer stage of CI (`tools/run-tests.sh --ci` runs it after the normal suite). Clang builds:
#   build-fuzz/  AddressSanitizer + UndefinedBehaviorSanitizer, with the libFuzzer targets
#                (LOGP_FUZZ): the Catch2 tests of ASAN_TESTS, then every fuzz target for
#                a fixed number of runs at a fixed seed on a scratch copy of its corpus
#                (tests/fuzz/README.md); zero crashes, leaks, sanitizer reports or timeouts.
#   build-tsan/  ThreadSanitizer: the threaded tests (TSAN_TESTS): 1 thread == N threads in
#                training, scoring and the evaluations (only their files are built: CMakeLists.txt,
#                LOGP_TSAN). Needs a oneTBB built with -fsanitize=thread: Debian's libtbb is not
#                instrumented, so TSan misses the happens-before of its task queues and reports
#                races in every parallel_for (a 20-line program: 20 to 46 reports, varying by
#                run), which no suppression can tell from real ones. tools/build-tsan-tbb.sh builds it from
#                Debian's source into build-tsan-tbb/ (TSAN_TBB_DIR=another lib/cmake/TBB: that one).
#   tools/run-sanitizers.sh [asan|fuzz|tsan]...   (default: all three, in this order)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --sanitizers

# A representative subset under ASan+UBSan (the whole suite takes about three times the budget
# on 2 cores): the readers and writers of every file type, the command line's error paths, the
# model checker (every model type: fit, save, load, score, sample), autodiff and the NADE
# kernels. Left out: long numerical checks whose code the checker already runs (quadratures,
# dense accuracy grids, bootstrap coverage, the HTML report in Chromium).
ASAN_TESTS=${ASAN_TESTS:-"[io],[data],[csv],[npy],[idx],[import],[model-file],[errors],[usage],[faults],[checker],[autodiff],[nade],[ordering],[score],[compare],[checkpoint]"}
# Catch2 test specs of the tests that compare thread counts (names say "thread" or "serial").
TSAN_TESTS=${TSAN_TESTS:-"*thread*,*serial*,[threads],[trainer],[score]"}
# CI's fuzzing is a reproducible regression gate: a fixed seed and a fixed number of runs per
# target (about 30 s each here), so a commit gets the same verdict on every run. Exploring is
# a separate, deliberate act: FUZZ_SEED=0 (libFuzzer draws a seed) with FUZZ_SECONDS=600 runs
# each target for that long instead; what it finds becomes a test (tests/fuzz/README.md).
FUZZ_SEED=${FUZZ_SEED:-1}
FUZZ_SECONDS=${FUZZ_SECONDS:-}
asan_build=$(realpath -m "${ASAN_BUILD:-build-fuzz}")  # (build-asan/ is run-tests.sh --sanitize's, with GCC)
FUZZ_TARGETS=(npy csv idx model_fields suite)
# Raw bytes into libhdf5: mutation finds libhdf5 1.10's own memory errors within minutes (a heap
# overflow in H5Aexists, an allocation of 2^64 in H5C_protect: tests/fuzz/libhdf5-findings/),
# which logp cannot fix; CI replays their seed corpora only (every seed file loads cleanly).
# fuzz_model_fields mutates what logp validates, inside files that stay valid HDF5.
REPLAY_TARGETS=(model dataset)
jobs=$(nproc)
stages=("$@")
[[ ${#stages[@]} -eq 0 ]] && stages=(asan fuzz tsan)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/logp-sanitizers.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# -O1 with line tables and assert() on: about half the compile time of -O2 -g, fast enough to run.
clang_options=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Sanitize
               "-DCMAKE_CXX_FLAGS_SANITIZE=-O1 -gline-tables-only" "-DCMAKE_C_FLAGS_SANITIZE=-O1"
               -DLOGP_BUILD_BENCHMARKS=OFF)
# fuzz_model_fields reads programs of at most 8 edits of 11 bytes: no slow ramp of the length.
max_len_of() { [[ "$1" == model_fields ]] && echo "-max_len=96 -len_control=0" || echo "-max_len=65536"; }
# Runs per target at the fixed seed (model_fields loads and scores a model per run: ~100/s).
runs_of() { [[ "$1" == model_fields ]] && echo 3000 || echo 60000; }
fuzz_budget() {
  if [[ -n "$FUZZ_SECONDS" ]]; then echo "-max_total_time=$FUZZ_SECONDS"; else echo "-runs=$(runs_of "$1")"; fi
}
stamp() { echo "== $(date -u +%H:%M:%S) $*" >&2; }

build_asan() {
  stamp "$asan_build: configure and build"
  cmake -S . -B "$asan_build" "${clang_options[@]}" -DLOGP_FUZZ=ON >/dev/null
  cmake --build "$asan_build" -j"$jobs"
}

for stage in "${stages[@]}"; do
  case "$stage" in
    asan)
      build_asan
      stamp "asan: logp_tests $ASAN_TESTS"
      ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$asan_build"/logp_tests "$ASAN_TESTS"
      ;;
    fuzz)
      build_asan  # incremental: nothing to do after the asan stage, a rebuild after an edit
      for target in "${FUZZ_TARGETS[@]}"; do
        stamp "fuzz: fuzz_$target $(fuzz_budget "$target") -seed=$FUZZ_SEED"
        mkdir -p "$scratch/corpus-$target" "$scratch/findings-$target"
        cp tests/fuzz/corpus/"$target"/* "$scratch/corpus-$target/"
        # A finding is written to $scratch/findings-$target and fails the stage (the log names it).
        (cd "$scratch/findings-$target" &&
          TMPDIR="$scratch" ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS="suppressions=$OLDPWD/tests/fuzz/lsan.supp" \
            "$asan_build/fuzz_$target" \
            $(fuzz_budget "$target") -seed="$FUZZ_SEED" -rss_limit_mb=2048 -timeout=10 $(max_len_of "$target") \
            -print_final_stats=1 "$scratch/corpus-$target" 2>&1 | grep -v '^#[0-9]' | tail -40)
        if [[ -n "$(ls -A "$scratch/findings-$target")" ]]; then
          echo "fuzz_$target: findings: $(ls "$scratch/findings-$target")" >&2
          exit 1
        fi
      done
      for target in "${REPLAY_TARGETS[@]}"; do
        stamp "fuzz: fuzz_$target replays tests/fuzz/corpus/$target"
        LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp" "$asan_build/fuzz_$target" -runs=0 \
          tests/fuzz/corpus/"$target" 2>&1 | tail -3
      done
      ;;
    tsan)
      if [[ -z "${TSAN_TBB_DIR:-}" ]]; then
        stamp "build-tsan-tbb: oneTBB with -fsanitize=thread"
        TSAN_TBB_DIR=$(tools/build-tsan-tbb.sh)
      fi
      stamp "build-tsan: configure and build"
      cmake -S . -B build-tsan "${clang_options[@]}" -DLOGP_TSAN=ON -DTBB_DIR="$TSAN_TBB_DIR" >/dev/null
      cmake --build build-tsan -j"$jobs" --target logp_tests
      stamp "tsan: logp_tests $TSAN_TESTS"
      TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build-tsan/logp_tests "$TSAN_TESTS"
      ;;
    *)
      echo "usage: tools/run-sanitizers.sh [asan|fuzz|tsan]..." >&2
      exit 2
      ;;
  esac
done
stamp "sanitizers: passed"
