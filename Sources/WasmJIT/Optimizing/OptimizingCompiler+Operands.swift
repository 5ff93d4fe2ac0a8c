import WasmCore
import WasmOptimizer
import WasmRuntime

/// Reading values from where the allocator put them, writing results, and parallel moves.
/// An i32 in a GPR or a stack slot is always zero-extended to 64 bits (32-bit operations
/// zero-extend on x86-64), so it serves as an address index as it is.
extension OptimizingCompiler {
    /// A value as an x86 operand.
    enum IntOperand: Equatable {
        case register(GPR)
        case memory(Mem)
        case immediate(Int64)
    }

    func location(_ value: IRValue) -> ValueLocation { locations[Int(value.id)] }
    func valueType(_ value: IRValue) -> ValueType { function.valueTypes[Int(value.id)] }

    /// An integer value as a register, a stack slot or (a constant) an immediate of its type
    /// (an i32 as its sign-extended 32-bit pattern, so it fits any imm32 field).
    mutating func intOperand(_ value: IRValue) -> IntOperand {
        switch location(value) {
        case .gpr(let r): return .register(r)
        case .stack(let j): return .memory(spillSlot(j))
        case .constant(let bits):
            return valueType(value) == .i32 ? .immediate(Int64(Int32(truncatingIfNeeded: bits)))
                : .immediate(Int64(bitPattern: bits))
        case .xmm, .none: return .immediate(0)  // not an integer value: the verifier rules it out
        }
    }

    /// An integer value in a register: its own, or `scratch` loaded with it.
    mutating func intRegister(_ value: IRValue, scratch: GPR, _ size: OperandSize, _ a: inout X64Assembler) -> GPR {
        switch intOperand(value) {
        case .register(let r): return r
        case .memory(let m): a.mov(size == .i32 ? .i32 : .i64, scratch, m)
        case .immediate(let v): a.mov(size == .i32 ? .i32 : .i64, scratch, size == .i32 ? Int64(UInt32(truncatingIfNeeded: v)) : v)
        }
        return scratch
    }

    /// Loads an integer operand into `r`.
    mutating func load(_ operand: IntOperand, into r: GPR, _ size: OperandSize, _ a: inout X64Assembler) {
        switch operand {
        case .register(let s): if s != r { a.mov(size == .i32 ? .i32 : .i64, r, s) }
        case .memory(let m): a.mov(size == .i32 ? .i32 : .i64, r, m)
        case .immediate(let v):
            if v == 0 { a.xor(.i32, r, r) } else {
                a.mov(size == .i32 ? .i32 : .i64, r, size == .i32 ? Int64(UInt32(truncatingIfNeeded: v)) : v)
            }
        }
    }

    /// The register an integer result is computed into: its own, or rax (then `finish` stores it).
    mutating func resultRegister(_ value: IRValue) -> GPR {
        if case .gpr(let r) = location(value) { return r }
        return .rax
    }

    /// Stores a result computed in `r` to its stack slot, if it has one.
    mutating func finish(_ value: IRValue, _ r: GPR, _ a: inout X64Assembler) {
        if case .stack(let j) = location(value) { a.mov(.i64, spillSlot(j), r) }
    }

    /// A float value in an XMM register: its own, or `scratch` loaded with it.
    mutating func floatRegister(_ value: IRValue, scratch: XMM, _ a: inout X64Assembler) -> XMM {
        switch location(value) {
        case .xmm(let x): return x
        case .stack(let j): a.movsd(scratch, spillSlot(j))
        case .constant(let bits): loadFloatConstant(bits, into: scratch, &a)
        case .gpr, .none: break
        }
        return scratch
    }

    /// The register a float result is computed into: its own, or xmm0.
    mutating func resultXMM(_ value: IRValue) -> XMM {
        if case .xmm(let x) = location(value) { return x }
        return .xmm0
    }

    mutating func finish(_ value: IRValue, _ x: XMM, _ a: inout X64Assembler) {
        if case .stack(let j) = location(value) { a.movsd(spillSlot(j), x) }
    }

    /// A float constant from the function's constant pool (zero by `xorps`).
    mutating func loadFloatConstant(_ bits: UInt64, into x: XMM, _ a: inout X64Assembler) {
        if bits == 0 {
            a.xorps(x, x)
            return
        }
        let label: Label
        if let known = floatConstants[bits] { label = known } else {
            label = a.newLabel("constant")
            floatConstants[bits] = label
            floatConstantOrder.append(bits)
        }
        a.movsd(x, .rip(label))
    }

    /// Stores a value (of any type) to a 64-bit memory slot; rax is free for it.
    mutating func store(_ value: IRValue, to slot: Mem, _ a: inout X64Assembler) {
        move(from: location(value), to: slot, &a)
    }

