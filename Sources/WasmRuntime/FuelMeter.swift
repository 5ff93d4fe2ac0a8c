import WasmCore

/// Fuel metering, written once for both tiers: about one unit per wasm operator, charged in
/// one step at the start of each straight-line run of code (the function's entry, and after
/// every instruction that ends a run: a branch, a call, a label) for the whole run, the
/// instruction that ends it included. A run that traps halfway has paid for all of it.
package enum FuelMeter {
    /// Does `instruction` end a straight-line run: does control leave or join after it?
    /// (`block`, `try_table` and `try` do not: nothing branches to where they start.)
    package static func endsRun(_ instruction: Instruction) -> Bool {
        switch instruction {
        case .loop, .if, .else, .end, .br, .brIf, .brTable, .return, .call, .callIndirect, .returnCall,
            .returnCallIndirect, .throw, .throwRef, .legacyCatch, .legacyCatchAll, .delegate, .rethrow, .callRef,
            .returnCallRef, .brOnNull, .brOnNonNull, .unreachable:
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
