import WasmRuntime

/// The checks that let an embedder stop untrusted code: emitted only when the engine asks for
/// them, so that code without them pays nothing.
extension FunctionCompiler {
    /// Epoch interruption (`Engine.epochInterruption`), at loop headers and the entries of
    /// functions that loop or call (`InterruptChecks`):
    /// trap with `interrupt` once the engine's epoch has reached the store's deadline. Two loads
    /// through the instance context and a compare; rax and rcx are free at both places (the
    /// prologue has not loaded anything yet; a loop header follows a flush of the value stack).
    mutating func emitInterruptCheck(_ a: inout X64Assembler) {
        guard env.interruptible else { return }
        SharedSequences.epochCheck(&a, trap: trapLabel(&a, .interrupt))
    }

    /// Fuel metering (`Engine.consumesFuel`): at the start of the straight-line run at
    /// `start` (`FuelMeter`), subtract its cost from the store's fuel; below zero, trap with
    /// `all fuel consumed`.
    mutating func emitFuelCharge(forRunAt start: Int, _ a: inout X64Assembler) {
        guard env.consumesFuel, !dead, start < code.instructions.count else { return }
        let cost = FuelMeter.runCost(from: start, in: code.instructions)
        let t = allocGPR(&a)
        a.mov(.i64, t, Mem(.r15, VMOffsets.fuel))
        a.add(.i64, Mem(t, 0), Int32(clamping: -cost))
        a.j(.s, trapLabel(&a, .outOfFuel))
        freeGPR(t)
    }
}
