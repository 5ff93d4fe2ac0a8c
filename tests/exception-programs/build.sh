#!/usr/bin/env bash
# Builds the C++ exception programs (tests/exception-programs/README.md) for wasm32-wasi,
# each in two Wasm exception-handling encodings:
#   OUT/NAME.new.wasm      -fwasm-exceptions -mllvm -wasm-use-legacy-eh=false
#                          (exnref: try_table, throw_ref; what Wasmtime runs)
#   OUT/NAME.legacy.wasm   -fwasm-exceptions (legacy: try, catch, catch_all, delegate, rethrow)
# and prints every clang command it runs.
#
#   tests/exception-programs/build.sh [OUT]      # OUT defaults to a new temporary folder
#   tests/exception-programs/build.sh --expected # build into a temporary folder, then rewrite
#                                                # expected/NAME.stdout from Wasmtime's run of
#                                                # NAME.new.wasm (the wasmtime CLI), checked
#                                                # against oracle.py (the wasmtime PyPI package)
#
# Toolchain:
#   * clang 21 with the WebAssembly backend: the Swift toolchain's (/opt/swift/usr/bin/clang,
#     clang 21.0.0). Debian 12's clang-19 does not know -wasm-use-legacy-eh (it can only emit
#     legacy EH), so it cannot make the .new.wasm builds.
#   * Debian 12 packages: apt-get install -y wasi-libc libclang-rt-19-dev-wasm32
#       wasi-libc                   headers in /usr/include/wasm32-wasi, libc in /usr/lib/wasm32-wasi
#       libclang-rt-19-dev-wasm32   compiler-rt's wasm32 builtins (long double arithmetic used by
#                                   printf), which the Swift toolchain lacks
#     wasm-ld comes with the Swift toolchain (next to its clang). No libc++/libc++abi: Debian's
#     wasm32 builds of them have no exception support, so src/minicxxrt.cpp is the C++ runtime
#     and the programs do not use the C++ standard library.
# Environment:
#   CXX           default the clang++ next to `swift` on PATH, else /opt/swift/usr/bin/clang++, else clang++
#   WASI_SYSROOT  default /usr (headers in include/wasm32-wasi, libraries in lib/wasm32-wasi)
#   BUILTINS      default /usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a
#   PROGRAMS      default "parser hierarchy vm stress"
#   OPT           optimization level, default -O2 (expected/ holds for every level)
#   WASMTIME      for --expected; default wasmtime on PATH, else ../../../shared/tools/peers/wasmtime-cli
#   PYTHON        for --expected (oracle.py); default .venv/bin/python3 of the repository, else python3
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
read -r -a programs <<< "${PROGRAMS:-parser hierarchy vm stress}"

if [[ -z ${CXX:-} ]]; then
    # The clang++ of the Swift toolchain on PATH, else /opt/swift's, else clang++.
    swift_bin=$(dirname "$(command -v swift 2>/dev/null || echo /nonexistent/swift)")
    if [[ -x $swift_bin/clang++ ]]; then CXX=$swift_bin/clang++
    elif [[ -x /opt/swift/usr/bin/clang++ ]]; then CXX=/opt/swift/usr/bin/clang++
    else CXX=clang++; fi
fi
WASI_SYSROOT=${WASI_SYSROOT:-/usr}
OPT=${OPT:--O2}
BUILTINS=${BUILTINS:-/usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a}

mode=build
out=
case "${1:-}" in
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    --expected) mode=expected ;;
    -*) echo "build.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) out=${1:-} ;;
esac
if [[ -z $out ]]; then out=$(mktemp -d "${TMPDIR:-/tmp}/exception-programs.XXXXXX"); fi
mkdir -p "$out"

for f in "$WASI_SYSROOT/include/wasm32-wasi/stdio.h" "$WASI_SYSROOT/lib/wasm32-wasi/libc.a" "$BUILTINS"; do
    if [[ ! -e $f ]]; then
        echo "build.sh: $f missing; on Debian 12: apt-get install -y wasi-libc libclang-rt-19-dev-wasm32" >&2
        exit 1
    fi
done
if ! "$CXX" --version >/dev/null 2>&1; then
    echo "build.sh: $CXX not found (set CXX to a clang++ 21 with the WebAssembly backend)" >&2
    exit 1
fi

# -nostdlibinc + -isystem: only wasi-libc's headers (never the host's /usr/include).
# -ffile-prefix-map: no build paths in the modules.
CXXFLAGS=(--target=wasm32-wasi -nostdlibinc -isystem "$WASI_SYSROOT/include/wasm32-wasi"
          -std=c++17 "$OPT" -Wall -Wextra -fwasm-exceptions -ffile-prefix-map="$here"=.)
# -nodefaultlibs: no libc++/libc++abi, and the builtins from Debian's package (the driver would
# look for them in its own resource folder); crt1-command.o still comes from the sysroot.
# A 1 MiB shadow stack (wasm-ld's default is 64 KiB) for the deep recursions.
LDFLAGS=(--target=wasm32-wasi -nodefaultlibs -L"$WASI_SYSROOT/lib/wasm32-wasi" -Wl,-z,stack-size=1048576)
LIBS=(-lc "$BUILTINS")

run() {
    echo "$*"
    "$@"
}

for eh in new legacy; do
    flags=()
    if [[ $eh == new ]]; then flags=(-mllvm -wasm-use-legacy-eh=false); fi
    run "$CXX" "${CXXFLAGS[@]}" "${flags[@]}" -c "$here/src/minicxxrt.cpp" -o "$out/minicxxrt.$eh.o"
    for p in "${programs[@]}"; do
        run "$CXX" "${CXXFLAGS[@]}" "${flags[@]}" -c "$here/src/$p.cpp" -o "$out/$p.$eh.o"
        run "$CXX" "${LDFLAGS[@]}" "$out/$p.$eh.o" "$out/minicxxrt.$eh.o" "${LIBS[@]}" -o "$out/$p.$eh.wasm"
    done
done
rm -f "$out"/*.o
echo "build.sh: modules in $out"

if [[ $mode == expected ]]; then
    if [[ -z ${WASMTIME:-} ]]; then
        if command -v wasmtime >/dev/null 2>&1; then WASMTIME=wasmtime
        else WASMTIME=$here/../../../shared/tools/peers/wasmtime-cli; fi
    fi
    if [[ -z ${PYTHON:-} ]]; then
        if [[ -x $here/../../.venv/bin/python3 ]]; then PYTHON=$here/../../.venv/bin/python3; else PYTHON=python3; fi
    fi
    mkdir -p "$here/expected"
    for p in "${programs[@]}"; do
        echo "$WASMTIME run -W exceptions=y $out/$p.new.wasm > $here/expected/$p.stdout"
        "$WASMTIME" run -W exceptions=y "$out/$p.new.wasm" > "$here/expected/$p.stdout"
        # The second oracle (the wasmtime PyPI package) must agree.
        echo "$PYTHON $here/oracle.py $out/$p.new.wasm | cmp - $here/expected/$p.stdout"
        "$PYTHON" "$here/oracle.py" "$out/$p.new.wasm" | cmp - "$here/expected/$p.stdout"
    done
    echo "build.sh: wrote expected/*.stdout with $("$WASMTIME" --version), checked with the wasmtime $("$PYTHON" -c 'import importlib.metadata as m; print(m.version("wasmtime"))') PyPI package"
fi
