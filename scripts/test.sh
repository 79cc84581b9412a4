#!/usr/bin/env bash
# Builds and runs the whole test suite four times: g++ and clang-19 at -O2, then AddressSanitizer +
# UndefinedBehaviorSanitizer with g++ at -O0 and clang-19 at -O1. Pass preset names to run only those.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

presets=("$@")
[[ ${#presets[@]} -gt 0 ]] || presets=(gcc clang asan-gcc asan-clang)
jobs=$(nproc)

for preset in "${presets[@]}"; do
    echo "=== ${preset}"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
    ctest --preset "$preset" -j "$jobs"
done
echo "=== all ${#presets[@]} configurations passed"
