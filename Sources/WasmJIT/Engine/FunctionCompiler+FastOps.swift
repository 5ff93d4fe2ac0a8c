import WasmCore
import WasmRuntime

/// Memory accesses and numeric instructions on the register-resident value stack.
extension FunctionCompiler {
    // MARK: Memory

    /// The address operand for an access of `size` bytes at `m`, and the owned register it uses.
    /// A 32-bit memory 0 is addressed from its pinned base (r14), and any 32-bit memory relies
    /// on its guard region for bounds; another memory's base comes from the instance context.
    /// A 64-bit memory is checked explicitly. When the access's offset + size fit in the guard
    /// region after the memory's largest size (`Memory.guardSize64`), one compare does: an
    /// address at most the memory's size reaches at worst into the guard. Otherwise the access's
    /// end (address + offset + size, trapping on a carry) is compared with the size, and the
    /// access addresses back from it.
    mutating func addressOf(_ o: Opnd, _ m: MemArg, size: Int, _ a: inout X64Assembler) -> (Mem, GPR?) {
        let index = Int(m.memory)
        let is64 = env.memory64[index]
        if index == 0 && !is64 { return addressOf(o, m.offset, &a) }
        if is64 && m.offset <= UInt64(Memory.guardSize64 - size) {
            return guardedAddress64(o, m, &a)
        }
        let r = is64 ? intoGPR(o, .i64, &a) : intoClean32(o, &a)
        let definition = allocGPR(&a)
        memoryDefinition(index, into: definition, &a)
        guard is64 else {
            a.add(.i64, r, Mem(definition, VMOffsets.memoryBase))
            freeGPR(definition)
            if m.offset <= UInt64(Int32.max) { return (Mem(r, Int32(m.offset)), r) }
            let t = allocGPR(&a)
            a.mov(.i64, t, Int64(m.offset))
            a.add(.i64, r, t)
            freeGPR(t)
            return (Mem(r, 0), r)
        }
        let outOfBounds = trapLabel(&a, .outOfBoundsMemoryAccess)
        let (end, overflow) = m.offset.addingReportingOverflow(UInt64(size))
        if overflow {
            a.jmp(outOfBounds)
        } else if end <= UInt64(Int32.max) {
            a.add(.i64, r, Int32(end))
        } else {
            let t = allocGPR(&a)
            a.mov(.i64, t, Int64(bitPattern: end))
            a.add(.i64, r, t)
            freeGPR(t)
        }
        a.j(.carry, outOfBounds)
        a.cmp(.i64, r, Mem(definition, VMOffsets.memoryByteCount))
        a.j(.above, outOfBounds)
        if index == 0 {
            a.add(.i64, r, .r14)
        } else {
            a.add(.i64, r, Mem(definition, VMOffsets.memoryBase))
        }
        freeGPR(definition)
        return (Mem(r, -Int32(size)), r)
    }

    /// A 64-bit memory's access whose offset + size fit in its guard region: the address is
    /// compared with the memory's size (above it: the trap), the guard catches the rest.
    mutating func guardedAddress64(_ o: Opnd, _ m: MemArg, _ a: inout X64Assembler) -> (Mem, GPR?) {
        let index = Int(m.memory)
        let address: GPR, owned: GPR?
        if case .pin(let p) = o {
            (address, owned) = (p, nil)
        } else {
            address = intoGPR(o, .i64, &a)
            owned = address
        }
        let definition = allocGPR(&a)
        memoryDefinition(index, into: definition, &a)
        a.cmp(.i64, address, Mem(definition, VMOffsets.memoryByteCount))
        a.j(.above, trapLabel(&a, .outOfBoundsMemoryAccess))
        if index == 0 {
            freeGPR(definition)
            return (Mem(.r14, address, .x1, Int32(m.offset)), owned)
        }
        let base = owned ?? allocGPR(&a)
        if owned == nil { a.mov(.i64, base, address) }
        a.add(.i64, base, Mem(definition, VMOffsets.memoryBase))
        freeGPR(definition)
        return (Mem(base, Int32(m.offset)), base)
    }