    mutating func move(from source: ValueLocation, to slot: Mem, _ a: inout X64Assembler) {
        switch source {
        case .gpr(let r): a.mov(.i64, slot, r)
        case .xmm(let x): a.movsd(slot, x)
        case .stack(let j):
            a.mov(.i64, .rax, spillSlot(j))
            a.mov(.i64, slot, .rax)
        case .constant(let bits):
            if let imm = Int32(exactly: Int64(bitPattern: bits)) { a.mov(.i64, slot, imm) } else {
                a.mov(.i64, .rax, Int64(bitPattern: bits))
                a.mov(.i64, slot, .rax)
            }
        case .none: break
        }
    }

    /// Sets the flags for "value != 0" (an i32).
    mutating func testNonZero(_ value: IRValue, _ a: inout X64Assembler) {
        switch intOperand(value) {
        case .register(let r): a.test(.i32, r, r)
        case .memory(let m): a.cmp(.i32, m, 0)
        case .immediate(let v):
            a.mov(.i32, .rax, Int64(UInt32(truncatingIfNeeded: v)))
            a.test(.i32, .rax, .rax)
        }
    }

    // MARK: Parallel moves

    /// Performs `moves` as if all at once (the edge into a block with parameters, the
    /// arguments of a runtime call): a move whose destination no other move still reads goes
    /// first; a cycle is broken by parking one destination's old value in `park` (or xmm1).
    /// Memory-to-memory moves go through rax (so `park` is rax only where no move is one).
    mutating func emitParallelMoves(_ moves: some Collection<(from: ValueLocation, to: ValueLocation)>, park: GPR = .rcx,
                                    _ a: inout X64Assembler) {
        var pending = moves.filter { $0.to != .none && $0.from != $0.to && $0.from != .none }
        let count = pending.count
        guard count > 1 else {
            if count == 1 { emitMove(from: pending[0].from, to: pending[0].to, &a) }
            return
        }
        // blockers[i]: how many other pending moves still read move i's destination.
        var blockers = [Int32](repeating: 0, count: count)
        for i in 0..<count {
            for j in 0..<count where j != i && pending[j].from == pending[i].to { blockers[i] += 1 }
        }
        var done = [Bool](repeating: false, count: count)
        var ready: [Int] = []  // a stack: lowest index on top
        for i in stride(from: count - 1, through: 0, by: -1) where blockers[i] == 0 { ready.append(i) }
        var remaining = count
        while remaining > 0 {
            if let i = ready.popLast() {
                emitMove(from: pending[i].from, to: pending[i].to, &a)
                done[i] = true
                remaining -= 1
                // Its source is read no more: the move writing there may be ready.
                for k in 0..<count where !done[k] && pending[k].to == pending[i].from {
                    blockers[k] -= 1
                    if blockers[k] == 0 { ready.append(k) }
                }
                continue
            }
            // Every destination is still read: a cycle. Park the first destination's value.
            guard let k = done.firstIndex(of: false) else { break }
            let blocked = pending[k].to
            let parked: ValueLocation
            if case .xmm = blocked { parked = .xmm(.xmm1) } else { parked = .gpr(park) }
            emitMove(from: blocked, to: parked, &a)
            for i in 0..<count where !done[i] && pending[i].from == blocked {
                pending[i].from = parked
                blockers[k] -= 1
            }
            if blockers[k] == 0 { ready.append(k) }
        }
    }

    /// One move between any two places (64 bits: the upper half of an i32 or f32 travels along).
    mutating func emitMove(from source: ValueLocation, to destination: ValueLocation, _ a: inout X64Assembler) {
        switch (source, destination) {
        case (.gpr(let s), .gpr(let d)): a.mov(.i64, d, s)
        case (.xmm(let s), .xmm(let d)): a.movaps(d, s)
        case (.gpr(let s), .xmm(let d)): a.movq(d, s)
        case (.xmm(let s), .gpr(let d)): a.movq(d, s)
        case (.stack(let j), .gpr(let d)): a.mov(.i64, d, spillSlot(j))
        case (.stack(let j), .xmm(let d)): a.movsd(d, spillSlot(j))
        case (_, .stack(let j)): move(from: source, to: spillSlot(j), &a)
        case (.constant(let bits), .gpr(let d)):
            if bits == 0 { a.xor(.i32, d, d) } else { a.mov(.i64, d, Int64(bitPattern: bits)) }
        case (.constant(let bits), .xmm(let d)): loadFloatConstant(bits, into: d, &a)
        case (_, .none), (_, .constant), (.none, _): break
        }
    }
}
