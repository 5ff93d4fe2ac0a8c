#!/bin/sh
# Measures X64Assembler emission speed (instructions/second) in an -O build.
# Compiles WasmJIT's assembler sources together with the benchmark into one
# executable with whole-module optimisation, as SwiftPM release builds do. (The
# baseline compiler will live in the same module, so this is the representative
# setting; without -wmo nothing is inlined across files and it is 5x slower.)
# Prints; asserts nothing.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/x64-bench
cd "$work"   # swiftc may drop module files in the current directory
swiftc -O -wmo -parse-as-library -module-name X64Bench -o "$out" \
    "$root"/Sources/WasmJIT/X64/*.swift "$root"/Sources/WasmJIT/CodeMemory/*.swift \
    "$root"/scripts/bench/x64-assembler-bench.swift
"$out"