    /// The address operand for an access at `offset` in a 32-bit memory 0, and the owned register it uses.
    mutating func addressOf(_ o: Opnd, _ offset: UInt64, _ a: inout X64Assembler) -> (Mem, GPR?) {
        if case .imm(let c) = o {
            let ea = UInt64(UInt32(truncatingIfNeeded: c)) + offset
            if ea <= UInt64(Int32.max) { return (Mem(.r14, Int32(ea)), nil) }
            let r = allocGPR(&a)
            a.mov(.i64, r, Int64(ea))
            return (Mem(.r14, r, .x1, 0), r)
        }
        if case .pin(let p) = o, offset <= UInt64(Int32.max) { return (Mem(.r14, p, .x1, Int32(offset)), nil) }
        let r = intoClean32(o, &a)
        if offset <= UInt64(Int32.max) { return (Mem(.r14, r, .x1, Int32(offset)), r) }
        let t = allocGPR(&a)
        a.mov(.i64, t, Int64(offset))
        a.add(.i64, r, t)
        freeGPR(t)
        return (Mem(.r14, r, .x1, 0), r)
    }

    mutating func fastLoad(_ op: LoadOp, _ m: MemArg, _ a: inout X64Assembler) {
        let o = pop()
        let (addr, ar) = addressOf(o, m, size: op.byteWidth, &a)
        switch op {
        case .f32Load, .f64Load:
            let x = allocXMM(&a)
            if op == .f64Load { a.movsd(x, addr) } else { a.movss(x, addr) }
            if let ar { freeGPR(ar) }
            pushVal(.xmm(x))
            return
        default: break
        }
        let r = ar ?? allocGPR(&a)
        switch op {
        case .i32Load, .i64Load32U: a.mov(.i32, r, addr)
        case .i64Load: a.mov(.i64, r, addr)
        case .i32Load8S: a.movsx(.i32, r, .i8, addr)
        case .i32Load8U, .i64Load8U: a.movzx(.i32, r, .i8, addr)
        case .i32Load16S: a.movsx(.i32, r, .i16, addr)
        case .i32Load16U, .i64Load16U: a.movzx(.i32, r, .i16, addr)
        case .i64Load8S: a.movsx(.i64, r, .i8, addr)
        case .i64Load16S: a.movsx(.i64, r, .i16, addr)
        case .i64Load32S: a.movsxd(r, addr)
        case .f32Load, .f64Load: break
        // Never here: `compileFast` leaves vector loads to the slot-based code.
        case .v128Load, .v128Load8x8S, .v128Load8x8U, .v128Load16x4S, .v128Load16x4U, .v128Load32x2S, .v128Load32x2U,
            .v128Load8Splat, .v128Load16Splat, .v128Load32Splat, .v128Load64Splat, .v128Load32Zero, .v128Load64Zero:
            break
        }
        pushGPR(r)
    }

    mutating func fastStore(_ op: StoreOp, _ m: MemArg, _ a: inout X64Assembler) {
        let v = pop()
        let o = pop()
        let (addr, ar) = addressOf(o, m, size: op.byteWidth, &a)
        let w = op.byteWidth
        let size: OperandSize = w == 1 ? .i8 : w == 2 ? .i16 : w == 4 ? .i32 : .i64
        switch v {
        case .imm(let c):
            if w < 8 {
                let t: Int32 = w == 1 ? Int32(Int8(truncatingIfNeeded: c)) : w == 2 ? Int32(Int16(truncatingIfNeeded: c))
                    : Int32(truncatingIfNeeded: c)
                a.mov(size, addr, t)
            } else if let c32 = Int32(exactly: c) {
                a.mov(.i64, addr, c32)
            } else {
                let t = allocGPR(&a)
                loadImm(t, c, .i64, &a)
                a.mov(.i64, addr, t)
                freeGPR(t)
            }
        case .reg(let r, _):
            a.mov(size, addr, r)
            freeGPR(r)
        case .pin(let r):
            a.mov(size, addr, r)
        case .xreg(let x) where w >= 4:
            if w == 8 { a.movsd(addr, x) } else { a.movss(addr, x) }
            freeXMM(x)
        default:
            let t = intoGPR(v, w == 8 ? .i64 : .i32, &a)
            a.mov(size, addr, t)
            freeGPR(t)
        }
        if let ar { freeGPR(ar) }
    }

