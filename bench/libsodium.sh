#!/usr/bin/env bash
# bench/libsodium.sh — the libsodium benchmark set under wasmoon's interpreter and its peers.
#
# Usage: bench/libsodium.sh [--runs N] [--timeout S] [--out FILE.md] [--no-peers-python] [PROGRAM...]
#
# Runs the 12 `"bench": true` programs of shared/corpus/libsodium (plus
# shared/corpus/misc/benchmark.wasm), or the PROGRAMs named (`chacha20`, or a path), under
#   wasmoon    `wasmoon run --no-jit`            ($WASMOON, default .build/release/wasmoon)
#   wasmkit    WasmKit 0.4.2 via tools/peers/wasmkit-run (binary built once by `wasmkit-run --build`)
#   wasmtime   Wasmtime 50 via tools/peers/wasmtime-run  } only when the PyPI packages `wasmtime` and
#   wasm3      wasm3 0.5 via tools/peers/wasm3-run       } `pywasm3` install into the venv below
# with tools/peers/bench-peers: a fresh process per run, N runs per cell (default 3), the
# child's user+sys CPU seconds. It writes the median CPU seconds side by side, the ratios
# wasmoon/WasmKit and wasmoon/Wasmtime and their geometric means as a dated markdown table in
# bench/results/DATE-libsodium-interpreter.md (raw runs next to it as .jsonl).
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
progs=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --no-peers-python) python_peers=0; shift ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
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

rts=(--rt "wasmoon=$wasmoon run --no-jit")
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
        rts+=(--rt "wasmtime=$venv/bin/python3 $peers/wasmtime-run")
        rts+=(--rt "wasm3=$venv/bin/python3 $peers/wasm3-run")
    else
        echo "libsodium.sh: wasmtime/pywasm3 not installable; benchmarking without them" >&2
    fi
fi

day=$(date -u +%Y-%m-%d)
mkdir -p "$repo/bench/results"
out=${out:-$repo/bench/results/$day-libsodium-interpreter.md}
jsonl=${out%.md}.jsonl
: >"$jsonl"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date -u +%FT%TZ)
python3 "$peers/bench-peers" --runs "$runs" --timeout "$timeout" --out "$jsonl" "${rts[@]}" "${paths[@]}" >&2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
python3 - "$jsonl" "$out" "$runs" "$start" "$load_before" "$load_after" "$commit" "$wasmoon" <<'EOF'
import json, math, os, statistics, sys, platform
jsonl, out, runs, start, lb, la, commit, wasmoon = sys.argv[1:9]
recs = [json.loads(l) for l in open(jsonl) if l.strip()]
progs, rts, cells = [], [], {}
for r in recs:
    p, rt = r["program"].removesuffix(".wasm"), r["runtime"]
    if p not in progs: progs.append(p)
    if rt not in rts: rts.append(rt)
    cells.setdefault((p, rt), []).append(r)

def cell(p, rt):
    rs = cells.get((p, rt), [])
    ok = [r for r in rs if not r["timeout"] and r["exit"] == 0]
    if not rs: return None, "–"
    if any(r["timeout"] for r in rs): return None, "timeout"
    if len(ok) < len(rs): return None, "exit %s" % sorted({r["exit"] for r in rs})
    m = statistics.median(r["cpu_s"] for r in ok)
    return m, "%.2f" % m

ratios = {"wasmkit": [], "wasmtime": []}
head = ["program"] + [rt + " CPU s" for rt in rts]
head += ["wasmoon / " + b for b in ("wasmkit", "wasmtime") if b in rts]
lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
for p in progs:
    vals = {rt: cell(p, rt) for rt in rts}
    row = [p] + [vals[rt][1] for rt in rts]
    for base in ("wasmkit", "wasmtime"):
        if base not in rts: continue
        a, b = vals["wasmoon"][0], vals[base][0]
        if a and b:
            ratios[base].append(a / b)
            row.append("%.2f×" % (a / b))
        else:
            row.append("–")
    lines.append("| " + " | ".join(row) + " |")
geo = ["**geometric mean**"] + [""] * len(rts)
for base in ("wasmkit", "wasmtime"):
    if base in rts:
        rs = ratios[base]
        geo.append("**%.2f×** (%d)" % (math.exp(sum(map(math.log, rs)) / len(rs)), len(rs)) if rs else "–")
lines.append("| " + " | ".join(geo) + " |")
loads = [r["load1"] for r in recs]
day = start[:10]
text = f"""# libsodium benchmark, interpreter tier — {day}

`bench/libsodium.sh --runs {runs}` at commit `{commit}` (wasmoon: `{os.path.basename(wasmoon)} run --no-jit`,
release build). Median of {runs} fresh processes per cell; **CPU seconds** (user+sys of the child, so
process start-up and, for Wasmtime, Cranelift compilation of the whole module are included).
Ratios are wasmoon's CPU time over the peer's (lower is better for wasmoon; > 1 means wasmoon is slower).

- peers: {", ".join(rts)} (WasmKit 0.4.2 `wasmkit-cli`; Wasmtime 50 and wasm3 0.5 through Python,
  `tools/peers/wasmtime-run` / `wasm3-run`, ~0.1 s of Python start-up each)
- machine: {platform.machine()}, {os.cpu_count()} cores, shared with other jobs; started {start};
  1-minute load average before {lb.split()[0]}, after {la.split()[0]}, during runs {min(loads):.2f}–{max(loads):.2f}
  (median {statistics.median(loads):.2f}). CPU time is steadier than wall time under load, but not immune to it.

""" + "\n".join(lines) + "\n"
open(out, "w").write(text)
print(text)
EOF
echo "wrote $out (raw runs: $jsonl)" >&2
