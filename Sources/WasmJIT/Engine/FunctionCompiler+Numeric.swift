import WasmCore
import WasmRuntime

/// Numeric instructions. Slots hold raw bits; i32/f32 values are always read
/// with 32-bit loads, so their upper halves never matter (wrap and
/// reinterpret are free).
extension FunctionCompiler {
    mutating func emitNumeric(_ op: NumericOp, _ a: inout X64Assembler) {
        switch op {
        // i32 / i64 comparisons
        case .i32Eqz, .i64Eqz:
            let s: OperandSize = op == .i32Eqz ? .i32 : .i64
            a.xor(.i32, .rax, .rax)
            a.cmp(s, top, Int32(0))
            a.setcc(.e, .rax)
            a.mov(.i64, top, .rax)
        case .i32Eq, .i32Ne, .i32LtS, .i32LtU, .i32GtS, .i32GtU, .i32LeS, .i32LeU, .i32GeS, .i32GeU:
            compare(.i32, Int(op.rawValue - NumericOp.i32Eq.rawValue), &a)
        case .i64Eq, .i64Ne, .i64LtS, .i64LtU, .i64GtS, .i64GtU, .i64LeS, .i64LeU, .i64GeS, .i64GeU:
            compare(.i64, Int(op.rawValue - NumericOp.i64Eq.rawValue), &a)
        // float comparisons
        case .f32Eq, .f32Ne, .f32Lt, .f32Gt, .f32Le, .f32Ge:
            fcompare(false, Int(op.rawValue - NumericOp.f32Eq.rawValue), &a)
        case .f64Eq, .f64Ne, .f64Lt, .f64Gt, .f64Le, .f64Ge:
            fcompare(true, Int(op.rawValue - NumericOp.f64Eq.rawValue), &a)
        // integer unary
        case .i32Clz: unaryInt(.i32, &a) { $0.lzcnt(.i32, .rax, .rax) }
        case .i32Ctz: unaryInt(.i32, &a) { $0.tzcnt(.i32, .rax, .rax) }
        case .i32Popcnt: unaryInt(.i32, &a) { $0.popcnt(.i32, .rax, .rax) }
        case .i64Clz: unaryInt(.i64, &a) { $0.lzcnt(.i64, .rax, .rax) }
        case .i64Ctz: unaryInt(.i64, &a) { $0.tzcnt(.i64, .rax, .rax) }
        case .i64Popcnt: unaryInt(.i64, &a) { $0.popcnt(.i64, .rax, .rax) }
        case .i32Extend8S: unaryInt(.i32, &a) { $0.movsx(.i32, .rax, .i8, .rax) }
        case .i32Extend16S: unaryInt(.i32, &a) { $0.movsx(.i32, .rax, .i16, .rax) }
        case .i64Extend8S: unaryInt(.i64, &a) { $0.movsx(.i64, .rax, .i8, .rax) }
        case .i64Extend16S: unaryInt(.i64, &a) { $0.movsx(.i64, .rax, .i16, .rax) }
        case .i64Extend32S, .i64ExtendI32S:
            a.movsxd(.rax, top)
            a.mov(.i64, top, .rax)
        case .i64ExtendI32U:
            a.mov(.i32, .rax, top)
            a.mov(.i64, top, .rax)
        case .i32WrapI64, .i32ReinterpretF32, .i64ReinterpretF64, .f32ReinterpretI32, .f64ReinterpretI64:
            break
        // integer binary
        case .i32Add: alu(.add, .i32, &a)
        case .i32Sub: alu(.sub, .i32, &a)
        case .i32And: alu(.and, .i32, &a)
        case .i32Or: alu(.or, .i32, &a)
        case .i32Xor: alu(.xor, .i32, &a)
        case .i64Add: alu(.add, .i64, &a)
        case .i64Sub: alu(.sub, .i64, &a)
        case .i64And: alu(.and, .i64, &a)
        case .i64Or: alu(.or, .i64, &a)
        case .i64Xor: alu(.xor, .i64, &a)
        case .i32Mul, .i64Mul:
            let s: OperandSize = op == .i32Mul ? .i32 : .i64
            a.mov(s, .rax, slot(sp - 2))
            a.imul(s, .rax, top)
            sp -= 1
            a.mov(.i64, top, .rax)
        case .i32Shl: shift(.shl, .i32, &a)
        case .i32ShrS: shift(.sar, .i32, &a)
        case .i32ShrU: shift(.shr, .i32, &a)
        case .i32Rotl: shift(.rol, .i32, &a)
        case .i32Rotr: shift(.ror, .i32, &a)
        case .i64Shl: shift(.shl, .i64, &a)
        case .i64ShrS: shift(.sar, .i64, &a)
        case .i64ShrU: shift(.shr, .i64, &a)
        case .i64Rotl: shift(.rol, .i64, &a)
        case .i64Rotr: shift(.ror, .i64, &a)
        case .i32DivS: divide(.i32, signed: true, rem: false, &a)
        case .i32DivU: divide(.i32, signed: false, rem: false, &a)
        case .i32RemS: divide(.i32, signed: true, rem: true, &a)
        case .i32RemU: divide(.i32, signed: false, rem: true, &a)
        case .i64DivS: divide(.i64, signed: true, rem: false, &a)
        case .i64DivU: divide(.i64, signed: false, rem: false, &a)
        case .i64RemS: divide(.i64, signed: true, rem: true, &a)
        case .i64RemU: divide(.i64, signed: false, rem: true, &a)
        // float unary (bit ops)
        case .f32Abs:
            a.mov(.i32, .rax, top)
            a.and(.i32, .rax, Int32(0x7FFF_FFFF))
            a.mov(.i64, top, .rax)
        case .f32Neg:
            a.mov(.i32, .rax, top)
            a.xor(.i32, .rax, Int32(bitPattern: 0x8000_0000))
            a.mov(.i64, top, .rax)
        case .f64Abs:
            a.movabs(.rcx, 0x7FFF_FFFF_FFFF_FFFF)
            a.and(.i64, .rcx, top)
            a.mov(.i64, top, .rcx)
        case .f64Neg:
            a.movabs(.rcx, 0x8000_0000_0000_0000)
            a.xor(.i64, .rcx, top)
            a.mov(.i64, top, .rcx)
        case .f32Copysign:
            a.mov(.i32, .rax, slot(sp - 2))
            a.and(.i32, .rax, Int32(0x7FFF_FFFF))
            a.mov(.i32, .rcx, top)
            a.and(.i32, .rcx, Int32(bitPattern: 0x8000_0000))
            a.or(.i32, .rax, .rcx)
            sp -= 1
            a.mov(.i64, top, .rax)
        case .f64Copysign:
            a.movabs(.rdx, 0x7FFF_FFFF_FFFF_FFFF)
            a.mov(.i64, .rax, slot(sp - 2))
            a.and(.i64, .rax, .rdx)
            a.not(.i64, .rdx)
            a.and(.i64, .rdx, top)
            a.or(.i64, .rax, .rdx)
            sp -= 1
            a.mov(.i64, top, .rax)
        case .f32Ceil: fround(false, .up, &a)
        case .f32Floor: fround(false, .down, &a)
        case .f32Trunc: fround(false, .towardZero, &a)
        case .f32Nearest: fround(false, .nearest, &a)
        case .f64Ceil: fround(true, .up, &a)
        case .f64Floor: fround(true, .down, &a)
        case .f64Trunc: fround(true, .towardZero, &a)
        case .f64Nearest: fround(true, .nearest, &a)
        case .f32Sqrt:
            a.sqrtss(.xmm0, top)
            a.movss(top, .xmm0)
        case .f64Sqrt:
            a.sqrtsd(.xmm0, top)
            a.movsd(top, .xmm0)
        // float binary
        case .f32Add: fbin(.addss, false, &a)
        case .f32Sub: fbin(.subss, false, &a)
        case .f32Mul: fbin(.mulss, false, &a)
        case .f32Div: fbin(.divss, false, &a)
        case .f64Add: fbin(.addsd, true, &a)
        case .f64Sub: fbin(.subsd, true, &a)
        case .f64Mul: fbin(.mulsd, true, &a)
        case .f64Div: fbin(.divsd, true, &a)
        case .f32Min: fminmax(false, min: true, &a)
        case .f32Max: fminmax(false, min: false, &a)
        case .f64Min: fminmax(true, min: true, &a)
        case .f64Max: fminmax(true, min: false, &a)
        // conversions
        case .f32DemoteF64:
            a.movsd(.xmm0, top)
            a.cvtsd2ss(.xmm0, .xmm0)
            a.movss(top, .xmm0)
        case .f64PromoteF32:
            a.movss(.xmm0, top)
            a.cvtss2sd(.xmm0, .xmm0)
            a.movsd(top, .xmm0)
        case .f32ConvertI32S: convertInt(f64: false, .i32, signed: true, &a)
        case .f32ConvertI32U: convertInt(f64: false, .i32, signed: false, &a)
        case .f32ConvertI64S: convertInt(f64: false, .i64, signed: true, &a)
        case .f32ConvertI64U: convertInt(f64: false, .i64, signed: false, &a)
        case .f64ConvertI32S: convertInt(f64: true, .i32, signed: true, &a)
        case .f64ConvertI32U: convertInt(f64: true, .i32, signed: false, &a)
        case .f64ConvertI64S: convertInt(f64: true, .i64, signed: true, &a)
        case .f64ConvertI64U: convertInt(f64: true, .i64, signed: false, &a)
        case .i32TruncF32S: truncate(f64: false, .i32, signed: true, sat: false, &a)
        case .i32TruncF32U: truncate(f64: false, .i32, signed: false, sat: false, &a)
        case .i32TruncF64S: truncate(f64: true, .i32, signed: true, sat: false, &a)
        case .i32TruncF64U: truncate(f64: true, .i32, signed: false, sat: false, &a)
        case .i64TruncF32S: truncate(f64: false, .i64, signed: true, sat: false, &a)
        case .i64TruncF32U: truncate(f64: false, .i64, signed: false, sat: false, &a)
        case .i64TruncF64S: truncate(f64: true, .i64, signed: true, sat: false, &a)
        case .i64TruncF64U: truncate(f64: true, .i64, signed: false, sat: false, &a)
        case .i32TruncSatF32S: truncate(f64: false, .i32, signed: true, sat: true, &a)
        case .i32TruncSatF32U: truncate(f64: false, .i32, signed: false, sat: true, &a)
        case .i32TruncSatF64S: truncate(f64: true, .i32, signed: true, sat: true, &a)
        case .i32TruncSatF64U: truncate(f64: true, .i32, signed: false, sat: true, &a)
        case .i64TruncSatF32S: truncate(f64: false, .i64, signed: true, sat: true, &a)
        case .i64TruncSatF32U: truncate(f64: false, .i64, signed: false, sat: true, &a)
        case .i64TruncSatF64S: truncate(f64: true, .i64, signed: true, sat: true, &a)
        case .i64TruncSatF64U: truncate(f64: true, .i64, signed: false, sat: true, &a)
        }
    }

