#!/usr/bin/env bash
# Checks the machine code of the interpreter's instruction handlers (the closures
# of `makeHandler` in Sources/WasmInterpreter/Execution/Handlers.swift, of the SIMD
# handlers `makeVectorHandler` (Interpreter+Vector.swift) and `makeTableVectorHandler`
# (Generated/VectorHandlers.swift), and the profiling `countingHandler`) in the release
# build, because their regressions are silent:
#   - every handler that continues ends in an indirect `jmp` to the next handler (a
#     sibling call): a handler that made a real call of the next handler would grow
#     the native stack by one frame per executed instruction and crash long programs;
#   - no calls at all, except libm's sqrt/sqrtf (the errno fallback of a negative
#     square root) and fma/fmaf (relaxed SIMD's fused multiply-add), which return before
#     the handler dispatches. (A SIMD handler that called an out-of-line semantics function
#     was merged by the optimizer with the others of its shape into one function taking the
#     callee as a seventh, stack-passed argument: no sibling call, a native frame per
#     executed instruction, a crash in long SIMD loops.)
#   - no reference counting or dynamic exclusivity checks (swift_retain,
#     swift_release, swift_beginAccess, isUniquelyReferenced).
# The test suite also runs a 10^8-iteration loop and deep call chains under the interpreter.
#
#   scripts/check-interpreter-loop.sh [--no-build]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
if [[ "${1:-}" != "--no-build" ]]; then
    swift build -c release --product wasmoon >/dev/null
fi
dir=.build/release/WasmInterpreter.build
objects=(Handlers Interpreter Interpreter+Vector VectorHandlers)
for f in "${objects[@]}"; do
    [[ -f "$dir/$f.swift.o" ]] || { echo "check-interpreter-loop: $dir/$f.swift.o not found" >&2; exit 1; }
done
# One line per handler: name, indirect jmps, indirect calls, direct calls, sqrt calls, forbidden runtime calls.
report=$(for f in "${objects[@]}"; do objdump -dr --no-show-raw-insn "$dir/$f.swift.o"; done | awk '
    function flush() { if (name != "") printf "%s %d %d %d %d %d\n", name, ij, ic, dc, sq, bad }
    /^[0-9a-f]+ <.*>:$/ {
        flush(); name = ""
        if ($2 ~ /(makeHandler|makeVectorHandler|makeTableVectorHandler).*cfU[0-9]*_(Tm)?>:$/ || $2 ~ /countingHandler.*fU_>:$/) { name = $2; ij = ic = dc = sq = bad = 0 }
        next
    }
    name == "" { next }
    /jmp +\*/ { ij++ }
    /call +\*/ { ic++ }
    /\tcall +[0-9a-f]+ </ { dc++ }
    /R_X86_64_PLT32\t(sqrt|sqrtf|fma|fmaf)-0x4/ { sq++ }
    /swift_retain|swift_release|swift_beginAccess|isUniquelyReferenced/ { bad++ }
    END { flush() }')
handlers=$(grep -c . <<<"$report" || true)
threaded=$(awk '$2 > 0' <<<"$report" | wc -l)
status=0
echo "interpreter handlers: $handlers, $threaded ending in an indirect jmp"
if (( handlers < 350 )); then echo "FAIL: expected at least 350 handler closures (symbol names changed?)" >&2; status=1; fi
if (( threaded < 300 )); then echo "FAIL: handlers do not dispatch by indirect jmp (sibling calls lost?)" >&2; status=1; fi
offenders=$(awk '$3 > 0 || $4 > $5 || $6 > 0' <<<"$report")
if [[ -n "$offenders" ]]; then
    echo "FAIL: handlers with calls (other than sqrt) or runtime calls:" >&2
    echo "  name indirect-jmps indirect-calls direct-calls sqrt-calls runtime-calls" >&2
    echo "$offenders" | sed 's/^/  /' | swift demangle --simplified >&2 2>/dev/null || echo "$offenders" >&2
    status=1
fi
exit $status