    // MARK: Numeric

    mutating func fastNumeric(_ op: NumericOp, _ a: inout X64Assembler) -> Bool {
        switch op {
        case .i32Eqz, .i64Eqz:
            let s: OperandSize = op == .i32Eqz ? .i32 : .i64
            let o = pop()
            switch o {
            case .reg(let r, _): a.test(s, r, r); freeGPR(r)
            case .pin(let r): a.test(s, r, r)
            case .mem(let m): a.cmp(s, m, Int32(0))
            default:
                let r = intoGPR(o, s, &a)
                a.test(s, r, r)
                freeGPR(r)
            }
            finishCondition(.e, &a)
        case .i32Eq, .i32Ne, .i32LtS, .i32LtU, .i32GtS, .i32GtU, .i32LeS, .i32LeU, .i32GeS, .i32GeU:
            fastCompare(.i32, Self.integerCondition(op.comparison!), &a)
        case .i64Eq, .i64Ne, .i64LtS, .i64LtU, .i64GtS, .i64GtU, .i64LeS, .i64LeU, .i64GeS, .i64GeU:
            fastCompare(.i64, Self.integerCondition(op.comparison!), &a)
        case .i32Add: fastALU(.add, .i32, &a)
        case .i32Sub: fastALU(.sub, .i32, &a)
        case .i32And: fastALU(.and, .i32, &a)
        case .i32Or: fastALU(.or, .i32, &a)
        case .i32Xor: fastALU(.xor, .i32, &a)
        case .i64Add: fastALU(.add, .i64, &a)
        case .i64Sub: fastALU(.sub, .i64, &a)
        case .i64And: fastALU(.and, .i64, &a)
        case .i64Or: fastALU(.or, .i64, &a)
        case .i64Xor: fastALU(.xor, .i64, &a)
        case .i32Mul: fastMul(.i32, &a)
        case .i64Mul: fastMul(.i64, &a)
        case .i32Shl: fastShift(.shl, .i32, &a)
        case .i32ShrS: fastShift(.sar, .i32, &a)
        case .i32ShrU: fastShift(.shr, .i32, &a)
        case .i32Rotl: fastShift(.rol, .i32, &a)
        case .i32Rotr: fastShift(.ror, .i32, &a)
        case .i64Shl: fastShift(.shl, .i64, &a)
        case .i64ShrS: fastShift(.sar, .i64, &a)
        case .i64ShrU: fastShift(.shr, .i64, &a)
        case .i64Rotl: fastShift(.rol, .i64, &a)
        case .i64Rotr: fastShift(.ror, .i64, &a)
        case .i32Clz: fastBitCount(.clz, .i32, &a)
        case .i32Ctz: fastBitCount(.ctz, .i32, &a)
        case .i32Popcnt: fastBitCount(.popcnt, .i32, &a)
        case .i64Clz: fastBitCount(.clz, .i64, &a)
        case .i64Ctz: fastBitCount(.ctz, .i64, &a)
        case .i64Popcnt: fastBitCount(.popcnt, .i64, &a)
        case .i32Extend8S: fastUnary(.i32, &a) { $0.movsx(.i32, $1, .i8, $1) }
        case .i32Extend16S: fastUnary(.i32, &a) { $0.movsx(.i32, $1, .i16, $1) }
        case .i64Extend8S: fastUnary(.i64, &a) { $0.movsx(.i64, $1, .i8, $1) }
        case .i64Extend16S: fastUnary(.i64, &a) { $0.movsx(.i64, $1, .i16, $1) }
        case .i64Extend32S, .i64ExtendI32S:
            let o = pop()
            switch o {
            case .imm(let c): pushVal(.const(Int64(Int32(truncatingIfNeeded: c))))
            case .mem(let m):
                let r = allocGPR(&a)
                a.movsxd(r, m)
                pushGPR(r)
            default:
                let r = intoGPR(o, .i32, &a)
                a.movsxd(r, r)
                pushGPR(r)
            }
        case .i64ExtendI32U:
            let o = pop()
            if case .imm(let c) = o {
                pushVal(.const(Int64(UInt32(truncatingIfNeeded: c))))
            } else {
                pushGPR(intoClean32(o, &a))
            }
        case .i32WrapI64:
            let o = pop()
            switch o {
            case .imm(let c): pushVal(.const(Int64(Int32(truncatingIfNeeded: c))))
            case .reg(let r, _): pushGPR(r, dirty: true)
            default: pushGPR(intoGPR(o, .i32, &a))
            }
        case .i32ReinterpretF32, .i64ReinterpretF64, .f32ReinterpretI32, .f64ReinterpretI64:
            break  // raw bits; consumers move them to the register class they need
        case .i32DivS: return fastDivide(.i32, signed: true, rem: false, &a)
        case .i32DivU: return fastDivide(.i32, signed: false, rem: false, &a)
        case .i32RemS: return fastDivide(.i32, signed: true, rem: true, &a)
        case .i32RemU: return fastDivide(.i32, signed: false, rem: true, &a)
        case .i64DivS: return fastDivide(.i64, signed: true, rem: false, &a)
        case .i64DivU: return fastDivide(.i64, signed: false, rem: false, &a)
        case .i64RemS: return fastDivide(.i64, signed: true, rem: true, &a)
        case .i64RemU: return fastDivide(.i64, signed: false, rem: true, &a)
        default:
            return fastFloat(op, &a)
        }
        return true
    }

