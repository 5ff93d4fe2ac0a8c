#!/usr/bin/env python3
"""The cost of memory64: the kernels of tests/memory64-kernels built for wasm32 and for wasm64,
each runtime's time on both builds and the ratio wasm64 / wasm32.

Usage: bench/memory64.py [--runs N] [--out FILE.md] [--only GROUP[,GROUP...]] [--modules DIR]
                         [--timeout SECONDS] [KERNEL ...]

A wasm32 memory of 4 GiB at most can sit in a guard region, so a JIT needs no bounds check on
its loads and stores; a wasm64 (`(memory i64 ...)`) one cannot, so every access is checked
explicitly. The same C source built both ways (tests/memory64-kernels/build.sh; only the
pointer width differs) shows what those checks cost. Every run calls the module's export
`bench` (no parameters, an i64 checksum), checked against tests/memory64-kernels/expected.txt.

Groups (--only; default all):
  wasmtime     Wasmtime's CLI with Cranelift, the module compiled beforehand (`wasmtime compile`,
               then `run --allow-precompiled`): no compile time in the run. -W memory64=y.
  winch        the same with `-C compiler=winch` (Wasmtime's single-pass baseline compiler)
  wasmoon-jit  `wasmoon run --invoke bench MODULE`           ($WASMOON, default .build/release/wasmoon)
  wasmoon-interp  `wasmoon run --no-jit --invoke bench MODULE` (the kernels are sized for a JIT:
               expect tens of seconds a run; --timeout bounds them)
A run that exits non-zero, prints the wrong checksum or times out is reported as "failed",
"wrong" or "timeout" (and not repeated in later rounds), so a runtime without memory64 gives
its wasm32 figures and "failed" for wasm64.

Every round runs each runtime once per kernel and build, in turn (so a drift in the machine's
speed hits all alike), as a fresh process; the figure is the child's user+sys CPU seconds
(os.wait4), the median of N rounds (default 5). The table (medians, ratios, geometric means)
goes to stdout and, with --out, to a markdown file.

Environment: WASMOON, WASMOON_SHARED (the shared/ folder, default ../shared).
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
FOLDER = os.path.join(REPO, "tests", "memory64-kernels")
GROUPS = ["wasmtime", "winch", "wasmoon-jit", "wasmoon-interp"]
TARGETS = ["wasm32", "wasm64"]


def expected():
    out = {}
    for line in open(os.path.join(FOLDER, "expected.txt")):
        line = line.strip()
        if line and not line.startswith("#"):
            name, value = line.split()
            out[name] = value
    return out




def main():
    ap = argparse.ArgumentParser(description="wasm64 against wasm32 on the kernels of tests/memory64-kernels")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out")
    ap.add_argument("--only", help="comma-separated groups: " + ", ".join(GROUPS))
    ap.add_argument("--modules", help="the folder build.sh wrote (default: build into a temporary folder)")
    ap.add_argument("--timeout", type=float, default=0, help="seconds a run may take (default: no limit)")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()

    groups = GROUPS if not args.only else [g.strip() for g in args.only.split(",")]
    for g in groups:
        if g not in GROUPS:
            ap.error(f"unknown group {g} (one of {', '.join(GROUPS)})")
    want = expected()
    kernels = [k for k in sorted(want) if not args.names or k in args.names]
    if not kernels:
        ap.error("no kernel selected")

    shared = os.environ.get("WASMOON_SHARED") or os.path.join(os.path.dirname(REPO), "shared")
    wasmoon = os.environ.get("WASMOON") or os.path.join(REPO, ".build", "release", "wasmoon")
    wasmtime = os.path.join(shared, "tools", "peers", "wasmtime-cli")
    tmp = tempfile.mkdtemp(prefix="wasmoon-memory64-bench-")
    modules = args.modules
    if not modules:
        modules = os.path.join(tmp, "modules")
        subprocess.run([os.path.join(FOLDER, "build.sh"), modules], check=True, stdout=subprocess.DEVNULL)

    w_flags = ["-W", "memory64=y"]
    cells = {}  # (kernel, group, target) -> argv
    for k in kernels:
        for t in TARGETS:
            mod = os.path.join(modules, f"{k}-{t}.wasm")
            for g in groups:
                if g in ("wasmtime", "winch"):
                    compiler = "cranelift" if g == "wasmtime" else "winch"
                    cwasm = os.path.join(tmp, f"{k}-{t}-{compiler}.cwasm")
                    subprocess.run([wasmtime, "compile"] + w_flags + ["-C", f"compiler={compiler}", "-o", cwasm, mod],
                                   check=True)
                    argv = ([wasmtime, "run", "--allow-precompiled"] + w_flags
                            + ["-C", f"compiler={compiler}", "--invoke", "bench", cwasm])
                elif g == "wasmoon-jit":
                    argv = [wasmoon, "run", "--invoke", "bench", mod]
                else:
                    argv = [wasmoon, "run", "--no-jit", "--invoke", "bench", mod]
                cells[(k, g, t)] = argv

    load_before = os.getloadavg()[0]
    times = {c: [] for c in cells}
    status = {}  # cell -> "failed" / "wrong" / "timeout" once it went wrong
    for _ in range(args.runs):
        for k in kernels:
            for g in groups:
                for t in TARGETS:
                    c = (k, g, t)
                    if c in status:
                        continue
                    cpu, code, out = run(cells[c], args.timeout)
                    got = out.decode(errors="replace").strip()
                    if code is None:
                        status[c] = "timeout"
                    elif code != 0:
                        status[c] = "failed"
                    elif got != want[k]:
                        status[c] = "wrong"
                    else:
                        times[c].append(cpu)
                        continue
                    print(f"memory64.py: {g} on {k}-{t}: {status[c]} (exit {code}, output {got[:60]!r})",
                          file=sys.stderr)

    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    argv_text = " ".join(["bench/memory64.py"] + sys.argv[1:])
    lines = [f"# memory64: wasm64 against wasm32 ({datetime.date.today()})", "",
             f"`{argv_text}` at {commit}, {platform.machine()}, {os.cpu_count()} CPUs, "
             f"load average {load_before:.1f} at the start. Kernels: tests/memory64-kernels (the same C "
             "built for wasm32 and wasm64). Median user+sys CPU seconds of "
             f"{args.runs} rounds; the ratio is wasm64 over wasm32 (above 1: memory64 costs that much).", ""]
    header = "| kernel | " + " | ".join(f"{g} wasm32 | {g} wasm64 | {g} 64/32" for g in groups) + " |"
    lines += [header, "|" + "---|" * (1 + 3 * len(groups))]
    med = {}
    for c, ts in times.items():
        if c not in status and ts:
            med[c] = statistics.median(ts)
    for k in kernels:
        row = [k]
        for g in groups:
            for t in TARGETS:
                c = (k, g, t)
                row.append(f"{med[c]:.3f}" if c in med else status.get(c, "–"))
            a, b = med.get((k, g, "wasm32")), med.get((k, g, "wasm64"))
            row.append(f"{b / a:.2f}" if a and b else "–")
        lines.append("| " + " | ".join(row) + " |")
    row = ["geometric mean"]
    for g in groups:
        for t in TARGETS:
            xs = [med.get((k, g, t)) for k in kernels]
            gm = geomean(xs) if all(xs) else None
            row.append(f"{gm:.3f}" if gm else "–")
        ratios = [med[(k, g, "wasm64")] / med[(k, g, "wasm32")] for k in kernels
                  if (k, g, "wasm32") in med and (k, g, "wasm64") in med]
        gm = geomean(ratios) if len(ratios) == len(kernels) else None
        row.append(f"{gm:.2f}" if gm else "–")
    lines.append("| " + " | ".join(row) + " |")
    lines += ["", f"Load average at the end: {os.getloadavg()[0]:.1f}."]
    report(lines, args.out)


if __name__ == "__main__":
    main()
