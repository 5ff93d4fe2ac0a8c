#!/usr/bin/env bash
# Checks the machine code of the interpreter's dispatch loop (`Interpreter.run`)
# in the release build, because its regressions are silent:
#   - no reference counting or dynamic exclusivity checks (swift_retain,
#     swift_release, swift_beginAccess, isUniquelyReferenced);
#   - the first-level dispatch is replicated into the handlers (many indirect
#     jumps, not one): see `HotSlot` in Sources/WasmInterpreter/Execution/Opcode.swift;
#   - no calls except libm's sqrt/sqrtf (the errno fallback of a negative square root).
#
#   scripts/check-interpreter-loop.sh [--no-build]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
if [[ "${1:-}" != "--no-build" ]]; then
    swift build -c release --product wasmoon >/dev/null
fi
object=$(ls .build/release/WasmInterpreter.build/Interpreter.swift.o)
listing=$(objdump -dr --no-show-raw-insn "$object" | awk '/^[0-9a-f]+ <.*Interpreter.*3run.*>:/ { f = 1; next } /^[0-9a-f]+ </ { f = 0 } f')
if [[ -z "$listing" ]]; then echo "check-interpreter-loop: Interpreter.run not found in $object" >&2; exit 1; fi
status=0
forbidden=$(grep -cE "swift_retain|swift_release|swift_beginAccess|isUniquelyReferenced" <<<"$listing" || true)
jumps=$(grep -cE "jmp +\*" <<<"$listing" || true)
calls=$(grep -E "R_X86_64_PLT32" <<<"$listing" | awk '{ print $3 }' | sed 's/-0x4$//' | grep -vE "^(sqrt|sqrtf)$" || true)
echo "Interpreter.run: $(wc -l <<<"$listing") instructions, $jumps indirect jumps, $forbidden forbidden runtime calls"
if (( forbidden > 0 )); then echo "FAIL: reference counting or exclusivity checks in the dispatch loop" >&2; status=1; fi
if (( jumps < 64 )); then echo "FAIL: the dispatch is no longer replicated into the handlers" >&2; status=1; fi
if [[ -n "$calls" ]]; then echo "FAIL: calls in the dispatch loop:" >&2; echo "$calls" | sort | uniq -c >&2; status=1; fi
exit $status
