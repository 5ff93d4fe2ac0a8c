#!/usr/bin/env bash
# Checks the machine code of the interpreter's instruction handlers (the closures
# of `makeHandler` in Sources/WasmInterpreter/Execution/Handlers.swift, and the
# profiling `countingHandler`) in the release build, because their regressions are silent:
#   - every handler that continues ends in an indirect `jmp` to the next handler (a
#     sibling call): a handler that made a real call of the next handler would grow
#     the native stack by one frame per executed instruction and crash long programs;
#   - no calls at all, except libm's sqrt/sqrtf (the errno fallback of a negative
#     square root), which return before the handler dispatches;
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
for f in Handlers Interpreter; do
    [[ -f "$dir/$f.swift.o" ]] || { echo "check-interpreter-loop: $dir/$f.swift.o not found" >&2; exit 1; }
done
# One line per handler: name, indirect jmps, indirect calls, direct calls, sqrt calls, forbidden runtime calls.
report=$(objdump -dr --no-show-raw-insn "$dir/Handlers.swift.o" "$dir/Interpreter.swift.o" | awk '
    function flush() { if (name != "") printf "%s %d %d %d %d %d\n", name, ij, ic, dc, sq, bad }
    /^[0-9a-f]+ <.*>:$/ {
        flush(); name = ""
        if ($2 ~ /makeHandler.*cfU[0-9]*_>:$/ || $2 ~ /countingHandler.*fU_>:$/) { name = $2; ij = ic = dc = sq = bad = 0 }
        next
    }
    name == "" { next }
    /jmp +\*/ { ij++ }
    /call +\*/ { ic++ }
    /\tcall +[0-9a-f]+ </ { dc++ }
    /R_X86_64_PLT32\t(sqrt|sqrtf)-0x4/ { sq++ }
    /swift_retain|swift_release|swift_beginAccess|isUniquelyReferenced/ { bad++ }
    END { flush() }')
handlers=$(grep -c . <<<"$report" || true)
threaded=$(awk '$2 > 0' <<<"$report" | wc -l)
status=0
echo "interpreter handlers: $handlers, $threaded ending in an indirect jmp"
if (( handlers < 150 )); then echo "FAIL: expected at least 150 handler closures (symbol names changed?)" >&2; status=1; fi
if (( threaded < 140 )); then echo "FAIL: handlers do not dispatch by indirect jmp (sibling calls lost?)" >&2; status=1; fi
offenders=$(awk '$3 > 0 || $4 > $5 || $6 > 0' <<<"$report")
if [[ -n "$offenders" ]]; then
    echo "FAIL: handlers with calls (other than sqrt) or runtime calls:" >&2
    echo "  name indirect-jmps indirect-calls direct-calls sqrt-calls runtime-calls" >&2
    echo "$offenders" | sed 's/^/  /' | swift demangle --simplified >&2 2>/dev/null || echo "$offenders" >&2
    status=1
fi
exit $status
