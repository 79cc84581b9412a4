#!/usr/bin/env bash
# Installs, from Debian's packages, what paged needs and this machine lacks. Uses apt-get as root, or through sudo.
# Does nothing when everything is there.
#
#     scripts/install-deps.sh        everything: the build, tests, examples and benchmarks (CI, scripts/test.sh)
#     scripts/install-deps.sh demo   only what scripts/demo.sh needs: a compiler, CMake, libcurl, nlohmann_json, python3
set -euo pipefail

case "${1:-all}" in
    all)
        packages=(
            g++ clang-19 libclang-rt-19-dev cmake ninja-build python3 openssl
            catch2 libbenchmark-dev
            libcurl4-openssl-dev nlohmann-json3-dev
            pkg-config libhiredis-dev redis-server
            libsqlite3-dev
        )
        ;;
    demo)
        packages=(g++ cmake ninja-build python3 libcurl4-openssl-dev nlohmann-json3-dev)
        ;;
    *)
        echo "usage: scripts/install-deps.sh [all | demo]   (all, the default: everything CI needs)" >&2
        exit 2
        ;;
esac

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
# Through env: sudo's default env_reset would drop a DEBIAN_FRONTEND set in front of it, and a package could prompt.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
