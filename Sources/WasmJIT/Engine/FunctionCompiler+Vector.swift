import WasmCore
@_spi(Engine) import WasmRuntime

/// A popped v128 operand: an owned XMM register, its 16 bytes in a frame slot pair (not
/// 16-byte aligned: only `movdqu`/`movups` may read it), or a constant.
enum VectorOperand {
    case reg(XMM)
    case mem(Mem)
    case constant(V128)
}

/// The source operand of an SSE instruction: a register, or an aligned memory operand (a
/// constant in the pool).
enum VectorSource {
    case reg(XMM)
    case mem(Mem)
}

/// SIMD on the value stack: a v128 is two slots (`.upper` below its entry, see `StackVal`),
/// lives in an XMM register between boundaries and in its slot pair at them. Constants come
/// from a per-function pool after the code. Every instruction has a register form here where
/// the CPU allows one (FunctionCompiler+VectorOps.swift, +VectorFloat.swift); the rest (and
/// everything on a CPU without the extension a sequence needs) calls `VectorSemantics`
/// through `Helpers.vectorOp` from the slot-based code.
extension FunctionCompiler {
    // MARK: Value stack

    /// Whether the value on top of the stack is a v128.
    var topIsVector: Bool {
        guard vals.count >= 2, case .upper = vals[vals.count - 2] else { return false }
        return true
    }

    mutating func pushVector(_ x: XMM) {
        vals.append(.upper)
        vals.append(.vec(x))
        need(vals.count)
    }

    mutating func popVector(_ a: inout X64Assembler) -> VectorOperand {
        let d = vals.count - 1
        guard d >= 1, case .upper = vals[d - 1] else {
            a.fail("a vector was expected on top of the value stack")
            return .mem(slot(max(d, 0)))
        }
        let entry = vals.removeLast()
        vals.removeLast()
        switch entry {
        case .vec(let x): return .reg(x)
        case .mem: return .mem(slot(d))
        case .vconst(let k): return .constant(vectorConstantOrder[k])
        default:
            a.fail("a vector entry is neither in a register nor in memory")
            return .mem(slot(d))
        }
    }

    /// An owned register holding the operand.
    mutating func vectorRegister(_ o: VectorOperand, _ a: inout X64Assembler) -> XMM {
        switch o {
        case .reg(let x): return x
        case .mem(let m):
            let x = allocXMM(&a)
            a.movdqu(x, m)
            return x
        case .constant(let v): return vectorConstant(v, &a)
        }
    }

    /// The operand as an instruction's source: a constant stays in the pool.
    mutating func vectorSource(_ o: VectorOperand, _ a: inout X64Assembler) -> VectorSource {
        if case .constant(let v) = o { return .mem(.rip(constantLabel(v, &a))) }
        return .reg(vectorRegister(o, &a))
    }

    /// Pops a v128 as an instruction's source.
    mutating func popVectorSource(_ a: inout X64Assembler) -> VectorSource { vectorSource(popVector(&a), &a) }

    /// A constant as an instruction's source operand (`[rip + const]`, 16-byte aligned).
    mutating func constantSource(_ v: V128, _ a: inout X64Assembler) -> VectorSource {
        .mem(.rip(constantLabel(v, &a)))
    }

    mutating func release(_ s: VectorSource) {
        if case .reg(let x) = s { freeXMM(x) }
    }

    /// `op dst, src`.
    mutating func packed(_ op: PackedOp, _ dst: XMM, _ src: VectorSource, _ a: inout X64Assembler) {
        switch src {
        case .reg(let x): a.packed(op, dst, x)
        case .mem(let m): a.packed(op, dst, m)
        }
    }

    /// Pushes a constant without materializing it.
    mutating func pushVectorConstant(_ v: V128, _ a: inout X64Assembler) {
        _ = constantLabel(v, &a)
        guard let index = vectorConstantIndex[v] else { return }
        vals.append(.upper)
        vals.append(.vconst(index))
        need(vals.count)
    }

    /// Pops a v128 into an owned register.
    mutating func popVectorRegister(_ a: inout X64Assembler) -> XMM { vectorRegister(popVector(&a), &a) }

    mutating func release(_ o: VectorOperand) {
        if case .reg(let x) = o { freeXMM(x) }
    }

    /// A copy of `x` in a new register.
    mutating func copyVector(_ x: XMM, _ a: inout X64Assembler) -> XMM {
        let t = allocXMM(&a)
        a.movdqa(t, x)
        return t
    }

