#!/usr/bin/env bash
# Builds the examples and runs the main demo: a 20,000-record API over real HTTP (a local server the demo starts
# itself), streamed lazily versus collected first. Pass a URL to walk a real Link-header API instead.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/demo -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DPAGED_BUILD_TESTS=OFF -DPAGED_BUILD_BENCHMARKS=OFF -DPAGED_BUILD_EXAMPLES=ON >/dev/null
cmake --build build/demo --target http_demo lazy_pages_demo -j "$(nproc)"
build/demo/examples/http_demo "$@"
