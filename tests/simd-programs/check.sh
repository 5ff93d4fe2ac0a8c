#!/usr/bin/env bash
# Runs every SIMD program at its test size under wasmoon and compares stdout + exit code with
# expected/NAME.txt (Wasmtime's; see README.md).
#
#   tests/simd-programs/check.sh [--wasmoon BIN] [--no-jit] [NAME...]
#
# Prints `ok NAME (S s)` or `FAIL NAME` with a diff, then `N passed, M failed`; exits 1 on a failure.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
wasmoon=$root/wasmoon
flags=()
names=()
while (($#)); do
    case $1 in
        --wasmoon) wasmoon=$2; shift 2 ;;
        --no-jit) flags+=(--no-jit); shift ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) names+=("$1"); shift ;;
    esac
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
while IFS='|' read -r name module relaxed args _; do
    name=$(echo "$name" | xargs); module=$(echo "$module" | xargs); args=$(echo "$args" | xargs)
    if ((${#names[@]})) && [[ ! " ${names[*]} " == *" $name "* ]]; then continue; fi
    start=$(date +%s.%N)
    # shellcheck disable=SC2086  # args are words
    (cd "$here" && timeout 300 "$wasmoon" run "${flags[@]}" "$module" $args) > "$tmp/out" 2> "$tmp/err"
    code=$?
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    if [[ -s $tmp/out && -n $(tail -c 1 "$tmp/out") ]]; then echo >> "$tmp/out"; fi
    echo "exit code: $code" >> "$tmp/out"
    if cmp -s "$tmp/out" "$here/expected/$name.txt"; then
        printf 'ok %s (%.2f s)\n' "$name" "$secs"
        passed=$((passed + 1))
    else
        echo "FAIL $name ($module $args)"
        diff "$here/expected/$name.txt" "$tmp/out" | head -20 | sed 's/^/    /'
        grep -v '^\s*[0-9]* \[ra\]' "$tmp/err" | head -5 | sed 's/^/    stderr: /'
        failed=$((failed + 1))
    fi
done < <(grep -v '^[[:space:]]*#' "$here/programs.txt" | grep -v '^[[:space:]]*$')
echo "$passed passed, $failed failed"
((failed == 0))
