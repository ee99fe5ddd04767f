#!/usr/bin/env bash
# Builds kernels/cuda/estep.ptx from the CUDA sources (run by Maven in generate-resources).
#   nvcc -ptx -arch=compute_80 -O3  ->  header rewritten to ".version 8.0" (loads on any CUDA 12.0+
#   driver; nvcc 13 writes 9.0, which only 13.x drivers accept)  ->  ptxas -arch=sm_80 and sm_90
#   must accept it  ->  first line "// gaussmix-source-sha256: <hash of the sources>".
# The PTX is committed: without nvcc this script keeps it and says so. Up to date: does nothing.
# Usage: kernels/build-ptx.sh [--force]
set -euo pipefail

cd "$(dirname "$0")/cuda"
OUT=estep.ptx
PTX_VERSION=8.0

# SHA-256 over "<name>\n<bytes>" of every .cu/.cuh file in byte order of their names
# (PtxFreshnessTest computes the same).
source_hash() {
    local f
    for f in $(ls *.cu *.cuh | LC_ALL=C sort); do
        printf '%s\n' "$f"
        cat "$f"
    done | sha256sum | cut -d' ' -f1
}

HASH=$(source_hash)
HEADER="// gaussmix-source-sha256: $HASH"
if [[ "${1:-}" != "--force" && -f "$OUT" && "$(head -n 1 "$OUT")" == "$HEADER" ]]; then
    exit 0
fi
if ! command -v nvcc >/dev/null 2>&1; then
    echo "build-ptx: nvcc not on PATH; keeping the committed kernels/cuda/$OUT (it does not match the sources: PtxFreshnessTest will fail)"
    exit 0
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
NVCC_VERSION=$(nvcc --version | grep -o 'release [0-9.]*, V[0-9.]*' || echo unknown)
nvcc -ptx -arch=compute_80 -O3 -o "$TMP/raw.ptx" estep.cu
grep -q '^\.version ' "$TMP/raw.ptx" || { echo "build-ptx: no .version line in nvcc output" >&2; exit 1; }
sed -E "s/^\.version [0-9]+\.[0-9]+\$/.version $PTX_VERSION/" "$TMP/raw.ptx" > "$TMP/body.ptx"
for arch in sm_80 sm_90; do
    if ! ptxas -arch="$arch" "$TMP/body.ptx" -o "$TMP/check_$arch.cubin"; then
        echo "build-ptx: ptxas -arch=$arch rejected the PTX (.version $PTX_VERSION)" >&2
        exit 1
    fi
done
{
    echo "$HEADER"
    echo "// built by kernels/build-ptx.sh: nvcc $NVCC_VERSION -ptx -arch=compute_80 -O3; .version rewritten to $PTX_VERSION; ptxas sm_80 and sm_90 accept it"
    cat "$TMP/body.ptx"
} > "$TMP/$OUT"
mv "$TMP/$OUT" "$OUT"
echo "build-ptx: wrote kernels/cuda/$OUT ($NVCC_VERSION, sources $HASH)"
