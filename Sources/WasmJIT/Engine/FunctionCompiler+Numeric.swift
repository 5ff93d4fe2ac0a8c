import WasmCore
@_spi(Engine) import WasmRuntime

/// Numeric instructions. Slots hold raw bits; i32/f32 values are always read
/// with 32-bit loads, so their upper halves never matter (wrap and
/// reinterpret are free).
extension FunctionCompiler {
    /// The numeric instructions without a register form in `fastNumeric`, on the
    /// flushed (slot-based) stack: division by the constant 0 (always a trap), unsigned
    /// i64 → float, float → int truncation, and rounding on a CPU without SSE4.1. Every other numeric instruction is
    /// compiled by `fastNumeric`; reaching this function with one is a compiler bug.
    mutating func emitNumeric(_ op: NumericOp, _ a: inout X64Assembler) throws {
        switch op {
        case .i32DivS: divide(.i32, signed: true, rem: false, &a)
        case .i32DivU: divide(.i32, signed: false, rem: false, &a)
        case .i32RemS: divide(.i32, signed: true, rem: true, &a)
        case .i32RemU: divide(.i32, signed: false, rem: true, &a)
        case .i64DivS: divide(.i64, signed: true, rem: false, &a)
        case .i64DivU: divide(.i64, signed: false, rem: false, &a)
        case .i64RemS: divide(.i64, signed: true, rem: true, &a)
        case .i64RemU: divide(.i64, signed: false, rem: true, &a)
        case .f32ConvertI64U: convertInt(f64: false, .i64, signed: false, &a)
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
        case .f32Ceil, .f32Floor, .f32Trunc, .f32Nearest, .f64Ceil, .f64Floor, .f64Trunc, .f64Nearest:
            // Without SSE4.1's roundss/roundsd (`CPUFeatures.sse41`): the runtime rounds.
            // Helpers.round's kind: ceil, floor, trunc, nearest; +4 for f64.
            let kind: Int64 = switch op {
            case .f32Ceil: 0
            case .f32Floor: 1
            case .f32Trunc: 2
            case .f32Nearest: 3
            case .f64Ceil: 4
            case .f64Floor: 5
            case .f64Trunc: 6
            default: 7
            }
            a.mov(.i64, .rsi, top)
            a.mov(.i32, .rdx, kind)
            helperCall(Helpers.round, &a, trapping: false)
            a.mov(.i64, top, .rax)
        default:
            throw JITError("internal JIT error: \(op) has a register form (fastNumeric) but reached the slot-based code")
        }
    }

    // MARK: Integer helpers

    /// The x86 condition of an integer comparison.
    static func integerCondition(_ comparison: Comparison) -> Condition {
        switch comparison {
        case .eq: .e
        case .ne: .ne
        case .ltS, .lt: .l
        case .ltU: .b
        case .gtS, .gt: .g
        case .gtU: .a
        case .leS, .le: .le
        case .leU: .be
        case .geS, .ge: .ge
        case .geU: .ae
        }
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

    mutating func ucomi(_ f64: Bool, _ x: XMM, _ y: XMM, _ a: inout X64Assembler) {
        if f64 { a.ucomisd(x, y) } else { a.ucomiss(x, y) }
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
        // The bounds the interpreter checks too (`TruncationRange`).
        let range = TruncationRange.of(to64: s == .i64, signed: signed, fromF64: f64)
        let lo = range.lower, loInclusive = range.lowerInclusive, hi = range.upper
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
