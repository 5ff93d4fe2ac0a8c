#!/usr/bin/env python3
"""Markdown table of bench/libsodium.sh's raw runs (tools/peers/bench-peers JSON lines).

Usage: libsodium_table.py --out FILE.md [--runs N] [--start T] [--load-before L] [--load-after L]
                          [--commit C] RUNS.jsonl...
Several files (one benchmark split over processes) are merged: each (program, runtime) cell
comes from the file holding most runs of it. Per cell: the median user+sys CPU seconds of
the runs; ratios wasmoon / WasmKit and wasmoon / Wasmtime, and their geometric means.
"""
import argparse
import json
import math
import os
import platform
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
        if p not in progs:
            progs.append(p)
        if rt not in rts:
            rts.append(rt)
        mine.setdefault((p, rt), []).append(r)
    for key, rs in mine.items():
        if len(rs) > len(cells.get(key, [])):
            cells[key] = rs
recs = [r for rs in cells.values() for r in rs]


def cell(p, rt):
    rs = cells.get((p, rt), [])
    ok = [r for r in rs if not r["timeout"] and r["exit"] == 0]
    if not rs:
        return None, "–"
    if any(r["timeout"] for r in rs):
        return None, "timeout"
    if len(ok) < len(rs):
        return None, "exit %s" % sorted({r["exit"] for r in rs})
    m = statistics.median(r["cpu_s"] for r in ok)
    n = "" if str(len(ok)) == a.runs else " (n=%d)" % len(ok)
    return m, "%.2f%s" % (m, n)


bases = [b for b in ("wasmkit", "wasmtime") if b in rts and "wasmoon" in rts]
ratios = {b: [] for b in bases}
head = ["program"] + [rt + " CPU s" for rt in rts] + ["wasmoon / " + b for b in bases]
lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
for p in progs:
    vals = {rt: cell(p, rt) for rt in rts}
    row = [p] + [vals[rt][1] for rt in rts]
    for b in bases:
        x, y = vals["wasmoon"][0], vals[b][0]
        if x and y:
            ratios[b].append(x / y)
            row.append("%.2f×" % (x / y))
        else:
            row.append("–")
    lines.append("| " + " | ".join(row) + " |")
geo = ["**geometric mean**"] + [""] * len(rts)
for b in bases:
    rs = ratios[b]
    geo.append("**%.2f×** (%d programs)" % (math.exp(sum(map(math.log, rs)) / len(rs)), len(rs)) if rs else "–")
lines.append("| " + " | ".join(geo) + " |")

loads = [r["load1"] for r in recs] or [0.0]
day = a.start[:10] or "?"
lb = a.load_before.split()[0] if a.load_before else "?"
la = a.load_after.split()[0] if a.load_after else "?"
raw = ", ".join("`%s`" % os.path.basename(f) for f in a.files)
text = f"""# libsodium benchmark, interpreter tier — {day}

`bench/libsodium.sh --runs {a.runs}` at commit `{a.commit}`; raw runs: {raw}.
wasmoon is `wasmoon run --no-jit` (release build). Median of {a.runs} fresh processes per cell, in
**CPU seconds** (user+sys of the child: process start-up and, for Wasmtime, Cranelift's compilation
of the whole module are included). Ratios are wasmoon's CPU time over the peer's (> 1: wasmoon is slower).

- runtimes: {", ".join(rts)} (WasmKit 0.4.2 `wasmkit-cli`; Wasmtime 50 and wasm3 0.5 through Python,
  `tools/peers/wasmtime-run` / `wasm3-run`, ~0.1 s of Python start-up each)
- machine: {platform.machine()}, {os.cpu_count()} cores, shared with other jobs (builds and tests); started {a.start or "?"};
  1-minute load average before {lb}, after {la}, at the start of each run {min(loads):.2f}–{max(loads):.2f}
  (median {statistics.median(loads):.2f}). CPU time is steadier than wall time under load, but not immune to it.

""" + "\n".join(lines) + "\n"
with open(a.out, "w") as f:
    f.write(text)
print(text)
