#!/usr/bin/env bash
# Runs every program of tests/exception-programs, in both builds (NAME.new.wasm, NAME.legacy.wasm),
# under wasmoon's JIT and interpreter, and compares stdout with expected/NAME.stdout (exit code 0).
#
#   tests/exception-programs/check.sh [WASM_DIR]
#
# WASM_DIR: modules made by build.sh (default: build them now into a temporary folder).
# WASMOON: the binary (default .build/release/wasmoon of this repository).
# Prints one line per run and `N passed, N failed`; exits 1 if any run failed.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WASMOON=${WASMOON:-$here/../../.build/release/wasmoon}
dir=${1:-}
if [[ -z $dir ]]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/exception-programs.XXXXXX")
    trap 'rm -rf "$dir"' EXIT
    "$here/build.sh" "$dir" >/dev/null || exit 1
fi

passed=0 failed=0
out=$(mktemp)
for expected in "$here"/expected/*.stdout; do
    name=$(basename "$expected" .stdout)
    for eh in new legacy; do
        for tier in jit interpreter; do
            flags=()
            if [[ $tier == interpreter ]]; then flags=(--no-jit); fi
            "$WASMOON" run "${flags[@]}" "$dir/$name.$eh.wasm" >"$out" 2>&1
            rc=$?
            if [[ $rc == 0 ]] && cmp -s "$out" "$expected"; then
                echo "ok    $name.$eh.wasm ($tier)"
                passed=$((passed + 1))
            else
                echo "FAIL  $name.$eh.wasm ($tier): exit $rc"
                diff "$expected" "$out" | head -10
                failed=$((failed + 1))
            fi
        done
    done
done
rm -f "$out"
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