    /// 16 bytes of frame just above the value stack, for sequences that go through memory.
    mutating func vectorScratchSlot() -> Mem {
        need(vals.count + 2)
        return slot(vals.count + 1)
    }

    // MARK: Constants

    /// A new register holding `v`.
    mutating func vectorConstant(_ v: V128, _ a: inout X64Assembler) -> XMM {
        let x = allocXMM(&a)
        loadVectorConstant(x, v, &a)
        return x
    }

    mutating func loadVectorConstant(_ x: XMM, _ v: V128, _ a: inout X64Assembler) {
        if v == .zero {
            a.packed(.pxor, x, x)
        } else if v.low == .max && v.high == .max {
            a.packed(.pcmpeqd, x, x)
        } else {
            a.movdqu(x, .rip(constantLabel(v, &a)))
        }
    }

    /// The label of `v` in the function's constant pool (emitted after its code).
    mutating func constantLabel(_ v: V128, _ a: inout X64Assembler) -> Label {
        if let label = vectorConstants[v] { return label }
        let label = a.newLabel("const")
        vectorConstants[v] = label
        vectorConstantIndex[v] = vectorConstantOrder.count
        vectorConstantOrder.append(v)
        return label
    }

    /// The constant pool, 16-byte aligned, after the function's code.
    mutating func emitVectorConstants(_ a: inout X64Assembler) {
        if vectorConstantOrder.isEmpty { return }
        a.align(16, fill: .int3)
        for v in vectorConstantOrder {
            if let label = vectorConstants[v] { a.bind(label) }
            a.emit(bytes: v.bytes)
        }
    }

    // MARK: Instructions

    /// SIMD instructions in registers; false: the slot-based code (a runtime call) runs it.
    mutating func fastVector(_ ins: Instruction, _ a: inout X64Assembler) -> Bool {
        switch ins {
        case .v128Const(let v):
            pushVectorConstant(v, &a)
            return true
        case .i8x16Shuffle(let lanes):
            return fastShuffle(lanes, &a)
        case .vector(let op):
            return fastVectorOp(op, &a)
        case .vectorLane(let op, let lane):
            return fastLane(op, Int(lane), &a)
        case .laneMemory(let op, let m, let lane):
            fastLaneMemory(op, m, Int(lane), &a)
            return true
        default:
            return false
        }
    }

    /// `select` of two v128s.
    mutating func emitVectorSelect(_ a: inout X64Assembler) {
        let c = pop()
        let b = popVector(&a), v = popVector(&a)
        if case .imm(let k) = c {
            let keep = Int32(truncatingIfNeeded: k) != 0 ? v : b
            release(Int32(truncatingIfNeeded: k) != 0 ? b : v)
            pushVector(vectorRegister(keep, &a))
            return
        }
        let x = vectorRegister(v, &a)
        let y = vectorRegister(b, &a)
        testNonzero(c, &a)
        let keep = a.newLabel()
        a.j(.ne, keep)
        a.movdqa(x, y)
        a.bind(keep)
        freeXMM(y)
        pushVector(x)
    }

    // MARK: Memory

    mutating func fastVectorLoad(_ op: LoadOp, _ m: MemArg, _ a: inout X64Assembler) -> Bool {
        let sse41 = env.features.contains(.sse41)
        let o = pop()
        let (addr, ar) = addressOf(o, m, size: op.byteWidth, &a)
        let x = allocXMM(&a)
        switch op {
        case .v128Load: a.movdqu(x, addr)
        case .v128Load8x8S, .v128Load8x8U, .v128Load16x4S, .v128Load16x4U, .v128Load32x2S, .v128Load32x2U:
            if sse41 {
                let widen: PackedOp = switch op {
                case .v128Load8x8S: .pmovsxbw
                case .v128Load8x8U: .pmovzxbw
                case .v128Load16x4S: .pmovsxwd
                case .v128Load16x4U: .pmovzxwd
                case .v128Load32x2S: .pmovsxdq
                default: .pmovzxdq
                }
                a.packed(widen, x, addr)
            } else {
                a.movq(x, addr)
                switch op {
                case .v128Load8x8S: extendLowSigned(x, bits: 8, &a)
                case .v128Load16x4S: extendLowSigned(x, bits: 16, &a)
                case .v128Load32x2S: extendLowSigned(x, bits: 32, &a)
                case .v128Load8x8U: extendLowUnsigned(x, bits: 8, &a)
                case .v128Load16x4U: extendLowUnsigned(x, bits: 16, &a)
                default: extendLowUnsigned(x, bits: 32, &a)
                }
            }
        case .v128Load8Splat, .v128Load16Splat:
            let t = ar ?? allocGPR(&a)
            broadcast(t, into: x, byte: op == .v128Load8Splat, from: .mem(addr), &a)
            if ar == nil { freeGPR(t) }
        case .v128Load32Splat:
            a.movss(x, addr)
            a.packed(.pshufd, x, x, 0)
        case .v128Load64Splat:
            a.movq(x, addr)
            a.packed(.punpcklqdq, x, x)
        case .v128Load32Zero: a.movss(x, addr)
        case .v128Load64Zero: a.movq(x, addr)
        default:
            a.fail("not a vector load: \(op)")
        }
        if let ar { freeGPR(ar) }
        pushVector(x)
        return true
    }

