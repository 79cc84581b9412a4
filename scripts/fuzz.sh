#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (preset "fuzz": clang-19, ASan + UBSan + libFuzzer) and runs each for
# SECONDS (default 45) on a scratch copy of its seed corpus, tests/fuzz/corpus/<target>/, with tests/fuzz/<target>.dict
# when there is one. Fails on any crash, leak, timeout or out-of-memory; the input that caused it is kept in
# tests/fuzz/crashes/<target>/ (ignored by git).
#
#     scripts/fuzz.sh                 # every target, 45 s each
#     scripts/fuzz.sh 600 url_fuzz    # one target, 10 minutes
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-45}
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    for source in tests/fuzz/*_fuzz.cpp; do targets+=("$(basename "$source" .cpp)"); done
fi

scripts/install-deps.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

# The sanitizers do not find a symbolizer by themselves here: without one, stacks are bare addresses.
symbolizer=$(command -v llvm-symbolizer-19 || command -v llvm-symbolizer || true)
[[ -n $symbolizer ]] && export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$symbolizer}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# A line of libFuzzer's -print_final_stats output, "stat::<name>: <value>".
final_stat() { sed -n "s/^stat::$1: *//p" "$2"; }

failed=()
printf '%-24s %12s %8s %6s %7s %7s  %s\n' target executions exec/s cov ft corpus result
for target in "${targets[@]}"; do
    work="$scratch/$target"
    mkdir -p "$work/corpus"
    cp tests/fuzz/corpus/"$target"/* "$work/corpus/"
    options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/")
    [[ -f tests/fuzz/$target.dict ]] && options+=(-dict="tests/fuzz/$target.dict")
    result=ok
    build/fuzz/tests/fuzz/"$target" "${options[@]}" "$work/corpus" >"$work/log" 2>&1 || result=FAILED
    status=$(grep -E '^#[0-9]+.*cov: ' "$work/log" | tail -n 1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$status")
    printf '%-24s %12s %8s %6s %7s %7s  %s\n' "$target" "$(final_stat number_of_executed_units "$work/log")" \
        "$(final_stat average_exec_per_sec "$work/log")" "${cov:-?}" "${ft:-?}" "$(find "$work/corpus" -type f | wc -l)" "$result"
    if [[ $result != ok ]]; then
        failed+=("$target")
        mkdir -p tests/fuzz/crashes/"$target"
        find "$work" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) \
            -exec cp {} tests/fuzz/crashes/"$target"/ \;
        echo "--- $target: the end of its log (inputs kept in tests/fuzz/crashes/$target/)"
        tail -n 60 "$work/log"
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "=== fuzzing found problems in: ${failed[*]}" >&2
    exit 1
fi
echo "=== ${#targets[@]} fuzz targets ran ${seconds} s each without a crash, leak, timeout or OOM"
