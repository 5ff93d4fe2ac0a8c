import WasmCore
import WasmRuntime

/// Float instructions on the register-resident value stack: arithmetic, rounding,
/// comparisons (fused with a following branch), wasm's min/max, sign operations.
extension FunctionCompiler {
    mutating func fastFloat(_ op: NumericOp, _ a: inout X64Assembler) -> Bool {
        switch op {
        case .f32Add: fastFBin(.addss, false, commutative: true, &a)
        case .f32Sub: fastFBin(.subss, false, commutative: false, &a)
        case .f32Mul: fastFBin(.mulss, false, commutative: true, &a)
        case .f32Div: fastFBin(.divss, false, commutative: false, &a)
        case .f64Add: fastFBin(.addsd, true, commutative: true, &a)
        case .f64Sub: fastFBin(.subsd, true, commutative: false, &a)
        case .f64Mul: fastFBin(.mulsd, true, commutative: true, &a)
        case .f64Div: fastFBin(.divsd, true, commutative: false, &a)
        case .f32Sqrt, .f64Sqrt:
            let f64 = op == .f64Sqrt
            let o = pop()
            let x: XMM
            if case .mem(let m) = o {
                x = allocXMM(&a)
                if f64 { a.sqrtsd(x, m) } else { a.sqrtss(x, m) }
            } else {
                x = intoXMM(o, f64: f64, &a)
                if f64 { a.sqrtsd(x, x) } else { a.sqrtss(x, x) }
            }
            pushVal(.xmm(x))
        case .f32Ceil where env.features.contains(.sse41): fastRound(false, .up, &a)
        case .f32Floor where env.features.contains(.sse41): fastRound(false, .down, &a)
        case .f32Trunc where env.features.contains(.sse41): fastRound(false, .towardZero, &a)
        case .f32Nearest where env.features.contains(.sse41): fastRound(false, .nearest, &a)
        case .f64Ceil where env.features.contains(.sse41): fastRound(true, .up, &a)
        case .f64Floor where env.features.contains(.sse41): fastRound(true, .down, &a)
        case .f64Trunc where env.features.contains(.sse41): fastRound(true, .towardZero, &a)
        case .f64Nearest where env.features.contains(.sse41): fastRound(true, .nearest, &a)
        case .f32Abs, .f32Neg:
            let r = intoGPR(pop(), .i32, &a)
            if op == .f32Abs { a.and(.i32, r, Int32(0x7FFF_FFFF)) } else { a.xor(.i32, r, Int32(bitPattern: 0x8000_0000)) }
            pushGPR(r)
        case .f64Abs, .f64Neg:
            let r = intoGPR(pop(), .i64, &a)
            let t = allocGPR(&a)
            if op == .f64Abs {
                a.movabs(t, 0x7FFF_FFFF_FFFF_FFFF)
                a.and(.i64, r, t)
            } else {
                a.movabs(t, 0x8000_0000_0000_0000)
                a.xor(.i64, r, t)
            }
            freeGPR(t)
            pushGPR(r)
        case .f32Copysign:
            let b = pop()
            let r = intoGPR(pop(), .i32, &a)
            let t = intoGPR(b, .i32, &a)
            a.and(.i32, r, Int32(0x7FFF_FFFF))
            a.and(.i32, t, Int32(bitPattern: 0x8000_0000))
            a.or(.i32, r, t)
            freeGPR(t)
            pushGPR(r)
        case .f64Copysign:
            let b = pop()
            let r = intoGPR(pop(), .i64, &a)
            let t = intoGPR(b, .i64, &a)
            let m = allocGPR(&a)
            a.movabs(m, 0x7FFF_FFFF_FFFF_FFFF)
            a.and(.i64, r, m)
            a.not(.i64, m)
            a.and(.i64, t, m)
            a.or(.i64, r, t)
            freeGPR(m)
            freeGPR(t)
            pushGPR(r)
        case .f32Eq, .f32Ne, .f32Lt, .f32Gt, .f32Le, .f32Ge:
            fastFCompare(false, op.comparison!, &a)
        case .f64Eq, .f64Ne, .f64Lt, .f64Gt, .f64Le, .f64Ge:
            fastFCompare(true, op.comparison!, &a)
        case .f32Min: fastMinMax(false, min: true, &a)
        case .f32Max: fastMinMax(false, min: false, &a)
        case .f64Min: fastMinMax(true, min: true, &a)
        case .f64Max: fastMinMax(true, min: false, &a)
        case .f32DemoteF64:
            let x = intoXMM(pop(), f64: true, &a)
            a.cvtsd2ss(x, x)
            pushVal(.xmm(x))
        case .f64PromoteF32:
            let x = intoXMM(pop(), f64: false, &a)
            a.cvtss2sd(x, x)
            pushVal(.xmm(x))
        case .f32ConvertI32S, .f64ConvertI32S, .f32ConvertI32U, .f64ConvertI32U, .f32ConvertI64S, .f64ConvertI64S:
            let f64 = op == .f64ConvertI32S || op == .f64ConvertI32U || op == .f64ConvertI64S
            let o = pop()
            let r: GPR, size: OperandSize
            switch op {
            case .f32ConvertI32S, .f64ConvertI32S: r = intoGPR(o, .i32, &a); size = .i32
            case .f32ConvertI32U, .f64ConvertI32U: r = intoClean32(o, &a); size = .i64
            default: r = intoGPR(o, .i64, &a); size = .i64
            }
            let x = allocXMM(&a)
            a.xorps(x, x)
            if f64 { a.cvtsi2sd(x, size, r) } else { a.cvtsi2ss(x, size, r) }
            freeGPR(r)
            pushVal(.xmm(x))
        default:
            return false
        }
        return true
    }