    mutating func fastVectorStore(_ m: MemArg, _ a: inout X64Assembler) {
        let x = popVectorRegister(&a)
        let o = pop()
        let (addr, ar) = addressOf(o, m, size: 16, &a)
        a.movdqu(addr, x)
        if let ar { freeGPR(ar) }
        freeXMM(x)
    }

    /// `v128.loadN_lane` / `v128.storeN_lane`.
    mutating func fastLaneMemory(_ op: LaneMemoryOp, _ m: MemArg, _ lane: Int, _ a: inout X64Assembler) {
        let sse41 = env.features.contains(.sse41)
        let x = popVectorRegister(&a)
        let o = pop()
        let (addr, ar) = addressOf(o, m, size: op.byteWidth, &a)
        let lane8 = UInt8(lane)
        switch op {
        case .v128Load8Lane, .v128Load32Lane:
            let size: OperandSize = op == .v128Load8Lane ? .i8 : .i32
            if sse41 {
                a.pinsr(size, x, addr, lane8)
            } else {
                let t = ar ?? allocGPR(&a)
                if size == .i8 { a.movzx(.i32, t, .i8, addr) } else { a.mov(.i32, t, addr) }
                replaceLaneThroughMemory(x, t, size, lane, &a)
                if ar == nil { freeGPR(t) }
            }
        case .v128Load16Lane: a.pinsr(.i16, x, addr, lane8)
        case .v128Load64Lane:
            if lane == 0 { a.movlps(x, addr) } else { a.movhps(x, addr) }
        case .v128Store8Lane:
            if sse41 {
                a.pextr(.i8, addr, x, lane8)
            } else {
                let t = allocGPR(&a)
                a.pextr(.i16, t, x, lane8 / 2)
                if lane & 1 == 1 { a.shr(.i32, t, 8) }
                a.mov(.i8, addr, t)
                freeGPR(t)
            }
        case .v128Store16Lane:
            let t = allocGPR(&a)
            a.pextr(.i16, t, x, lane8)
            a.mov(.i16, addr, t)
            freeGPR(t)
        case .v128Store32Lane:
            if lane == 0 {
                a.movss(addr, x)
            } else {
                a.packed(.pshufd, x, x, lane8)
                a.movss(addr, x)
            }
        case .v128Store64Lane:
            if lane == 0 { a.movq(addr, x) } else { a.movhps(addr, x) }
        }
        if let ar { freeGPR(ar) }
        if op.isStore { freeXMM(x) } else { pushVector(x) }
    }

    /// Lane `lane` of `x` (of `size`) set from the low bits of `value`, through the frame.
    mutating func replaceLaneThroughMemory(_ x: XMM, _ value: GPR, _ size: OperandSize, _ lane: Int, _ a: inout X64Assembler) {
        let scratch = vectorScratchSlot()
        a.movdqu(scratch, x)
        a.mov(size, Mem(scratch.base!, scratch.disp + Int32(lane * size.bytes)), value)
        a.movdqu(x, scratch)
    }

    // MARK: Lanes

