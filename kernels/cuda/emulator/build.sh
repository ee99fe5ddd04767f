#!/usr/bin/env bash
# Builds the test-only CUDA emulator (see driver.cpp) as OUT_DIR/libcuda.so.1.
# Without g++ on x86-64 it says so and exits 0 (the emulated test run then skips), unless
# GAUSSMIX_REQUIRE_CUDA_EMULATOR=true (CI), which makes that an error.
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
missing=""
command -v g++ >/dev/null 2>&1 || missing="g++ not found"
[ "$(uname -m)" = x86_64 ] || missing="not an x86-64 machine"
if [ -n "$missing" ]; then
    echo "cuda emulator: $missing; the emulated CUDA tests will be skipped"
    [ "${GAUSSMIX_REQUIRE_CUDA_EMULATOR:-}" = true ] && exit 1
    exit 0
fi
mkdir -p "$out"
lib="$out/libcuda.so.1"
# Rebuild only when a kernel or emulator source is newer than the library.
if [ -f "$lib" ] && [ -z "$(find "$here" "$here/.." -maxdepth 1 \( -name '*.cu' -o -name '*.cuh' -o -name '*.h' -o -name '*.cpp' \) -newer "$lib")" ]; then
    exit 0
fi
flags=(-std=c++17 -O2 -DGMM_EMULATOR -include "$here/emulator.h" -Wall -Wno-unknown-pragmas -Wno-sign-compare)
g++ "${flags[@]}" -o "$out/selftest" "$here/emulator.cpp" "$here/selftest.cpp"
"$out/selftest"
g++ "${flags[@]}" -fPIC -shared -o "$lib" "$here/emulator.cpp" "$here/driver.cpp"
echo "cuda emulator: built $lib"