    // MARK: Integer helpers

    static let conditions: [Condition] = [.e, .ne, .l, .b, .g, .a, .le, .be, .ge, .ae]

    mutating func compare(_ s: OperandSize, _ k: Int, _ a: inout X64Assembler) {
        a.mov(s, .rcx, slot(sp - 2))
        a.xor(.i32, .rax, .rax)
        a.cmp(s, .rcx, top)
        a.setcc(Self.conditions[k], .rax)
        sp -= 1
        a.mov(.i64, top, .rax)
    }

    mutating func unaryInt(_ s: OperandSize, _ a: inout X64Assembler, _ body: (inout X64Assembler) -> Void) {
        a.mov(s, .rax, top)
        body(&a)
        a.mov(.i64, top, .rax)
    }

    mutating func alu(_ op: ALUOp, _ s: OperandSize, _ a: inout X64Assembler) {
        a.mov(s, .rax, slot(sp - 2))
        a.alu(op, s, .rax, top)
        sp -= 1
        a.mov(.i64, top, .rax)
    }

    mutating func shift(_ op: ShiftOp, _ s: OperandSize, _ a: inout X64Assembler) {
        a.mov(.i32, .rcx, top)
        sp -= 1
        a.mov(s, .rax, top)
        a.shift(op, s, .rax, .cl)
        a.mov(.i64, top, .rax)
    }

