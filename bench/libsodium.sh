#!/usr/bin/env bash
# bench/libsodium.sh — the libsodium benchmark set under both wasmoon tiers and its peers.
#
# Usage: bench/libsodium.sh [--runs N] [--timeout S] [--out FILE.md] [--tiers jit,interp]
#                           [--no-peers-python] [--no-wasm3] [PROGRAM...]
#
# Runs the 12 `"bench": true` programs of shared/corpus/libsodium (plus
# shared/corpus/misc/benchmark.wasm), or the PROGRAMs named (`chacha20`, or a path), under
#   wasmoon-jit     `wasmoon run --timings`          ($WASMOON, default .build/release/wasmoon)
#   wasmoon-interp  `wasmoon run --timings --no-jit`
#   wasmkit    WasmKit 0.4.2 via tools/peers/wasmkit-run (binary built once by `wasmkit-run --build`)
#   wasmtime   Wasmtime 50 via tools/peers/wasmtime-run  } only when the PyPI packages `wasmtime` and
#   wasm3      wasm3 0.5 via tools/peers/wasm3-run       } `pywasm3` install into the venv below
# with tools/peers/bench-peers: a fresh process per run, N runs per cell (default 3), the
# child's user+sys CPU seconds. It writes the median CPU seconds side by side, the ratios of each
# wasmoon tier to Wasmtime (and of the interpreter to WasmKit) and their geometric means, twice:
# whole process, and the run phase alone (wasmoon's `--timings` CPU seconds, wasmtime-run's
# `--timings` run seconds: compilation and start-up excluded), as a dated markdown table in
# bench/results/DATE-libsodium.md (raw runs next to it as .jsonl; the table is made by
# bench/libsodium_table.py, which can also merge the raw runs of a benchmark split over processes).
#
# Environment: WASMOON (binary), WASMOON_SHARED (the shared/ folder, default ../shared or
# ../../shared), WASMKIT_CLI (WasmKit binary), BENCH_VENV (default ~/.cache/wasmoon-bench/venv).
# The machine is shared: the load average is recorded with every run; compare runtimes only
# within one run of this script. Run it under `nice` if others use the machine.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
runs=3
timeout=900
out=""
python_peers=1
wasm3=1
tiers=jit,interp
progs=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --tiers) tiers=$2; shift 2 ;;
        --no-peers-python) python_peers=0; shift ;;
        --no-wasm3) wasm3=0; shift ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        -*) echo "libsodium.sh: unknown option $1" >&2; exit 2 ;;
        *) progs+=("$1"); shift ;;
    esac
done

shared=${WASMOON_SHARED:-}
if [[ -z "$shared" ]]; then
    if [[ -d "$repo/../shared" ]]; then shared="$repo/../shared"; else shared="$repo/../../shared"; fi
fi
shared=$(cd "$shared" && pwd)
corpus="$shared/corpus/libsodium"
peers="$shared/tools/peers"
[[ -f "$corpus/expected.json" ]] || { echo "libsodium.sh: no $corpus/expected.json" >&2; exit 1; }

wasmoon=${WASMOON:-$repo/.build/release/wasmoon}
[[ -x "$wasmoon" ]] || { echo "libsodium.sh: no wasmoon at $wasmoon (swift build -c release, or set WASMOON)" >&2; exit 1; }

if [[ ${#progs[@]} -eq 0 ]]; then
    mapfile -t progs < <(python3 - "$corpus/expected.json" <<'EOF'
import json, sys
print("\n".join(k for k, v in sorted(json.load(open(sys.argv[1])).items()) if v.get("bench")))
EOF
)
    progs+=("$shared/corpus/misc/benchmark.wasm")
fi
paths=()
for p in "${progs[@]}"; do
    if [[ -f "$p" ]]; then paths+=("$p"); else paths+=("$corpus/$p.wasm"); fi
done

rts=()
for tier in ${tiers//,/ }; do
    case "$tier" in
        jit) rts+=(--rt "wasmoon-jit=$wasmoon run --timings") ;;
        interp) rts+=(--rt "wasmoon-interp=$wasmoon run --timings --no-jit") ;;
        *) echo "libsodium.sh: unknown tier $tier (jit, interp)" >&2; exit 2 ;;
    esac
done
if "$peers/wasmkit-run" --help >/dev/null 2>&1; then
    rts+=(--rt "wasmkit=$peers/wasmkit-run")
else
    echo "libsodium.sh: WasmKit not built ($peers/wasmkit-run --build); skipping it" >&2
fi
if [[ $python_peers == 1 ]]; then
    venv=${BENCH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmoon-bench/venv}
    if [[ ! -x "$venv/bin/python3" ]] || ! "$venv/bin/python3" -c 'import wasmtime, wasm3' 2>/dev/null; then
        echo "libsodium.sh: setting up $venv (pip install wasmtime pywasm3)" >&2
        { python3 -m venv "$venv" && "$venv/bin/pip" install -q wasmtime pywasm3; } >&2 || true
    fi
    if "$venv/bin/python3" -c 'import wasmtime, wasm3' 2>/dev/null; then
        rts+=(--rt "wasmtime=$venv/bin/python3 $peers/wasmtime-run --timings")
        [[ $wasm3 == 1 ]] && rts+=(--rt "wasm3=$venv/bin/python3 $peers/wasm3-run")
    else
        echo "libsodium.sh: wasmtime/pywasm3 not installable; benchmarking without them" >&2
    fi
fi

day=$(date -u +%Y-%m-%d)
mkdir -p "$repo/bench/results"
out=${out:-$repo/bench/results/$day-libsodium.md}
jsonl=${JSONL:-${out%.md}.jsonl}
: >"$jsonl"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date -u +%FT%TZ)
python3 "$peers/bench-peers" --runs "$runs" --timeout "$timeout" --out "$jsonl" "${rts[@]}" "${paths[@]}" >&2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 "$repo/bench/libsodium_table.py" --out "$out" --runs "$runs" --start "$start" \
    --load-before "$load_before" --load-after "$load_after" \
    --commit "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)" "$jsonl"
echo "wrote $out (raw runs: $jsonl)" >&2
