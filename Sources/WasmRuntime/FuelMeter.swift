import WasmCore

/// Fuel metering, written once for both tiers: about one unit per wasm operator, charged in
/// one step at the start of each straight-line run of code (the function's entry, and after
/// every instruction that ends a run) for the whole run, the instruction that ends it included.
///
/// A run ends where code can be entered other than by falling through (a label: a loop header,
/// an `else`, an `end`, a catch) and where it cannot fall through (`br`, `br_table`, `return`,
/// `throw`, …). Calls and conditional branches (`br_if`, `br_on_null`, `if`) do not end a run:
/// what follows them is charged with what precedes them, so a run may pay for operators a
/// branch skipped or a trap cut short ("about" one unit per operator), in exchange for one
/// charge per loop iteration or merge point instead of one per branch or call.
package enum FuelMeter {
    /// Does `instruction` end a straight-line run?
    package static func endsRun(_ instruction: Instruction) -> Bool {
        switch instruction {
        case .loop, .else, .end, .br, .brTable, .return, .returnCall, .returnCallIndirect, .returnCallRef, .throw,
            .throwRef, .legacyCatch, .legacyCatchAll, .delegate, .rethrow, .unreachable:
            true
        default:
            false
        }
    }

    /// The units of the run that starts at `start`: its instructions up to and including the
    /// one that ends it (or the body's last).
    package static func runCost(from start: Int, in instructions: [Instruction]) -> Int64 {
        var index = start
        while index < instructions.count {
            if endsRun(instructions[index]) { return Int64(index - start + 1) }
            index += 1
        }
        return Int64(instructions.count - start)
    }
}

/// Where epoch interruption checks go, for both tiers: every loop header, and the entry of every
/// function that loops or calls. A function that does neither ends within a number of steps its
/// size bounds, so it needs no check of its own (its callers have theirs).
package enum InterruptChecks {
    package static func needsEntryCheck(_ instructions: [Instruction]) -> Bool {
        instructions.contains {
            switch $0 {
            case .loop, .call, .callIndirect, .callRef, .returnCall, .returnCallIndirect, .returnCallRef: true
            default: false
            }
        }
    }
}
