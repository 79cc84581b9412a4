#!/usr/bin/env bash
# Builds the examples and runs the demo: laziness and early stop on an in-memory paginated source.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/demo -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DPAGED_BUILD_TESTS=OFF -DPAGED_BUILD_BENCHMARKS=OFF -DPAGED_BUILD_EXAMPLES=ON >/dev/null
cmake --build build/demo --target lazy_pages_demo -j "$(nproc)"
build/demo/examples/lazy_pages_demo "$@"