    mutating func divide(_ s: OperandSize, signed: Bool, rem: Bool, _ a: inout X64Assembler) {
        a.mov(s, .rcx, top)
        sp -= 1
        a.mov(s, .rax, top)
        a.test(s, .rcx, .rcx)
        a.j(.e, trapLabel(&a, .integerDivideByZero))
        if signed {
            let normal = a.newLabel(), done = a.newLabel()
            a.cmp(s, .rcx, Int32(-1))
            a.j(.ne, normal)
            if rem {
                a.xor(.i32, .rdx, .rdx)
                a.jmp(done)
            } else {
                // INT_MIN / -1 overflows; anything else / -1 is a negation.
                a.neg(s, .rax)
                a.j(.o, trapLabel(&a, .integerOverflow))
                a.mov(s, .rdx, .rax)
                a.jmp(done)
            }
            a.bind(normal)
            a.signExtendAccumulator(s)
            a.idiv(s, .rcx)
            if !rem { a.mov(s, .rdx, .rax) }
            a.bind(done)
        } else {
            a.xor(.i32, .rdx, .rdx)
            a.div(s, .rcx)
            if !rem { a.mov(s, .rdx, .rax) }
        }
        a.mov(.i64, top, .rdx)
    }

    // MARK: Float helpers

    mutating func loadF(_ f64: Bool, _ x: XMM, _ m: Mem, _ a: inout X64Assembler) {
        if f64 { a.movsd(x, m) } else { a.movss(x, m) }
    }