    static func isCommutative(_ op: ALUOp) -> Bool { op == .add || op == .and || op == .or || op == .xor }

    static func fold(_ op: ALUOp, _ s: OperandSize, _ x: Int64, _ y: Int64) -> Int64? {
        let r: Int64
        switch op {
        case .add: r = x &+ y
        case .sub: r = x &- y
        case .and: r = x & y
        case .or: r = x | y
        case .xor: r = x ^ y
        default: return nil
        }
        return s == .i32 ? Int64(Int32(truncatingIfNeeded: r)) : r
    }

    mutating func fastALU(_ op: ALUOp, _ s: OperandSize, _ a: inout X64Assembler) {
        var b = pop(), v = pop()
        if case .imm(let x) = v, case .imm(let y) = b, let f = Self.fold(op, s, x, y) {
            pushVal(.const(f))
            return
        }
        if Self.isCommutative(op) {
            var swap = false
            if case .imm = v { swap = true }
            if case .mem = v, case .reg = b { swap = true }
            if swap { (v, b) = (b, v) }
        }
        if fuseIntoPinnedLocal(op, s, &v, &b, &a) { return }
        let r = intoGPR(v, s, &a)
        aluOperand(op, s, r, b, &a)
        pushGPR(r)
    }

    /// `local.get $x; …; op; local.set $x` (or `local.tee`) with $x pinned: `op` on its
    /// register in place (`add r12d, 16` instead of `mov eax, r12d; add eax, 16; mov r12d,
    /// eax`), the `local.set` fused. Deferred reads of $x below are loaded first.
    mutating func fuseIntoPinnedLocal(_ op: ALUOp, _ s: OperandSize, _ v: inout Opnd, _ b: inout Opnd,
                                      _ a: inout X64Assembler) -> Bool {
        let next = currentInstruction + 1
        guard next < code.instructions.count else { return false }
        let target: Int, tee: Bool
        switch code.instructions[next] {
        case .localSet(let i): (target, tee) = (Int(i), false)
        case .localTee(let i): (target, tee) = (Int(i), true)
        default: return false
        }
        guard let p = pinOf[target], localIs64[target] == (s == .i64) else { return false }
        if case .pin(let q) = b, q == p, Self.isCommutative(op) { (v, b) = (b, v) }
        guard case .pin(let q) = v, q == p else { return false }
        fuseNext(&a)
        materializeLocal(target, &a)
        aluOperand(op, s, p, b, &a)
        if tee { pushVal(.local(target)) }
        return true
    }

