#!/usr/bin/env bash
# Times Wasmoon's interpreter against WasmKit 0.4.2's on the CPU-heavy programs in bench/.
#
#   bench/interp-vs-wasmkit.sh [RUNS]        (default 5 runs per cell)
#
# Each cell is the minimum over RUNS fresh processes of user+sys CPU time, the two
# runtimes alternating so that load changes hit both. The ratio is wasmoon / wasmkit
# (below 1 = wasmoon faster). Results are printed as a Markdown table.
#
# WASMOON   wasmoon binary (default: .build/release/wasmoon; build with
#           `swift build -c release --product wasmoon`); run with `--no-jit`
# WASMOON_BASE  optional second wasmoon binary (e.g. a build of the previous commit), timed
#           in the same rounds: adds a "base" column and new / base ratio
# WASMKIT   WasmKit runner (default: $WASMOON_SHARED/tools/peers/wasmkit-run, with
#           WASMOON_SHARED defaulting to ../shared; build it once with `wasmkit-run --build`)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
wasmoon="${WASMOON:-$repo/.build/release/wasmoon}"
wasmkit="${WASMKIT:-${WASMOON_SHARED:-$repo/../shared}/tools/peers/wasmkit-run}"

# program  argument  expected result
benchmarks=(
    "loop    100000000  -1562609721"
    "fib     35         9227465"
    "sieve   40         78498"
    "hash    400        -1588605390"
    "matmul  100        -952627200"
)

cpu_time() { # command... -> prints "seconds result"
    local out tfile
    tfile=$(mktemp)
    out=$( { /usr/bin/time -f "%U %S" -o "$tfile" "$@"; } 2>/dev/null | tail -1 )
    awk -v r="$out" '{ printf "%.3f %s\n", $1 + $2, r }' "$tfile"
    rm -f "$tfile"
}

base="${WASMOON_BASE:-}"
for tool in "$wasmoon" "$wasmkit" ${base:+"$base"}; do
    [[ -x "$tool" ]] || { echo "interp-vs-wasmkit: $tool not found (see the header of this script)" >&2; exit 1; }
done

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
if [[ -n "$base" ]]; then
    echo "| program | argument | base (s) | wasmoon (s) | wasmkit (s) | wasmoon / base | base / wasmkit | wasmoon / wasmkit |"
    echo "|---|---|---|---|---|---|---|---|"
else
    echo "| program | argument | wasmoon (s) | wasmkit (s) | wasmoon / wasmkit |"
    echo "|---|---|---|---|---|"
fi
for spec in "${benchmarks[@]}"; do
    read -r name arg expected <<<"$spec"
    file="$repo/bench/$name.wat"
    best_w=999999 best_k=999999 best_b=999999
    for ((i = 0; i < runs; i++)); do
        if [[ -n "$base" ]]; then
            read -r t result < <(cpu_time "$base" run --no-jit --invoke run "$file" "$arg")
            if [[ "$result" != "$expected" ]]; then echo "base: $name gave $result, expected $expected" >&2; exit 1; fi
            best_b=$(awk -v a="$best_b" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
        fi
        read -r t result < <(cpu_time "$wasmoon" run --no-jit --invoke run "$file" "$arg")
        if [[ "$result" != "$expected" ]]; then echo "wasmoon: $name gave $result, expected $expected" >&2; exit 1; fi
        best_w=$(awk -v a="$best_w" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
        read -r t result < <(cpu_time "$wasmkit" --invoke run "$file" "i32:$arg")
        best_k=$(awk -v a="$best_k" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
    done
    ratio=$(awk -v a="$best_w" -v b="$best_k" 'BEGIN { printf "%.2f", a / b }')
    if [[ -n "$base" ]]; then
        rb=$(awk -v a="$best_w" -v b="$best_b" 'BEGIN { printf "%.2f", a / b }')
        bk=$(awk -v a="$best_b" -v b="$best_k" 'BEGIN { printf "%.2f", a / b }')
        echo "| $name | $arg | $best_b | $best_w | $best_k | $rb | $bk | $ratio |"
    else
        echo "| $name | $arg | $best_w | $best_k | $ratio |"
    fi
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
