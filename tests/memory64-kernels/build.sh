#!/usr/bin/env bash
# Builds the memory64 kernels (tests/memory64-kernels/README.md): every src/NAME.c twice,
#   OUT/NAME-wasm32.wasm   --target=wasm32 (32-bit linear memory: guard pages can cover it)
#   OUT/NAME-wasm64.wasm   --target=wasm64 (memory64: `(memory i64 ...)`, explicit bounds checks)
# and checks that each wasm64 module declares an i64 memory and each wasm32 module does not.
#
#   tests/memory64-kernels/build.sh [OUT]             # OUT default: $TMPDIR/wasmoon-memory64-kernels
#   tests/memory64-kernels/build.sh --expected [OUT]  # build, then run every module under Wasmtime
#                                                     # and rewrite expected.txt (both builds must agree)
#
# Toolchain: the Swift toolchain's clang 21 and wasm-ld (/opt/swift/usr/bin), which know both
# targets; Debian's clang-19 + lld-19 (wasm-ld-19) also work: CC=clang-19.
# No libc: -nostdlib -ffreestanding, our own helpers in src/common.h.
# Environment: CC, WASM_TOOLS (default: .venv/bin/wasm-tools, else wasm-tools on PATH, else a
# Python check of the memory section), WASMOON_SHARED (the shared/ folder, for Wasmtime's CLI).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

expected=no
if [[ ${1:-} == --expected ]]; then expected=yes; shift; fi
case "${1:-}" in -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0"; exit 0 ;; esac
out=${1:-${TMPDIR:-/tmp}/wasmoon-memory64-kernels}
mkdir -p "$out"

if [[ -z ${CC:-} ]]; then
    if [[ -x /opt/swift/usr/bin/clang ]]; then CC=/opt/swift/usr/bin/clang; else CC=clang; fi
fi
# clang finds wasm-ld next to itself (the Swift toolchain) or on PATH; Debian names it wasm-ld-19.
LDFLAGS=()
if [[ $CC == *clang-19* ]] && ! command -v wasm-ld >/dev/null 2>&1; then LDFLAGS+=(-fuse-ld=/usr/bin/wasm-ld-19); fi

CFLAGS=(-O2 -nostdlib -ffreestanding -Wall -Wextra
        -Wl,--no-entry -Wl,--export=bench -Wl,-z,stack-size=1048576)

if [[ -z ${WASM_TOOLS:-} ]]; then
    if [[ -x $root/.venv/bin/wasm-tools ]]; then WASM_TOOLS=$root/.venv/bin/wasm-tools
    elif command -v wasm-tools >/dev/null 2>&1; then WASM_TOOLS=wasm-tools
    else WASM_TOOLS=; fi
fi

# memory_kind MODULE: "i64" or "i32", the index type of the module's first memory
memory_kind() {
    if [[ -n $WASM_TOOLS ]]; then
        local text; text=$("$WASM_TOOLS" print "$1")   # (not piped into grep -q: SIGPIPE under pipefail)
        if grep -Eq '^\s*\(memory \(;0;\) i64 ' <<<"$text"; then echo i64; else echo i32; fi
    else
        python3 - "$1" <<'PY'
import sys
b = open(sys.argv[1], "rb").read(); i = 8
def leb(i):
    r = s = 0
    while True:
        x = b[i]; i += 1; r |= (x & 0x7F) << s; s += 7
        if x < 0x80: return r, i
while i < len(b):
    sid = b[i]; size, j = leb(i + 1)
    if sid == 5:
        _, j = leb(j)                      # count
        print("i64" if b[j] & 0x04 else "i32"); sys.exit()
    i = j + size
print("none")
PY
    fi
}

kernels=()
for src in "$here"/src/*.c; do
    name=$(basename "$src" .c)
    kernels+=("$name")
    for target in wasm32 wasm64; do
        mod=$out/$name-$target.wasm
        "$CC" --target=$target "${CFLAGS[@]}" "${LDFLAGS[@]}" -o "$mod" "$src"
        kind=$(memory_kind "$mod")
        want=i32; [[ $target == wasm64 ]] && want=i64
        if [[ $kind != "$want" ]]; then
            echo "build.sh: $mod declares a $kind memory, expected $want" >&2; exit 1
        fi
        echo "$mod  ($kind memory, $(stat -c %s "$mod") bytes)"
    done
done

if [[ $expected == yes ]]; then
    shared=${WASMOON_SHARED:-$(dirname "$root")/shared}
    wasmtime=$shared/tools/peers/wasmtime-cli
    {
        echo "# name checksum: bench()'s result under Wasmtime (Cranelift), the same for the wasm32 and wasm64 builds"
        for name in "${kernels[@]}"; do
            a=$("$wasmtime" run -W memory64=y --invoke bench "$out/$name-wasm32.wasm" 2>/dev/null)
            b=$("$wasmtime" run -W memory64=y --invoke bench "$out/$name-wasm64.wasm" 2>/dev/null)
            if [[ -z $a || $a != "$b" ]]; then
                echo "build.sh: $name: wasm32 gives '$a', wasm64 gives '$b'" >&2; exit 1
            fi
            echo "$name $a"
        done
    } > "$here/expected.txt.new"
    mv "$here/expected.txt.new" "$here/expected.txt"
    cat "$here/expected.txt"
fi