    mutating func fastMul(_ s: OperandSize, _ a: inout X64Assembler) {
        var b = pop(), v = pop()
        if case .imm = v { (v, b) = (b, v) }
        if case .mem = v, case .reg = b { (v, b) = (b, v) }
        var k: Int32? = nil
        if case .imm(let c) = b { k = s == .i32 ? Int32(truncatingIfNeeded: c) : Int32(exactly: c) }
        if let c32 = k {
            let r: GPR
            switch v {
            case .mem(let m):
                r = allocGPR(&a)
                a.imul(s, r, m, c32)
            default:
                r = intoGPR(v, s, &a)
                a.imul(s, r, r, c32)
            }
            pushGPR(r)
            return
        }
        let r = intoGPR(v, s, &a)
        switch b {
        case .reg(let t, _):
            a.imul(s, r, t)
            freeGPR(t)
        case .pin(let t): a.imul(s, r, t)
        case .mem(let m): a.imul(s, r, m)
        default:
            let t = intoGPR(b, s, &a)
            a.imul(s, r, t)
            freeGPR(t)
        }
        pushGPR(r)
    }

    mutating func fastShift(_ op: ShiftOp, _ s: OperandSize, _ a: inout X64Assembler) {
        let b = pop()
        var v = pop()
        if case .imm(let c) = b {
            let r = intoGPR(v, s, &a)
            a.shift(op, s, r, .imm(UInt8(truncatingIfNeeded: c) & (s == .i32 ? 31 : 63)))
            pushGPR(r)
            return
        }
        if case .reg(.rcx, let d) = v {
            let n = allocGPR(&a)
            a.mov(.i64, n, .rcx)
            freeGPR(.rcx)
            v = .reg(n, d)
        }
        if case .reg(.rcx, _) = b {
        } else {
            reserve(.rcx, &a)
            switch b {
            case .reg(let t, _): a.mov(.i32, .rcx, t)
            case .mem(let m): a.mov(.i32, .rcx, m)
            case .xreg(let x): a.movd(.i32, .rcx, x)
            case .pin(let p): a.mov(.i32, .rcx, p)
            case .imm: break
            }
            release(b)
        }
        let r = intoGPR(v, s, &a)
        a.shift(op, s, r, .cl)
        freeGPR(.rcx)
        pushGPR(r)
    }

    enum BitCount { case clz, ctz, popcnt }