    mutating func fastLane(_ op: VectorLaneOp, _ lane: Int, _ a: inout X64Assembler) -> Bool {
        let sse41 = env.features.contains(.sse41)
        let lane8 = UInt8(lane)
        switch op {
        case .i8x16ExtractLaneS, .i8x16ExtractLaneU, .i16x8ExtractLaneS, .i16x8ExtractLaneU:
            let x = popVectorRegister(&a)
            let r = allocGPR(&a)
            let byte = op == .i8x16ExtractLaneS || op == .i8x16ExtractLaneU
            if byte && sse41 {
                a.pextr(.i8, r, x, lane8)
            } else if byte {
                a.pextr(.i16, r, x, lane8 / 2)
                if lane & 1 == 1 { a.shr(.i32, r, 8) }
            } else {
                a.pextr(.i16, r, x, lane8)
            }
            switch op {
            case .i8x16ExtractLaneS: a.movsx(.i32, r, .i8, r)
            case .i8x16ExtractLaneU: if !sse41 { a.movzx(.i32, r, .i8, r) }
            case .i16x8ExtractLaneS: a.movsx(.i32, r, .i16, r)
            default: break
            }
            freeXMM(x)
            pushGPR(r)
        case .i32x4ExtractLane, .f32x4ExtractLane:
            // The lane moved to the low 32 bits; an i32 or f32 in an XMM register is its low bits.
            let x = popVectorRegister(&a)
            if lane != 0 { a.packed(.pshufd, x, x, lane8) }
            pushVal(.xmm(x))
        case .i64x2ExtractLane, .f64x2ExtractLane:
            let x = popVectorRegister(&a)
            if lane != 0 { a.packed(.pshufd, x, x, 0xEE) }
            pushVal(.xmm(x))
        case .i8x16ReplaceLane, .i16x8ReplaceLane, .i32x4ReplaceLane:
            let s = pop()
            let x = popVectorRegister(&a)
            let size: OperandSize = op == .i8x16ReplaceLane ? .i8 : op == .i16x8ReplaceLane ? .i16 : .i32
            let r = intoGPR(s, .i32, &a)
            if size == .i16 || sse41 {
                a.pinsr(size, x, r, lane8)
            } else {
                replaceLaneThroughMemory(x, r, size, lane, &a)
            }
            freeGPR(r)
            pushVector(x)
        case .i64x2ReplaceLane, .f64x2ReplaceLane:
            let s = pop()
            let x = popVectorRegister(&a)
            let y = intoXMM(s, f64: true, &a)
            if lane == 0 { a.movsd(x, y) } else { a.packed(.movlhps, x, y) }
            freeXMM(y)
            pushVector(x)
        case .f32x4ReplaceLane:
            let s = pop()
            let x = popVectorRegister(&a)
            let y = intoXMM(s, f64: false, &a)
            if lane == 0 {
                a.movss(x, y)
            } else if sse41 {
                a.packed(.insertps, x, y, lane8 << 4)
            } else {
                let scratch = vectorScratchSlot()
                a.movdqu(scratch, x)
                a.movss(Mem(scratch.base!, scratch.disp + Int32(4 * lane)), y)
                a.movdqu(x, scratch)
            }
            freeXMM(y)
            pushVector(x)
        }
        return true
    }

    // MARK: Shuffles

    mutating func fastShuffle(_ lanes: V128, _ a: inout X64Assembler) -> Bool {
        guard env.features.contains(.ssse3) else { return false }
        let indices = lanes.bytes
        let fromA = indices.map { $0 < 16 ? $0 : 0x80 }, fromB = indices.map { $0 >= 16 ? $0 - 16 : 0x80 }
        let y = popVectorRegister(&a), x = popVectorRegister(&a)
        let usesA = fromA.contains { $0 != 0x80 }, usesB = fromB.contains { $0 != 0x80 }
        if usesA { packed(.pshufb, x, constantSource(V128(bytes: fromA), &a), &a) }
        if usesB { packed(.pshufb, y, constantSource(V128(bytes: fromB), &a), &a) }
        if usesA && usesB {
            a.packed(.por, x, y)
            freeXMM(y)
            pushVector(x)
        } else if usesA {
            freeXMM(y)
            pushVector(x)
        } else {
            freeXMM(x)
            pushVector(y)
        }
        return true
    }

    // MARK: Widening and broadcasting

