#!/usr/bin/env python3
"""Markdown tables of bench/libsodium.sh's raw runs (tools/peers/bench-peers JSON lines).

Usage: libsodium_table.py --out FILE.md [--runs N] [--start T] [--load-before L] [--load-after L]
                          [--commit C] RUNS.jsonl...
Several files (one benchmark split over processes) are merged: each (program, runtime) cell
comes from the file holding most runs of it. Two tables:
  1. whole process: the median user+sys CPU seconds of the child;
  2. run phase: the median of what the runtime reports for running `_start` alone
     (wasmoon `--timings`: CPU seconds; wasmtime-run `--timings`: seconds), so compilation
     and start-up are left out. Runtimes that report nothing are left out of this table.
Ratios: each wasmoon tier over Wasmtime, the interpreter over WasmKit; geometric means below.
(Older runs named the interpreter `wasmoon`; it is read as `wasmoon-interp`.)
"""
import argparse
import json
import math
import os
import platform
import re
import statistics

ap = argparse.ArgumentParser()
ap.add_argument("--out", required=True)
ap.add_argument("--runs", default="3")
ap.add_argument("--start", default="")
ap.add_argument("--load-before", default="")
ap.add_argument("--load-after", default="")
ap.add_argument("--commit", default="unknown")
ap.add_argument("files", nargs="+")
a = ap.parse_args()

progs, rts, cells = [], [], {}
for path in a.files:
    mine = {}
    for line in open(path):
        if not line.strip():
            continue
        r = json.loads(line)
        p, rt = r["program"].removesuffix(".wasm"), r["runtime"]
        if rt == "wasmoon":
            rt = "wasmoon-interp"
        if p not in progs:
            progs.append(p)
        if rt not in rts:
            rts.append(rt)
        mine.setdefault((p, rt), []).append(r)
    for key, rs in mine.items():
        if len(rs) > len(cells.get(key, [])):
            cells[key] = rs
recs = [r for rs in cells.values() for r in rs]

RUN_PHASE = re.compile(r"(?:wasmoon|wasmtime-run): .*\brun ([0-9.]+)s")


def whole(r):
    return r["cpu_s"]


def run_phase(r):
    m = RUN_PHASE.findall(r.get("stderr_tail", ""))
    return float(m[-1]) if m else None


def cell(p, rt, measure):
    rs = cells.get((p, rt), [])
    if not rs:
        return None, "–"
    if any(r["timeout"] for r in rs):
        return None, "timeout"
    ok = [r for r in rs if r["exit"] == 0]
    if len(ok) < len(rs):
        return None, "exit %s" % sorted({r["exit"] for r in rs})
    values = [measure(r) for r in ok]
    if any(v is None for v in values):
        return None, "–"
    m = statistics.median(values)
    n = "" if str(len(ok)) == a.runs else " (n=%d)" % len(ok)
    return m, ("%.2f%s" % (m, n)) if m >= 0.1 else ("%.3f%s" % (m, n))


def pairs(present):
    out = []
    for tier in ("wasmoon-jit", "wasmoon-interp"):
        if tier in present and "wasmtime" in present:
            out.append((tier, "wasmtime"))
    if "wasmoon-interp" in present and "wasmkit" in present:
        out.append(("wasmoon-interp", "wasmkit"))
    return out


def table(measure, columns):
    ps = pairs(columns)
    ratios = {pq: [] for pq in ps}
    head = ["program"] + ["%s s" % rt for rt in columns] + ["%s / %s" % pq for pq in ps]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for p in progs:
        vals = {rt: cell(p, rt, measure) for rt in columns}
        row = [p] + [vals[rt][1] for rt in columns]
        for x_rt, y_rt in ps:
            x, y = vals[x_rt][0], vals[y_rt][0]
            if x and y:
                ratios[(x_rt, y_rt)].append(x / y)
                row.append("%.2f×" % (x / y))
            else:
                row.append("–")
        lines.append("| " + " | ".join(row) + " |")
    geo = ["**geometric mean**"] + [""] * len(columns)
    for pq in ps:
        rs = ratios[pq]
        geo.append("**%.2f×** (%d)" % (math.exp(sum(map(math.log, rs)) / len(rs)), len(rs)) if rs else "–")
    lines.append("| " + " | ".join(geo) + " |")
    return "\n".join(lines)


reporting = [rt for rt in rts if any(run_phase(r) is not None for (p, q), rs in cells.items() if q == rt for r in rs)]

loads = [r["load1"] for r in recs] or [0.0]
day = a.start[:10] or "?"
lb = a.load_before.split()[0] if a.load_before else "?"
la = a.load_after.split()[0] if a.load_after else "?"
raw = ", ".join("`%s`" % os.path.basename(f) for f in a.files)
text = f"""# libsodium benchmark — {day}

`bench/libsodium.sh --runs {a.runs}` at commit `{a.commit}`; raw runs: {raw}.
Median of {a.runs} fresh processes per cell. `wasmoon-jit` is `wasmoon run` (the JIT),
`wasmoon-interp` is `wasmoon run --no-jit` (release build). Ratios are wasmoon's time over the
peer's (> 1: wasmoon is slower).

- runtimes: {", ".join(rts)} (WasmKit 0.4.2 `wasmkit-cli`; Wasmtime 50 and wasm3 0.5 through Python,
  `tools/peers/wasmtime-run` / `wasm3-run`, ~0.1 s of Python start-up each)
- machine: {platform.machine()}, {os.cpu_count()} cores, shared with other jobs; started {a.start or "?"};
  1-minute load average before {lb}, after {la}, at the start of each run {min(loads):.2f}–{max(loads):.2f}
  (median {statistics.median(loads):.2f}). CPU time is steadier than wall time under load, but not immune to it.

## Whole process (CPU seconds: start-up and, for Wasmtime, Cranelift's compilation included)

{table(whole, rts)}

## Run phase alone (`_start` only: wasmoon `--timings` CPU s, wasmtime-run `--timings` s)

{table(run_phase, reporting) if reporting else "(no runtime reported its run phase)"}
"""
with open(a.out, "w") as f:
    f.write(text)
print(text)