    /// clz/ctz/popcnt: `lzcnt`/`tzcnt`/`popcnt` where the CPU has them (`env.features`),
    /// else `bsr`/`bsf` with a fix-up for zero, or a bit-counting sequence.
    mutating func fastBitCount(_ kind: BitCount, _ s: OperandSize, _ a: inout X64Assembler) {
        let width: Int64 = s == .i64 ? 64 : 32
        let features = env.features
        switch kind {
        case .clz where features.contains(.lzcnt): fastUnary(s, &a) { $0.lzcnt(s, $1, $1) }
        case .ctz where features.contains(.bmi1): fastUnary(s, &a) { $0.tzcnt(s, $1, $1) }
        case .popcnt where features.contains(.popcnt): fastUnary(s, &a) { $0.popcnt(s, $1, $1) }
        case .clz:
            // bsr gives the highest set bit's index i (ZF when the source is 0); clz is
            // (w-1) ^ i, and 0 must give w = (2w-1) ^ (w-1).
            let r = intoGPR(pop(), s, &a)
            let t = allocGPR(&a)
            a.bsr(s, r, r)
            a.mov(.i32, t, 2 * width - 1)
            a.cmov(.e, s, r, t)
            a.xor(s, r, Int32(width - 1))
            freeGPR(t)
            pushGPR(r)
        case .ctz:
            let r = intoGPR(pop(), s, &a)
            let t = allocGPR(&a)
            a.bsf(s, r, r)
            a.mov(.i32, t, width)
            a.cmov(.e, s, r, t)
            freeGPR(t)
            pushGPR(r)
        case .popcnt:
            // SWAR: bit pairs, nibbles, bytes, then the byte sum by a multiply.
            let r = intoGPR(pop(), s, &a)
            let t = allocGPR(&a), m = allocGPR(&a)
            func mask(_ pattern: UInt64) { if s == .i64 { a.movabs(m, pattern) } else { a.mov(.i32, m, Int64(pattern & 0xFFFF_FFFF)) } }
            a.mov(s, t, r)
            a.shr(s, t, .imm(1))
            mask(0x5555_5555_5555_5555)
            a.and(s, t, m)
            a.sub(s, r, t)
            mask(0x3333_3333_3333_3333)
            a.mov(s, t, r)
            a.and(s, t, m)
            a.shr(s, r, .imm(2))
            a.and(s, r, m)
            a.add(s, r, t)
            a.mov(s, t, r)
            a.shr(s, t, .imm(4))
            a.add(s, r, t)
            mask(0x0F0F_0F0F_0F0F_0F0F)
            a.and(s, r, m)
            mask(0x0101_0101_0101_0101)
            a.imul(s, r, m)
            a.shr(s, r, .imm(UInt8(width - 8)))
            freeGPR(m)
            freeGPR(t)
            pushGPR(r)
        }
    }

    mutating func fastUnary(_ s: OperandSize, _ a: inout X64Assembler, _ body: (inout X64Assembler, GPR) -> Void) {
        let r = intoGPR(pop(), s, &a)
        body(&a, r)
        pushGPR(r)
    }

    mutating func fastCompare(_ s: OperandSize, _ cc: Condition, _ a: inout X64Assembler) {
        let b = pop(), v = pop()
        var c32: Int32? = nil
        if case .imm(let c) = b { c32 = s == .i32 ? Int32(truncatingIfNeeded: c) : Int32(exactly: c) }
        if case .mem(let m) = v {
            if let c32 {
                a.cmp(s, m, c32)
                finishCondition(cc, &a)
                return
            }
            if case .reg(let t, _) = b {
                a.cmp(s, m, t)
                freeGPR(t)
                finishCondition(cc, &a)
                return
            }
        }
        var r: GPR
        var owned = true
        if case .pin(let p) = v { r = p; owned = false } else { r = intoGPR(v, s, &a) }
        if let c32 {
            a.cmp(s, r, c32)
        } else {
            switch b {
            case .reg(let t, _):
                a.cmp(s, r, t)
                freeGPR(t)
            case .mem(let m): a.cmp(s, r, m)
            case .pin(let t): a.cmp(s, r, t)
            default:
                let t = intoGPR(b, s, &a)
                a.cmp(s, r, t)
                freeGPR(t)
            }
        }
        if owned { freeGPR(r) }
        finishCondition(cc, &a)
    }
}

