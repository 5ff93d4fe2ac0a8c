import WasmCore
import WasmRuntime

/// Memory accesses and numeric instructions on the register-resident value stack.
extension FunctionCompiler {
    // MARK: Memory

    /// The address operand for an access at `offset`, and the owned register it uses.
    mutating func addressOf(_ o: Opnd, _ offset: UInt64, _ a: inout X64Assembler) -> (Mem, GPR?) {
        if case .imm(let c) = o {
            let ea = UInt64(UInt32(truncatingIfNeeded: c)) + offset
            if ea <= UInt64(Int32.max) { return (Mem(.r14, Int32(ea)), nil) }
            let r = allocGPR(&a)
            a.mov(.i64, r, Int64(ea))
            return (Mem(.r14, r, .x1, 0), r)
        }
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
        let (addr, ar) = addressOf(o, m.offset, &a)
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
        }
        pushGPR(r)
    }

    mutating func fastStore(_ op: StoreOp, _ m: MemArg, _ a: inout X64Assembler) {
        let v = pop()
        let o = pop()
        let (addr, ar) = addressOf(o, m.offset, &a)
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
            case .mem(let m): a.cmp(s, m, Int32(0))
            default:
                let r = intoGPR(o, s, &a)
                a.test(s, r, r)
                freeGPR(r)
            }
            finishCondition(.e, &a)
        case .i32Eq, .i32Ne, .i32LtS, .i32LtU, .i32GtS, .i32GtU, .i32LeS, .i32LeU, .i32GeS, .i32GeU:
            fastCompare(.i32, Self.conditions[Int(op.rawValue - NumericOp.i32Eq.rawValue)], &a)
        case .i64Eq, .i64Ne, .i64LtS, .i64LtU, .i64GtS, .i64GtU, .i64LeS, .i64LeU, .i64GeS, .i64GeU:
            fastCompare(.i64, Self.conditions[Int(op.rawValue - NumericOp.i64Eq.rawValue)], &a)
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
        case .i32Clz: fastUnary(.i32, &a) { $0.lzcnt(.i32, $1, $1) }
        case .i32Ctz: fastUnary(.i32, &a) { $0.tzcnt(.i32, $1, $1) }
        case .i32Popcnt: fastUnary(.i32, &a) { $0.popcnt(.i32, $1, $1) }
        case .i64Clz: fastUnary(.i64, &a) { $0.lzcnt(.i64, $1, $1) }
        case .i64Ctz: fastUnary(.i64, &a) { $0.tzcnt(.i64, $1, $1) }
        case .i64Popcnt: fastUnary(.i64, &a) { $0.popcnt(.i64, $1, $1) }
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
        default:
            return false
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
        let r = intoGPR(v, s, &a)
        aluOperand(op, s, r, b, &a)
        pushGPR(r)
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
            case .imm: break
            }
            release(b)
        }
        let r = intoGPR(v, s, &a)
        a.shift(op, s, r, .cl)
        freeGPR(.rcx)
        pushGPR(r)
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
        let r = intoGPR(v, s, &a)
        if let c32 {
            a.cmp(s, r, c32)
        } else {
            switch b {
            case .reg(let t, _):
                a.cmp(s, r, t)
                freeGPR(t)
            case .mem(let m): a.cmp(s, r, m)
            default:
                let t = intoGPR(b, s, &a)
                a.cmp(s, r, t)
                freeGPR(t)
            }
        }
        freeGPR(r)
        finishCondition(cc, &a)
    }
}