    mutating func storeF(_ f64: Bool, _ m: Mem, _ x: XMM, _ a: inout X64Assembler) {
        if f64 { a.movsd(m, x) } else { a.movss(m, x) }
    }

    mutating func fbin(_ op: SSEOp, _ f64: Bool, _ a: inout X64Assembler) {
        loadF(f64, .xmm0, slot(sp - 2), &a)
        a.sse(op, .xmm0, top)
        sp -= 1
        storeF(f64, top, .xmm0, &a)
    }

    mutating func fround(_ f64: Bool, _ mode: RoundingMode, _ a: inout X64Assembler) {
        if f64 { a.roundsd(.xmm0, top, mode) } else { a.roundss(.xmm0, top, mode) }
        storeF(f64, top, .xmm0, &a)
    }

    mutating func ucomi(_ f64: Bool, _ x: XMM, _ y: XMM, _ a: inout X64Assembler) {
        if f64 { a.ucomisd(x, y) } else { a.ucomiss(x, y) }
    }

    /// eq, ne, lt, gt, le, ge with wasm's unordered semantics.
    mutating func fcompare(_ f64: Bool, _ k: Int, _ a: inout X64Assembler) {
        loadF(f64, .xmm0, slot(sp - 2), &a)
        loadF(f64, .xmm1, top, &a)
        sp -= 1
        a.xor(.i32, .rax, .rax)
        switch k {
        case 0:
            ucomi(f64, .xmm0, .xmm1, &a)
            a.mov(.i32, .rcx, Int64(0))
            a.setcc(.e, .rax)
            a.setcc(.np, .rcx)
            a.and(.i32, .rax, .rcx)
        case 1:
            ucomi(f64, .xmm0, .xmm1, &a)
            a.mov(.i32, .rcx, Int64(0))
            a.setcc(.ne, .rax)
            a.setcc(.p, .rcx)
            a.or(.i32, .rax, .rcx)
        case 2:  // a < b  <=>  b > a
            ucomi(f64, .xmm1, .xmm0, &a)
            a.setcc(.a, .rax)
        case 3:
            ucomi(f64, .xmm0, .xmm1, &a)
            a.setcc(.a, .rax)
        case 4:
            ucomi(f64, .xmm1, .xmm0, &a)
            a.setcc(.ae, .rax)
        default:
            ucomi(f64, .xmm0, .xmm1, &a)
            a.setcc(.ae, .rax)
        }
        a.mov(.i64, top, .rax)
    }

    mutating func fminmax(_ f64: Bool, min: Bool, _ a: inout X64Assembler) {
        let nan = a.newLabel(), equal = a.newLabel(), done = a.newLabel()
        loadF(f64, .xmm0, slot(sp - 2), &a)
        loadF(f64, .xmm1, top, &a)
        sp -= 1
        ucomi(f64, .xmm0, .xmm1, &a)
        a.j(.p, nan)
        a.j(.e, equal)
        if f64 {
            if min { a.minsd(.xmm0, .xmm1) } else { a.maxsd(.xmm0, .xmm1) }
        } else {
            if min { a.minss(.xmm0, .xmm1) } else { a.maxss(.xmm0, .xmm1) }
        }
        a.jmp(done)
        a.bind(equal)  // equal values, maybe zeros of different sign
        if min { a.orps(.xmm0, .xmm1) } else { a.andps(.xmm0, .xmm1) }
        a.jmp(done)
        a.bind(nan)
        if f64 { a.addsd(.xmm0, .xmm1) } else { a.addss(.xmm0, .xmm1) }
        a.bind(done)
        storeF(f64, top, .xmm0, &a)
    }

    mutating func loadConstF(_ f64: Bool, _ x: XMM, _ v: Double, _ a: inout X64Assembler) {
        if f64 {
            a.movabs(.rdx, v.bitPattern)
            a.movq(x, .rdx)
        } else {
            a.mov(.i32, .rdx, Int64(Float(v).bitPattern))
            a.movd(x, .rdx)
        }
    }

