#!/usr/bin/env bash
# Installs the Debian packages logp needs; skips what is already there (idempotent).
#   tools/setup.sh            build + test dependencies (with headless Chromium for the HTML-report
#                             test, Open MPI for `mpirun -np R logp ...` and its tests, pybind11,
#                             numpy, pytest and scikit-learn for the Python module) and the
#                             Fashion-MNIST package
#   tools/setup.sh --peers    also the peers used by benchmarks/ (PyTorch, scikit-learn, OpenBLAS)
#   tools/setup.sh --sanitizers  also clang with its sanitizer and libFuzzer runtimes,
#                             llvm-symbolizer and curl (tools/run-sanitizers.sh)
set -euo pipefail

packages=(build-essential cmake pkg-config libeigen3-dev libtbb-dev libhdf5-dev libboost-math-dev
          catch2 libcli11-dev nlohmann-json3-dev libstb-dev zlib1g-dev dataset-fashion-mnist
          chromium-headless-shell fonts-dejavu-core  # headless Chromium: the HTML-report test renders a page
          libopenblas-dev                            # optional (LOGP_BLAS), core/gemm.hpp
          libopenmpi-dev openmpi-bin                 # optional (LOGP_MPI), docs/mpi.md
          python3-dev pybind11-dev python3-numpy python3-pytest python3-sklearn  # the Python module, its tests
          python3-pip python3-venv                   # pip's route to the module (python/setup.py) and its test
          help2man)                                  # the man page, from `logp --help` (cmake/cli_docs.cmake)
for option in "$@"; do
  case "$option" in
    --peers) packages+=(python3-h5py python3-torch libopenblas0-pthread) ;;
    --sanitizers) packages+=(clang libclang-rt-dev llvm curl) ;;  # curl: Debian's oneTBB source (tools/build-tsan-tbb.sh)
    *) echo "usage: tools/setup.sh [--peers] [--sanitizers]" >&2; exit 2 ;;
  esac
done

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "logp setup: installing ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  sudo_cmd=()
elif command -v sudo >/dev/null; then
  sudo_cmd=(sudo)
else
  echo "logp setup: need root (or sudo) to install: ${missing[*]}" >&2
  exit 1
fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
