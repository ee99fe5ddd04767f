#!/usr/bin/env bash
# Adds to .device/ (after ../shared/device/pack.sh) what the GPU run needs beyond Java: an OpenCL ICD
# loader, so that the OpenCL backend can reach NVIDIA's OpenCL driver (libnvidia-opencl.so.1, shipped
# with the driver) on a machine that has no loader installed and no network to install one.
#
#   .device/ocl/usr/lib/x86_64-linux-gnu/libOpenCL.so.1   Debian's ocl-icd-libopencl1, unpacked
#   .device/ocl/vendors/nvidia.icd                        names the driver's library; run.sh points
#                                                         OCL_ICD_VENDORS here
#
# usage (from the project root, after pack.sh):  bash benchmarks/gpu/pack-extra.sh
set -euo pipefail
[ -f pom.xml ] && [ -x .device/java.sh ] || { echo "pack-extra: run from the project root after ../shared/device/pack.sh (no .device/java.sh here)" >&2; exit 2; }
dest=.device/ocl
rm -rf "$dest"
mkdir -p "$dest/vendors"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# apt-get download needs no root and writes the .deb into the current directory.
(cd "$tmp" && apt-get download ocl-icd-libopencl1 >/dev/null 2>&1) \
    || { echo "pack-extra: apt-get download ocl-icd-libopencl1 failed (run apt-get update?)" >&2; exit 1; }
dpkg-deb -x "$tmp"/ocl-icd-libopencl1_*.deb "$dest"
# The documentation is not needed on the device; links become copies, since what travels keeps
# links only as links.
rm -rf "$dest/usr/share"
find "$dest" -type l | while read -r l; do cp --remove-destination "$(readlink -f "$l")" "$l"; done
[ -e "$dest/usr/lib/x86_64-linux-gnu/libOpenCL.so.1" ] \
    || { echo "pack-extra: libOpenCL.so.1 missing from the unpacked package" >&2; exit 1; }
# By name: the loader finds it through the dynamic linker (run.sh adds the driver's folder when the
# linker's cache does not know it).
echo "libnvidia-opencl.so.1" > "$dest/vendors/nvidia.icd"
# Spark and its tree (the `provided` dependencies, ~330 MB) are not needed on the GPU machine: no step of
# run.sh uses them, and the test classes that do are not tagged gpu. pack.sh copies every test-scope jar.
mvn -B -ntp -q dependency:build-classpath -DincludeScope=provided -Dmdep.outputFile="$tmp/provided.txt" >/dev/null
tr ':' '\n' < "$tmp/provided.txt" | while read -r jar; do rm -f ".device/lib/$(basename "$jar")"; done
bytes=$(du -sb .device | cut -f1)
tree=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
echo "pack-extra: $(dpkg-deb -f "$tmp"/ocl-icd-libopencl1_*.deb Version) of ocl-icd-libopencl1 in $dest;" \
     "with the tracked tree $(((bytes + tree) / 1048576)) MiB travel (limit 64 MiB)"
[ $((bytes + tree)) -lt 62914560 ] || { echo "pack-extra: over 60 MiB: the device tool may refuse to send it" >&2; exit 1; }