    mutating func convertInt(f64: Bool, _ s: OperandSize, signed: Bool, _ a: inout X64Assembler) {
        func cvt(_ a: inout X64Assembler, _ size: OperandSize, _ r: GPR) {
            if f64 { a.cvtsi2sd(.xmm0, size, r) } else { a.cvtsi2ss(.xmm0, size, r) }
        }
        a.xorps(.xmm0, .xmm0)
        if s == .i32 {
            if signed {
                a.mov(.i32, .rax, top)
                cvt(&a, .i32, .rax)
            } else {
                a.mov(.i32, .rax, top)
                cvt(&a, .i64, .rax)
            }
        } else if signed {
            a.mov(.i64, .rax, top)
            cvt(&a, .i64, .rax)
        } else {
            let big = a.newLabel(), done = a.newLabel()
            a.mov(.i64, .rax, top)
            a.test(.i64, .rax, .rax)
            a.j(.s, big)
            cvt(&a, .i64, .rax)
            a.jmp(done)
            a.bind(big)
            a.mov(.i64, .rcx, .rax)
            a.shr(.i64, .rcx, 1)
            a.and(.i32, .rax, 1)
            a.or(.i64, .rcx, .rax)
            cvt(&a, .i64, .rcx)
            if f64 { a.addsd(.xmm0, .xmm0) } else { a.addss(.xmm0, .xmm0) }
            a.bind(done)
        }
        storeF(f64, top, .xmm0, &a)
    }

    mutating func truncate(f64: Bool, _ s: OperandSize, signed: Bool, sat: Bool, _ a: inout X64Assembler) {
        let nan = a.newLabel(), under = a.newLabel(), over = a.newLabel(), done = a.newLabel()
        func cvt(_ a: inout X64Assembler, _ size: OperandSize, _ x: XMM) {
            if f64 { a.cvttsd2si(size, .rax, x) } else { a.cvttss2si(size, .rax, x) }
        }
        loadF(f64, .xmm0, top, &a)
        ucomi(f64, .xmm0, .xmm0, &a)
        a.j(.p, nan)
        // Lower bound: exclusive (value must be > lo) or inclusive (>= lo).
        let lo: Double, loInclusive: Bool, hi: Double
        if signed {
            if s == .i32 {
                hi = 2147483648.0
                if f64 { lo = -2147483649.0; loInclusive = false } else { lo = -2147483648.0; loInclusive = true }
            } else {
                hi = 9223372036854775808.0
                lo = -9223372036854775808.0; loInclusive = true
            }
        } else {
            lo = -1.0; loInclusive = false
            hi = s == .i32 ? 4294967296.0 : 18446744073709551616.0
        }
        loadConstF(f64, .xmm1, lo, &a)
        ucomi(f64, .xmm0, .xmm1, &a)
        a.j(loInclusive ? .b : .be, under)
        loadConstF(f64, .xmm1, hi, &a)
        ucomi(f64, .xmm0, .xmm1, &a)
        a.j(.ae, over)
        if s == .i32 {
            if signed { cvt(&a, .i32, .xmm0) } else { cvt(&a, .i64, .xmm0); a.mov(.i32, .rax, .rax) }
        } else if signed {
            cvt(&a, .i64, .xmm0)
        } else {
            let small = a.newLabel()
            loadConstF(f64, .xmm1, 9223372036854775808.0, &a)
            ucomi(f64, .xmm0, .xmm1, &a)
            a.j(.b, small)
            if f64 { a.subsd(.xmm0, .xmm1) } else { a.subss(.xmm0, .xmm1) }
            cvt(&a, .i64, .xmm0)
            a.movabs(.rcx, 0x8000_0000_0000_0000)
            a.xor(.i64, .rax, .rcx)
            a.jmp(done)
            a.bind(small)
            cvt(&a, .i64, .xmm0)
        }
        a.jmp(done)
        if sat {
            a.bind(nan)
            a.xor(.i32, .rax, .rax)
            a.jmp(done)
            a.bind(under)
            if signed {
                if s == .i32 { a.mov(.i32, .rax, Int64(Int32.min) & 0xFFFF_FFFF) } else { a.movabs(.rax, 0x8000_0000_0000_0000) }
            } else {
                a.xor(.i32, .rax, .rax)
            }
            a.jmp(done)
            a.bind(over)
            if signed {
                if s == .i32 { a.mov(.i32, .rax, Int64(Int32.max)) } else { a.movabs(.rax, 0x7FFF_FFFF_FFFF_FFFF) }
            } else {
                if s == .i32 { a.mov(.i32, .rax, Int64(UInt32.max)) } else { a.mov(.i64, .rax, Int64(-1)) }
            }
        } else {
            a.bind(nan)
            a.jmp(trapLabel(&a, .invalidConversionToInteger))
            a.bind(under)
            a.bind(over)
            a.jmp(trapLabel(&a, .integerOverflow))
        }
        a.bind(done)
        a.mov(.i64, top, .rax)
    }
}