    mutating func fastFBin(_ op: SSEOp, _ f64: Bool, commutative: Bool, _ a: inout X64Assembler) {
        var b = pop(), v = pop()
        if commutative {
            if case .xreg = b {
                if case .xreg = v {} else { (v, b) = (b, v) }
            }
        }
        let x = intoXMM(v, f64: f64, &a)
        switch b {
        case .mem(let m): a.sse(op, x, m)
        default:
            let y = intoXMM(b, f64: f64, &a)
            a.sse(op, x, y)
            freeXMM(y)
        }
        pushVal(.xmm(x))
    }

    mutating func fastRound(_ f64: Bool, _ mode: RoundingMode, _ a: inout X64Assembler) {
        let o = pop()
        let x: XMM
        if case .mem(let m) = o {
            x = allocXMM(&a)
            if f64 { a.roundsd(x, m, mode) } else { a.roundss(x, m, mode) }
        } else {
            x = intoXMM(o, f64: f64, &a)
            if f64 { a.roundsd(x, x, mode) } else { a.roundss(x, x, mode) }
        }
        pushVal(.xmm(x))
    }

    /// A float comparison: `ucomis*` sets the flags of an unsigned compare, and parity on NaN.
    mutating func fastFCompare(_ f64: Bool, _ comparison: Comparison, _ a: inout X64Assembler) {
        let b = pop(), v = pop()
        func ucomi(_ a: inout X64Assembler, _ x: XMM, _ o: Opnd, _ fc: inout FunctionCompiler) {
            if case .mem(let m) = o {
                if f64 { a.ucomisd(x, m) } else { a.ucomiss(x, m) }
            } else {
                let y = fc.intoXMM(o, f64: f64, &a)
                if f64 { a.ucomisd(x, y) } else { a.ucomiss(x, y) }
                fc.freeXMM(y)
            }
        }
        switch comparison {
        case .lt, .le:  // a < b  <=>  b > a;  a <= b  <=>  b >= a
            let x = intoXMM(b, f64: f64, &a)
            ucomi(&a, x, v, &self)
            freeXMM(x)
            finishCondition(comparison == .lt ? .a : .ae, &a)
        case .gt, .ge:
            let x = intoXMM(v, f64: f64, &a)
            ucomi(&a, x, b, &self)
            freeXMM(x)
            finishCondition(comparison == .gt ? .a : .ae, &a)
        default:
            let x = intoXMM(v, f64: f64, &a)
            let r = allocGPR(&a), t = allocGPR(&a)
            ucomi(&a, x, b, &self)
            freeXMM(x)
            if comparison == .eq {
                a.setcc(.e, r)
                a.setcc(.np, t)
                a.and(.i8, r, t)
            } else {
                a.setcc(.ne, r)
                a.setcc(.p, t)
                a.or(.i8, r, t)
            }
            a.movzx(.i32, r, .i8, r)
            freeGPR(t)
            pushGPR(r)
        }
    }

    mutating func fastMinMax(_ f64: Bool, min: Bool, _ a: inout X64Assembler) {
        let b = pop(), v = pop()
        let x = intoXMM(v, f64: f64, &a)
        let y = intoXMM(b, f64: f64, &a)
        let nan = a.newLabel(), equal = a.newLabel(), done = a.newLabel()
        if f64 { a.ucomisd(x, y) } else { a.ucomiss(x, y) }
        a.j(.p, nan)
        a.j(.e, equal)
        if f64 {
            if min { a.minsd(x, y) } else { a.maxsd(x, y) }
        } else {
            if min { a.minss(x, y) } else { a.maxss(x, y) }
        }
        a.jmp(done)
        a.bind(equal)
        if min { a.orps(x, y) } else { a.andps(x, y) }
        a.jmp(done)
        a.bind(nan)
        if f64 { a.addsd(x, y) } else { a.addss(x, y) }
        a.bind(done)
        freeXMM(y)
        pushVal(.xmm(x))
    }
}
