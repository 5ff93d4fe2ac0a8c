#!/usr/bin/env python3
"""What the limits for untrusted guests cost: the libsodium benchmark set with the checks off,
with epoch interruption on (`--timeout`, far away) and with fuel on (`--fuel`, more than enough).

Usage: bench/limits.py [--runs N] [--out FILE.md] [--no-jit] [PROGRAM ...]

Every round runs each program once per configuration, in turn (a drift of the machine's speed
hits all three alike), as a fresh process; the figure is the child's user+sys CPU seconds
(os.wait4), the median of N rounds (default 3). The exit status must be the one
shared/corpus/libsodium/expected.json gives. Ratios are to the checks off; geometric means last.

Environment: WASMOON (default .build/release/wasmoon), WASMOON_SHARED (default ../shared).
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import geomean, report, run  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("WASMOON_SHARED", os.path.join(os.path.dirname(REPO), "shared"))
WASMOON = os.environ.get("WASMOON", os.path.join(REPO, ".build", "release", "wasmoon"))
CONFIGS = [("off", []), ("epoch", ["--timeout", "100000"]), ("fuel", ["--fuel", str(2**63 - 1)])]



def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out")
    parser.add_argument("--no-jit", action="store_true", help="measure the interpreter instead of the JIT")
    parser.add_argument("programs", nargs="*")
    args = parser.parse_args()
    folder = os.path.join(SHARED, "corpus", "libsodium")
    expected = json.load(open(os.path.join(folder, "expected.json")))
    names = args.programs or sorted(n for n, e in expected.items() if e.get("bench"))
    tier = ["--no-jit"] if args.no_jit else []
    times = {(n, c): [] for n in names for c, _ in CONFIGS}
    for _ in range(args.runs):
        for name in names:
            for config, flags in CONFIGS:
                cpu, code, _ = run([WASMOON, "run"] + tier + flags + [os.path.join(folder, name + ".wasm")])
                if code != expected[name]["exit"]:
                    sys.exit(f"{name} ({config}): exit {code}, expected {expected[name]['exit']}")
                times[(name, config)].append(cpu)
    lines = [f"# Limits for untrusted guests: what the checks cost ({datetime.date.today()})", "",
             f"`bench/limits.py --runs {args.runs}{' --no-jit' if args.no_jit else ''}`, "
             f"{'interpreter' if args.no_jit else 'JIT'}, median user+sys CPU seconds; "
             "epoch: `--timeout 100000`, fuel: `--fuel 2^63-1`.", "",
             "| program | off | epoch | fuel | epoch/off | fuel/off |", "|---|---|---|---|---|---|"]
    ratios = {"epoch": [], "fuel": []}
    for name in names:
        med = {c: statistics.median(times[(name, c)]) for c, _ in CONFIGS}
        for c in ratios:
            ratios[c].append(med[c] / med["off"])
        lines.append(f"| {name} | {med['off']:.3f} | {med['epoch']:.3f} | {med['fuel']:.3f} | "
                     f"{med['epoch'] / med['off']:.3f} | {med['fuel'] / med['off']:.3f} |")
    geo = {c: geomean(r) for c, r in ratios.items()}
    lines.append(f"| **geometric mean** | | | | **{geo['epoch']:.3f}** | **{geo['fuel']:.3f}** |")
    report(lines, args.out)


if __name__ == "__main__":
    main()
