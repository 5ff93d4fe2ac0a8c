#!/usr/bin/env python3
"""The SIMD programs of tests/simd-programs under wasmoon and its peers, side by side in one run.

Usage: bench/simd.py [--runs N] [--out FILE.md] [--only jit|interp] [PROGRAM ...]

Two groups, each program at its sizes from tests/simd-programs/programs.txt:
  JIT, at the bench arguments:
    wasmoon-jit   `wasmoon run MODULE ARGS`                        ($WASMOON, default .build/release/wasmoon)
    cranelift     Wasmtime's CLI, the module compiled beforehand (`wasmtime compile`, then
                  `run --allow-precompiled`): Cranelift's code with no compile time in the run
    winch         the same with `-C compiler=winch` (Wasmtime's single-pass compiler); it refuses
                  relaxed SIMD, so the relaxed program has no winch figure
  interpreters, at the interpreter bench arguments:
    wasmoon-interp  `wasmoon run --no-jit MODULE ARGS`
    wasmkit         WasmKit 0.4.2 (shared/tools/peers/wasmkit-run; `wasmkit-run --build` once)
Relaxed SIMD runs in Wasmtime's deterministic mode (-W relaxed-simd=y,relaxed-simd-deterministic=y).

Every round runs each runtime once per program, in turn (so a drift in the machine's speed hits
all of them alike), as a fresh process; the figure is the child's user+sys CPU seconds
(os.wait4), the median of N rounds (default 5). The output of every run is checked against the
first one of the program's group. The table (medians, ratios to Cranelift / Winch / WasmKit,
geometric means) goes to stdout and, with --out, to a markdown file.

Environment: WASMOON, WASMOON_SHARED (the shared/ folder, default ../shared), WASMKIT_CLI.
"""
import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import geomean, report, run  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = os.path.join(REPO, "tests", "simd-programs")


def programs():
    out = []
    for line in open(os.path.join(FOLDER, "programs.txt")):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, module, relaxed, test, bench, interp = [f.strip() for f in line.split("|")]
        if bench == "-":
            continue  # a conformance program (intops, floatops), no bench
        out.append(dict(name=name, module=os.path.join(FOLDER, module), relaxed=relaxed == "yes",
                        bench=bench.split(), interp=interp.split()))
    return out




def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out")
    ap.add_argument("--only", choices=["jit", "interp"])
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()

    shared = os.environ.get("WASMOON_SHARED") or os.path.join(os.path.dirname(REPO), "shared")
    peers = os.path.join(shared, "tools", "peers")
    wasmoon = os.environ.get("WASMOON") or os.path.join(REPO, ".build", "release", "wasmoon")
    wasmtime = os.path.join(peers, "wasmtime-cli")
    wasmkit = os.path.join(peers, "wasmkit-run")
    progs = [p for p in programs() if not args.names or p["name"] in args.names]
    relaxed_flags = ["-W", "relaxed-simd=y,relaxed-simd-deterministic=y"]

    tmp = tempfile.mkdtemp(prefix="wasmoon-simd-bench-")
    groups = {}
    if args.only in (None, "jit"):
        rts = {}
        for p in progs:
            flags = relaxed_flags if p["relaxed"] else []
            cells = {"wasmoon-jit": [wasmoon, "run", p["module"]] + p["bench"]}
            for compiler in ["cranelift", "winch"]:
                if compiler == "winch" and p["relaxed"]:
                    continue
                cwasm = os.path.join(tmp, f"{p['name']}-{compiler}.cwasm")
                subprocess.run([wasmtime, "compile"] + flags + ["-C", f"compiler={compiler}", "-o", cwasm, p["module"]],
                               check=True)
                cells[compiler] = ([wasmtime, "run", "--allow-precompiled"] + flags + ["-C", f"compiler={compiler}"]
                                   + [cwasm] + p["bench"])
            rts[p["name"]] = cells
        groups["jit"] = (rts, ["wasmoon-jit", "cranelift", "winch"], [("cranelift", "wasmoon-jit"), ("winch", "wasmoon-jit")])
    if args.only in (None, "interp"):
        rts = {}
        for p in progs:
            rts[p["name"]] = {"wasmoon-interp": [wasmoon, "run", "--no-jit", p["module"]] + p["interp"],
                              "wasmkit": [wasmkit, p["module"]] + p["interp"]}
        groups["interp"] = (rts, ["wasmoon-interp", "wasmkit"], [("wasmkit", "wasmoon-interp")])

    load_before = os.getloadavg()[0]
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    lines = [f"# SIMD programs: wasmoon against its peers ({datetime.date.today()})", "",
             f"`bench/simd.py --runs {args.runs}` at {commit}, {platform.machine()}, {os.cpu_count()} CPUs, "
             f"load average {load_before:.1f} at the start. Median user+sys CPU seconds of {args.runs} rounds; "
             "a ratio is wasmoon's figure over the peer's (below 1: wasmoon is faster).", ""]
    for group, (rts, order, ratios) in groups.items():
        times = {name: {rt: [] for rt in cells} for name, cells in rts.items()}
        reference = {}
        for _ in range(args.runs):
            for name, cells in rts.items():
                for rt, argv in cells.items():
                    cpu, code, out = run(argv)
                    times[name][rt].append(cpu)
                    if name not in reference:
                        reference[name] = (code, out)
                    elif (code, out) != reference[name]:
                        print(f"simd.py: {rt} on {name}: output differs from the first run (exit {code})", file=sys.stderr)
                        times[name][rt][-1] = float("nan")
        header = "| program | " + " | ".join(order) + " | " + " | ".join(f"{b} / {a}" for a, b in ratios) + " |"
        lines += [f"## {'JIT (bench arguments)' if group == 'jit' else 'Interpreters (interpreter bench arguments)'}", "",
                  header, "|" + "---|" * (1 + len(order) + len(ratios))]
        columns = {r: [] for r in ratios}
        for name in rts:
            med = {rt: statistics.median(times[name][rt]) for rt in times[name]}
            row = [name] + [f"{med[rt]:.3f}" if rt in med else "–" for rt in order]
            for a, b in ratios:
                if a in med and b in med and med[a] > 0:
                    columns[(a, b)].append(med[b] / med[a])
                    row.append(f"{med[b] / med[a]:.2f}")
                else:
                    row.append("–")
            lines.append("| " + " | ".join(row) + " |")
        lines.append("| geometric mean | " + " | ".join("" for _ in order) + " | "
                     + " | ".join(f"{geomean(columns[r]):.2f}" if geomean(columns[r]) else "–" for r in ratios) + " |")
        lines.append("")
    lines.append(f"Load average at the end: {os.getloadavg()[0]:.1f}.")
    report(lines, args.out)


if __name__ == "__main__":
    main()
