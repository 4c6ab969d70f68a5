#!/usr/bin/env bash
# Builds oneTBB with ThreadSanitizer for the TSan stage of tools/run-sanitizers.sh. Debian's
# libtbb is not instrumented, so TSan would miss the happens-before edges of TBB's task queues
# and report a race in every parallel_for. The source is Debian's own: the upstream tarball of
# the onetbb source package (the installed libtbb-dev's version, so headers and library agree),
# checked against its SHA-256 from the package's .dsc. Only libtbb (no tbbmalloc, tests, examples).
#   tools/build-tsan-tbb.sh [DIR]   (default build-tsan-tbb/) prints DIR/install/lib/cmake/TBB,
#                                   the TBB_DIR for a -DLOGP_TSAN=ON build; reuses a finished build.
set -euo pipefail
cd "$(dirname "$0")/.."
version=2021.8.0
sha256=7e9111b8bb59c8800bf6d0b06afe7b0891937443d2dae1ee1101c8e2ede6a7ef
url="http://deb.debian.org/debian/pool/main/o/onetbb/onetbb_$version.orig.tar.xz"
dir=$(realpath -m "${1:-build-tsan-tbb}")
config="$dir/install/lib/cmake/TBB"
if [[ -f "$config/TBBConfig.cmake" ]]; then
  echo "$config"
  exit 0
fi
installed=$(dpkg-query -W -f='${Version}' libtbb-dev 2>/dev/null || echo "not installed")
if [[ "$installed" != "$version"-* ]]; then
  echo "build-tsan-tbb: libtbb-dev is $installed, this script builds oneTBB $version: update version and sha256" >&2
  exit 1
fi
mkdir -p "$dir"
tarball="$dir/onetbb_$version.orig.tar.xz"
curl -fsSL --retry 3 -o "$tarball" "$url"
if ! echo "$sha256  $tarball" | sha256sum -c --quiet; then
  echo "build-tsan-tbb: $tarball: SHA-256 differs from the onetbb $version source package's" >&2
  exit 1
fi
tar -xf "$tarball" -C "$dir"
CC=clang CXX=clang++ cmake -S "$dir/oneTBB-$version" -B "$dir/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTBB_SANITIZE=thread -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF -DTBB_STRICT=OFF -DTBBMALLOC_BUILD=OFF \
  -DTBB_ENABLE_IPO=OFF -DCMAKE_INSTALL_PREFIX="$dir/install" >/dev/null
cmake --build "$dir/build" -j"$(nproc)" >/dev/null
cmake --install "$dir/build" >/dev/null
echo "$config"
