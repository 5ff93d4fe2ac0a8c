#!/usr/bin/env bash
# The interpreter against WasmKit 0.4.2 on the libsodium benchmark set, alternating the two
# runtimes run by run (so that a slow spell of a shared machine hits both), and taking the
# minimum CPU seconds (user + sys, whole process) of N runs per cell.
#
#   bench/interp-vs-wasmkit-libsodium.sh [N] [PROGRAM...]     (default 3 runs, the 13 bench programs)
#
# WASMOON   wasmoon binary (default .build/release/wasmoon), run as `wasmoon run --no-jit`
# WASMKIT_CLI  WasmKit's CLI (default: the one `tools/peers/wasmkit-run --build` made)
# WASMOON_SHARED  the shared folder (default ../shared)
# Prints a markdown table with the ratio wasmoon / wasmkit per program and its geometric mean.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${WASMOON_SHARED:-$repo/../shared}"
wasmoon="${WASMOON:-$repo/.build/release/wasmoon}"
wasmkit="${WASMKIT_CLI:-$HOME/.cache/wasmoon-peers/wasmkit-build/.build/release/wasmkit-cli}"
runs="${1:-3}"
shift || true
programs=("$@")
if [[ ${#programs[@]} -eq 0 ]]; then
    programs=(aead_aegis128l aead_aegis256 auth7 box_easy box_seal chacha20 generichash kx scalarmult
        scalarmult_ed25519 sign2 xchacha20 benchmark)
fi
for tool in "$wasmoon" "$wasmkit"; do
    [[ -x "$tool" ]] || { echo "interp-vs-wasmkit-libsodium: $tool not found (see the header)" >&2; exit 1; }
done

cpu() { # command... -> user+sys seconds; fails when the program fails
    local t
    t=$(mktemp)
    /usr/bin/time -f "%U %S" -o "$t" "$@" >/dev/null
    awk '{ printf "%.2f\n", $1 + $2 }' "$t"
    rm -f "$t"
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs per cell, minimum"
echo
echo "| program | wasmoon --no-jit (s) | wasmkit (s) | wasmoon / wasmkit |"
echo "|---|---|---|---|"
logsum=0
for p in "${programs[@]}"; do
    file="$shared/corpus/libsodium/$p.wasm"
    [[ -f "$file" ]] || file="$shared/corpus/misc/$p.wasm"
    best_w=999999 best_k=999999
    for ((i = 0; i < runs; i++)); do
        w=$(cpu "$wasmoon" run --no-jit "$file")
        k=$(cpu "$wasmkit" run "$file")
        best_w=$(awk -v a="$w" -v b="$best_w" 'BEGIN { print (a < b) ? a : b }')
        best_k=$(awk -v a="$k" -v b="$best_k" 'BEGIN { print (a < b) ? a : b }')
    done
    ratio=$(awk -v a="$best_w" -v b="$best_k" 'BEGIN { printf "%.2f", a / b }')
    logsum=$(awk -v s="$logsum" -v r="$ratio" 'BEGIN { print s + log(r) }')
    echo "| $p | $best_w | $best_k | ${ratio}× |"
done
echo "| **geometric mean** | | | **$(awk -v s="$logsum" -v n="${#programs[@]}" 'BEGIN { printf "%.2f", exp(s / n) }')×** |"
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