    /// The low or high half of the lanes of `x` (of `bits`), sign- or zero-extended to twice
    /// the width: `pmovsx`/`pmovzx` (SSE4.1) for the low half, else interleaving with the
    /// lanes themselves (shifted back arithmetically), their signs, or zero.
    mutating func extend(_ x: XMM, bits: Int, signed: Bool, high: Bool, _ a: inout X64Assembler) {
        if !high && env.features.contains(.sse41) {
            let widen: PackedOp = switch (bits, signed) {
            case (8, true): .pmovsxbw
            case (8, false): .pmovzxbw
            case (16, true): .pmovsxwd
            case (16, false): .pmovzxwd
            case (_, true): .pmovsxdq
            default: .pmovzxdq
            }
            a.packed(widen, x, x)
            return
        }
        let interleave: PackedOp = switch (bits, high) {
        case (8, false): .punpcklbw
        case (8, true): .punpckhbw
        case (16, false): .punpcklwd
        case (16, true): .punpckhwd
        case (_, false): .punpckldq
        default: .punpckhdq
        }
        if !signed {
            packed(interleave, x, constantSource(.zero, &a), &a)
        } else if bits < 32 {
            a.packed(interleave, x, x)
            a.packed(bits == 8 ? .psraw : .psrad, x, UInt8(bits))
        } else {
            let t = copyVector(x, &a)
            a.packed(.psrad, t, 31)
            a.packed(interleave, x, t)
            freeXMM(t)
        }
    }

    mutating func extendLowSigned(_ x: XMM, bits: Int, _ a: inout X64Assembler) { extend(x, bits: bits, signed: true, high: false, &a) }
    mutating func extendHighSigned(_ x: XMM, bits: Int, _ a: inout X64Assembler) { extend(x, bits: bits, signed: true, high: true, &a) }
    mutating func extendLowUnsigned(_ x: XMM, bits: Int, _ a: inout X64Assembler) { extend(x, bits: bits, signed: false, high: false, &a) }
    mutating func extendHighUnsigned(_ x: XMM, bits: Int, _ a: inout X64Assembler) { extend(x, bits: bits, signed: false, high: true, &a) }

    /// Every byte (or 16-bit lane) of `x` set to the low byte (16 bits) of `source`, through
    /// the GPR `r`: zero-extended, multiplied by 0x01010101 (0x00010001), then `pshufd`.
    mutating func broadcast(_ r: GPR, into x: XMM, byte: Bool, from source: Opnd, _ a: inout X64Assembler) {
        switch source {
        case .mem(let m): a.movzx(.i32, r, byte ? .i8 : .i16, m)
        default: a.movzx(.i32, r, byte ? .i8 : .i16, r)
        }
        a.imul(.i32, r, r, byte ? 0x0101_0101 : 0x0001_0001)
        a.movd(x, r)
        a.packed(.pshufd, x, x, 0)
    }

    // MARK: The slot-based form: a runtime call

    /// Runs a SIMD instruction through `Helpers.vectorOp` with its operands in their slots
    /// (everything was flushed): the form for instructions without a register sequence here,
    /// or whose sequence needs an extension this CPU lacks.
    mutating func emitVectorHelperCall(_ ins: Instruction, _ a: inout X64Assembler) {
        let signature: (operands: [ValueType], result: ValueType)
        let code: UInt32
        var helper = Helpers.vectorOp
        var shuffleLanes: V128? = nil
        switch ins {
        case .vector(let op):
            signature = op.signature
            code = UInt32(op.rawValue)
        case .vectorLane(let op, let lane):
            signature = op.signature
            code = 0x8000_0000 | UInt32(lane) << 16 | UInt32(op.rawValue)
        case .i8x16Shuffle(let lanes):
            signature = ([.v128, .v128], .v128)
            code = 0
            helper = Helpers.vectorShuffle
            shuffleLanes = lanes
        default:
            a.fail("\(Self.describe(ins)) has no slot-based form")
            return
        }
        var addresses = [Mem](repeating: slot(0), count: 3)
        var top = sp
        for i in signature.operands.indices.reversed() {
            addresses[i] = slot(top - 1)
            top -= RawValue.slotCount(signature.operands[i])
        }
        let base = top
        need(base + 2)
        let result = signature.result == .v128 ? slot(base + 1) : slot(base)
        if let shuffleLanes { addresses[2] = .rip(constantLabel(shuffleLanes, &a)) }
        a.mov(.i32, .rsi, Int64(code))
        a.lea(.i64, .rdx, addresses[0])
        a.lea(.i64, .rcx, addresses[1])
        a.lea(.i64, .r8, addresses[2])
        a.lea(.i64, .r9, result)
        helperCall(helper, &a, trapping: false)
        resetStack(to: base, pushing: [signature.result])
    }
}