// MARK: Division, br_table
extension FunctionCompiler {
    /// Integer division on registers; checks elided for constant divisors that make
    /// them impossible; unsigned powers of two become shifts/masks.
    mutating func fastDivide(_ s: OperandSize, signed: Bool, rem: Bool, _ a: inout X64Assembler) -> Bool {
        var k: Int64? = nil
        if case .const(let c) = vals[vals.count - 1] {
            k = s == .i32 ? (signed ? Int64(Int32(truncatingIfNeeded: c)) : Int64(UInt32(truncatingIfNeeded: c))) : c
        }
        if k == 0 { return false }  // always traps: the slot-based code
        if let k, !signed, k > 0, k & (k - 1) == 0, k - 1 <= Int64(Int32.max) {
            _ = pop()
            let r = intoGPR(pop(), s, &a)
            if rem { a.and(s, r, Int32(k - 1)) } else { a.shr(s, r, .imm(UInt8(k.trailingZeroBitCount))) }
            pushGPR(r)
            return true
        }
        reserve(.rax, &a)
        reserve(.rdx, &a)
        let b = pop(), v = pop()
        let t = intoGPR(b, s, &a)
        switch v {
        case .reg(let q, _):
            a.mov(.i64, .rax, q)
            freeGPR(q)
        case .mem(let m): a.mov(s, .rax, m)
        case .imm(let c): loadImm(.rax, c, s, &a)
        case .xreg(let x):
            a.movd(s, .rax, x)
            freeXMM(x)
        case .pin(let p): a.mov(s, .rax, p)
        }
        if k == nil {
            a.test(s, t, t)
            a.j(.e, trapLabel(&a, .integerDivideByZero))
        }
        if signed {
            let done = a.newLabel()
            if k == nil || k == -1 {
                let normal = a.newLabel()
                a.cmp(s, t, Int32(-1))
                a.j(.ne, normal)
                if rem {
                    a.xor(.i32, .rdx, .rdx)
                } else {
                    a.neg(s, .rax)
                    a.j(.o, trapLabel(&a, .integerOverflow))
                }
                a.jmp(done)
                a.bind(normal)
            }
            a.signExtendAccumulator(s)
            a.idiv(s, t)
            a.bind(done)
        } else {
            a.xor(.i32, .rdx, .rdx)
            a.div(s, t)
        }
        freeGPR(t)
        if rem {
            freeGPR(.rax)
            pushGPR(.rdx)
        } else {
            freeGPR(.rdx)
            pushGPR(.rax)
        }
        return true
    }

    /// br_table through a RIP-relative jump table; targets that need no value moves
    /// are entered directly, the others through one landing pad per depth.
    mutating func fastBrTable(_ t: BrTable, _ a: inout X64Assembler) {
        let r = intoClean32(pop(), &a)
        flushAll(&a)
        let base = allocGPR(&a)
        let table = a.newLabel("table")
        var pads: [UInt32: Label] = [:]
        var padOrder: [UInt32] = []
        func target(_ d: UInt32, _ fc: FunctionCompiler, _ a: inout X64Assembler) -> Label {
            let c = fc.controls[fc.controls.count - 1 - Int(d)]
            if fc.sp - c.branchArity == c.height || c.branchArity == 0 { return c.label }
            if let l = pads[d] { return l }
            let l = a.newLabel("pad")
            pads[d] = l
            padOrder.append(d)
            return l
        }
        let dflt = target(t.defaultTarget, self, &a)
        a.cmp(.i32, r, Int32(bitPattern: UInt32(t.targets.count)))
        a.j(.ae, dflt)
        a.lea(.i64, base, .rip(table))
        a.movsxd(r, Mem(base, r, .x4, 0))
        a.add(.i64, r, base)
        a.jmp(r)
        freeGPR(base)
        freeGPR(r)
        a.align(4, fill: .int3)
        a.bind(table)
        for d in t.targets { a.emitLabelDelta32(target(d, self, &a), from: table) }
        for d in padOrder {
            a.bind(pads[d]!)
            branch(d, &a)
        }
    }
}
