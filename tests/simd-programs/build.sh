#!/usr/bin/env bash
# Rebuilds the SIMD programs (tests/simd-programs/README.md):
#   wasm/NAME.wasm      from src/*.c, and zstd from the pinned PyPI sdist `zstandard`
#   expected/NAME.txt   stdout + exit code of each program's test-size run under Wasmtime
#                       (oracle.py: the pinned `wasmtime` package, relaxed SIMD deterministic)
#
#   tests/simd-programs/build.sh              # build everything, then regenerate expected/
#   tests/simd-programs/build.sh --wasm       # only the modules
#   tests/simd-programs/build.sh --expected   # only expected/ (from the committed modules)
#   tests/simd-programs/build.sh --check      # build into a temporary folder and compare
#                                             # with the committed modules and expected/ (exit 1 on a difference)
#
# Toolchain (Debian 12): apt-get install -y clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32
# Environment: CC (default clang-19), WASI_SYSROOT (default /usr: headers in
# $WASI_SYSROOT/include/wasm32-wasi, libraries in $WASI_SYSROOT/lib/wasm32-wasi), PYTHON (default
# .venv/bin/python3, else python3; needs pip and the `wasmtime` package of tests/requirements.txt).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

CC=${CC:-clang-19}
WASI_SYSROOT=${WASI_SYSROOT:-/usr}
if [[ -z ${PYTHON:-} ]]; then
    if [[ -x $root/.venv/bin/python3 ]]; then PYTHON=$root/.venv/bin/python3; else PYTHON=python3; fi
fi

# The C library built from a source distribution on PyPI: python-zstandard vendors zstd
# (the single-file zstd.c, zstd 1.5.6) in its sdist.
ZSTANDARD_VERSION=0.23.0
ZSTANDARD_SHA256=b2d8c62d08e7255f68f7a740bae85b3c9b8e5466baa9cbf7f57f1cde0ac6bc09

CFLAGS=(--target=wasm32-wasi -nostdlibinc -isystem "$WASI_SYSROOT/include/wasm32-wasi"
        -O3 -msimd128 -Wall -Wextra)
LDFLAGS=(-L"$WASI_SYSROOT/lib/wasm32-wasi")

mode=all
case "${1:-}" in
    "") ;;
    --wasm) mode=wasm ;;
    --expected) mode=expected ;;
    --check) mode=check ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
esac

need() {
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "build.sh: $1 not found; on Debian 12: apt-get install -y clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32" >&2
        exit 1
    fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Paths must not leak into the modules (__FILE__ in zstd's messages), so that a build in any
# checkout or temporary folder gives the same bytes.
CFLAGS+=(-ffile-prefix-map="$work"=/build -ffile-prefix-map="$here"=/src)

# build_all OUT_DIR: every module into OUT_DIR
build_all() {
    local out=$1
    need "$CC"
    mkdir -p "$out"
    local c
    for c in intops floatops hashes imgfilter strops floatkern; do
        echo "build.sh: $c.wasm"
        "$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" "$here/src/$c.c" -o "$out/$c.wasm"
    done
    echo "build.sh: relaxed.wasm (-mrelaxed-simd)"
    "$CC" "${CFLAGS[@]}" -mrelaxed-simd "${LDFLAGS[@]}" "$here/src/relaxed.c" -o "$out/relaxed.wasm"

    echo "build.sh: zstd.wasm from the sdist zstandard==$ZSTANDARD_VERSION"
    local sdist="$work/sdist"
    mkdir -p "$sdist"
    "$PYTHON" -m pip download --quiet --no-binary :all: --no-deps \
        "zstandard==$ZSTANDARD_VERSION" -d "$sdist" >/dev/null
    local tarball="$sdist/zstandard-$ZSTANDARD_VERSION.tar.gz"
    echo "$ZSTANDARD_SHA256  $tarball" | sha256sum --check --quiet
    tar -xzf "$tarball" -C "$sdist" "zstandard-$ZSTANDARD_VERSION/zstd"
    local zsrc="$sdist/zstandard-$ZSTANDARD_VERSION/zstd"
    # The amalgamation turns on ZSTD_MULTITHREAD unless __EMSCRIPTEN__; WASI preview 1 has no
    # threads, so build it single-threaded (the only change to the vendored source).
    sed 's|^#define ZSTD_MULTITHREAD$|/* ZSTD_MULTITHREAD off: WASI preview 1 has no threads */|' \
        "$zsrc/zstd.c" > "$work/zstd-single-thread.c"
    if grep -q '^#define ZSTD_MULTITHREAD$' "$work/zstd-single-thread.c"; then
        echo "build.sh: could not turn off ZSTD_MULTITHREAD" >&2
        exit 1
    fi
    # dictBuilder calls clock() for progress output: WASI's emulated process clock.
    "$CC" "${CFLAGS[@]}" -Wno-deprecated-declarations -D_WASI_EMULATED_PROCESS_CLOCKS -I"$zsrc" \
        -c "$work/zstd-single-thread.c" -o "$work/zstd.o"
    "$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" -I"$zsrc" "$here/src/zstd-driver.c" "$work/zstd.o" \
        -lwasi-emulated-process-clocks -o "$out/zstd.wasm"
}

# programs: "name|module|relaxed|test args" lines from programs.txt
programs() {
    grep -v '^[[:space:]]*#' "$here/programs.txt" | grep -v '^[[:space:]]*$' |
        awk -F'|' '{ for (i = 1; i <= NF; i++) { gsub(/^[ \t]+|[ \t]+$/, "", $i) } print $1 "|" $2 "|" $3 "|" $4 }'
}

# expected_all MODULE_DIR OUT_DIR
expected_all() {
    local mods=$1 out=$2 name module relaxed args
    mkdir -p "$out"
    while IFS='|' read -r name module relaxed args; do
        echo "build.sh: expected/$name.txt ($args)"
        # shellcheck disable=SC2086  # args are words
        "$PYTHON" "$here/oracle.py" --expected "$mods/$(basename "$module")" $args > "$out/$name.txt" || true
        if ! tail -n 1 "$out/$name.txt" | grep -q '^exit code: 0$'; then
            echo "build.sh: warning: $name's test run did not exit 0: $(tail -n 1 "$out/$name.txt")" >&2
        fi
    done < <(programs)
}

case $mode in
    all)
        build_all "$here/wasm"
        expected_all "$here/wasm" "$here/expected"
        ;;
    wasm)
        build_all "$here/wasm"
        ;;
    expected)
        expected_all "$here/wasm" "$here/expected"
        ;;
    check)
        build_all "$work/wasm"
        expected_all "$work/wasm" "$work/expected"
        status=0
        for f in "$work"/wasm/*.wasm; do
            if ! cmp -s "$f" "$here/wasm/$(basename "$f")"; then
                echo "build.sh: wasm/$(basename "$f") differs from a fresh build" >&2
                status=1
            fi
        done
        for f in "$work"/expected/*.txt; do
            if ! cmp -s "$f" "$here/expected/$(basename "$f")"; then
                echo "build.sh: expected/$(basename "$f") differs from a fresh run" >&2
                status=1
            fi
        done
        [[ $status == 0 ]] && echo "build.sh: the committed modules and expected outputs are current"
        exit $status
        ;;
esac
