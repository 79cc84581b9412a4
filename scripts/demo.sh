#!/usr/bin/env bash
# Builds examples/http_demo and runs it: a 20,000-record API over real HTTP, streamed lazily versus collected first.
# With no argument it starts the local test server (tests/support/paged_server.py: python3's standard library only)
# on a free port of 127.0.0.1 and stops it by its PID at the end; given a URL, it walks that Link-header API instead:
#
#     scripts/demo.sh
#     scripts/demo.sh 'https://api.github.com/repos/OWNER/REPO/issues?per_page=50'
#
# Installs only what the demo needs (scripts/install-deps.sh demo). Builds in build/demo, or PAGED_DEMO_BUILD_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh demo
build=${PAGED_DEMO_BUILD_DIR:-build/demo}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPAGED_HTTP=ON -DPAGED_BUILD_EXAMPLES=ON \
    -DPAGED_BUILD_TESTS=OFF -DPAGED_BUILD_BENCHMARKS=OFF -DPAGED_BUILD_TOOLS=OFF -DPAGED_INSTALL=OFF >/dev/null
cmake --build "$build" --target http_demo -j "$(nproc)"
demo="$build/examples/http_demo"

if [[ $# -gt 0 ]]; then
    exec "$demo" "$@"
fi

records=20000
coproc server { exec python3 tests/support/paged_server.py --records "$records"; }
# Once bash reaps a coprocess it unsets server and server_PID and closes the pipe: a server that exits at once would
# take them away before the read. Keep the PID and a descriptor of our own, right away.
server_pid=${server_PID:-}
server_fd=${server[0]:-}
if [[ -z $server_pid || -z $server_fd ]] || ! exec {server_output}<&"$server_fd"; then
    echo "demo: the local server exited at once (python3 tests/support/paged_server.py)" >&2
    exit 1
fi
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
# Its first line, "listening on <port>", says it is ready.
ready=""
read -r -u "$server_output" ready || true
if [[ ! $ready =~ ^listening\ on\ ([0-9]+)$ ]]; then
    echo "demo: the local server did not start (it said: '$ready')" >&2
    exit 1
fi
echo "Local server on 127.0.0.1:${BASH_REMATCH[1]}: $records records, 50 a page, Link headers (PID $server_pid)"
"$demo" "http://127.0.0.1:${BASH_REMATCH[1]}/pages?per_page=50"
