#!/usr/bin/env bash
# Installs, from Debian's packages, whatever paged's build, tests, examples and benchmarks need and this machine
# lacks. Uses apt-get as root, or through sudo. Does nothing when everything is there.
set -euo pipefail

packages=(
    g++ clang-19 libclang-rt-19-dev cmake ninja-build python3 openssl
    catch2 libbenchmark-dev
    libcurl4-openssl-dev nlohmann-json3-dev
    pkg-config libhiredis-dev redis-server
)

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    echo "paged: missing packages (${missing[*]}) and neither root nor sudo to install them" >&2
    exit 1
fi

echo "paged: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
