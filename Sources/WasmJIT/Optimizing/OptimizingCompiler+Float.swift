import WasmCore
import WasmOptimizer
import WasmRuntime

/// Instruction selection for the float operators, conversions, and the runtime calls for the
/// operators without a short x86 sequence (`NumericRuntimeCall`).
extension OptimizingCompiler {
    /// Whether the tier calls the runtime for `op` on a CPU with `features`.
    static func usesRuntimeCall(_ op: NumericOp, _ features: CPUFeatures) -> Bool {
        switch op {
        case .i32Clz, .i64Clz: return !features.contains(.lzcnt)
        case .i32Ctz, .i64Ctz: return !features.contains(.bmi1)
        case .i32Popcnt, .i64Popcnt: return !features.contains(.popcnt)
        case .f32Ceil, .f32Floor, .f32Trunc, .f32Nearest, .f64Ceil, .f64Floor, .f64Trunc, .f64Nearest:
            return !features.contains(.sse41)
        case .f32Min, .f32Max, .f64Min, .f64Max, .i32TruncF32S, .i32TruncF32U, .i32TruncF64S, .i32TruncF64U,
            .i64TruncF32S, .i64TruncF32U, .i64TruncF64S, .i64TruncF64U, .i32TruncSatF32S, .i32TruncSatF32U,
            .i32TruncSatF64S, .i32TruncSatF64U, .i64TruncSatF32S, .i64TruncSatF32U, .i64TruncSatF64S,
            .i64TruncSatF64U, .f32ConvertI64U, .f64ConvertI64U:
            return true
        default: return false
        }
    }

    /// `op` through `NumericRuntimeCall`: operands as bits in rdx/rcx, the result back through
    /// the frame's helper-result slot.
    mutating func emitNumericCall(_ op: NumericOp, _ operands: IRNumericOperands, result: IRValue, _ a: inout X64Assembler) {
        var arguments: [ValueLocation] = [.constant(UInt64(op.rawValue))]
        arguments += operands.map(location)
        if operands.count == 1 { arguments.append(.constant(0)) }
        let slot = helperResultSlot
        emitHelperCall(NumericRuntimeCall.address, arguments: arguments, trapping: true, &a) { a in
            a.lea(.i64, .r8, slot)
        }
        switch location(result) {
        case .gpr(let r): a.mov(.i64, r, slot)
        case .xmm(let x): a.movsd(x, slot)
        case .stack(let j):
            a.mov(.i64, .rax, slot)
            a.mov(.i64, spillSlot(j), .rax)
        case .none, .constant: break
        }
    }

    /// Sets the flags for an ordered float compare (lt/gt/le/ge, or eq/ne before their parity
    /// check) and returns the condition true when it holds: unordered operands set CF, so
    /// `a`/`ae` are false for NaN.
    mutating func emitFloatCompare(_ op: NumericOp, _ operands: IRNumericOperands, _ a: inout X64Assembler) -> Condition {
        let double = op.operandType == .f64
        var (lhs, rhs) = (operands[0], operands[1])
        let cc: Condition
        switch op.comparison! {
        case .lt: (lhs, rhs, cc) = (operands[1], operands[0], .a)
        case .le: (lhs, rhs, cc) = (operands[1], operands[0], .ae)
        case .gt: cc = .a
        case .ge: cc = .ae
        case .eq: cc = .e
        default: cc = .ne
        }
        let x = floatRegister(lhs, scratch: .xmm0, &a)
        if case .stack(let j) = location(rhs) {
            if double { a.ucomisd(x, spillSlot(j)) } else { a.ucomiss(x, spillSlot(j)) }
        } else {
            let y = floatRegister(rhs, scratch: .xmm1, &a)
            if double { a.ucomisd(x, y) } else { a.ucomiss(x, y) }
        }
        return cc
    }

    mutating func emitFloat(_ op: NumericOp, _ operands: IRNumericOperands, result: IRValue, _ a: inout X64Assembler) {
        switch op.kind {
        case .compare:
            let cc = emitFloatCompare(op, operands, &a)
            let d = resultRegister(result)
            a.setcc(cc, d)
            if op == .f32Eq || op == .f64Eq {
                a.setcc(.np, .rcx)
                a.alu(.and, .i8, d, .rcx)
            } else if op == .f32Ne || op == .f64Ne {
                a.setcc(.p, .rcx)
                a.alu(.or, .i8, d, .rcx)
            }
            a.movzx(.i32, d, .i8, d)
            finish(result, d, &a)
        case .binary:
            emitFloatBinary(op, operands, result: result, &a)
        case .unary:
            emitFloatUnary(op, operands[0], result: result, &a)
        default:
            emitConversion(op, operands[0], result: result, &a)
        }
    }

    mutating func emitFloatBinary(_ op: NumericOp, _ operands: IRNumericOperands, result: IRValue, _ a: inout X64Assembler) {
        if op == .f32Copysign || op == .f64Copysign {
            let wide = op == .f64Copysign
            moveBits(of: operands[0], to: .rax, &a)
            moveBits(of: operands[1], to: .rcx, &a)
            if wide {
                a.shl(.i64, .rax, .imm(1))  // a without its sign
                a.shr(.i64, .rax, .imm(1))
                a.shr(.i64, .rcx, .imm(63))  // b's sign alone
                a.shl(.i64, .rcx, .imm(63))
                a.or(.i64, .rax, .rcx)
            } else {
                a.and(.i32, .rax, Int32.max)
                a.and(.i32, .rcx, Int32.min)
                a.or(.i32, .rax, .rcx)
            }
            setFloat(result, fromBits: .rax, wide: wide, &a)
            return
        }
        let sseOp: SSEOp
        var commutative = false
        switch op {
        case .f32Add: (sseOp, commutative) = (.addss, true)
        case .f64Add: (sseOp, commutative) = (.addsd, true)
        case .f32Mul: (sseOp, commutative) = (.mulss, true)
        case .f64Mul: (sseOp, commutative) = (.mulsd, true)
        case .f32Sub: sseOp = .subss
        case .f64Sub: sseOp = .subsd
        case .f32Div: sseOp = .divss
        default: sseOp = .divsd
        }
        var (lhs, rhs) = (operands[0], operands[1])
        let d = resultXMM(result)
        if location(rhs) == .xmm(d) && location(lhs) != .xmm(d) {
            if commutative { swap(&lhs, &rhs) } else {
                // d = lhs op d: compute in xmm0.
                let x = floatRegister(lhs, scratch: .xmm0, &a)
                if x != .xmm0 { a.movaps(.xmm0, x) }
                a.sse(sseOp, .xmm0, d)
                a.movaps(d, .xmm0)
                finish(result, d, &a)
                return
            }
        }
        let x = floatRegister(lhs, scratch: d, &a)
        if x != d { a.movaps(d, x) }
        if case .stack(let j) = location(rhs) { a.sse(sseOp, d, spillSlot(j)) } else {
            a.sse(sseOp, d, floatRegister(rhs, scratch: .xmm1, &a))
        }
        finish(result, d, &a)
    }

    mutating func emitFloatUnary(_ op: NumericOp, _ operand: IRValue, result: IRValue, _ a: inout X64Assembler) {
        let wide = op.resultType == .f64
        switch op {
        case .f32Abs, .f64Abs, .f32Neg, .f64Neg:
            moveBits(of: operand, to: .rax, &a)
            switch op {
            case .f32Abs: a.and(.i32, .rax, Int32.max)
            case .f32Neg: a.xor(.i32, .rax, Int32.min)
            case .f64Abs:
                a.shl(.i64, .rax, .imm(1))
                a.shr(.i64, .rax, .imm(1))
            default:
                a.mov(.i64, .rcx, Int64.min)
                a.xor(.i64, .rax, .rcx)
            }
            setFloat(result, fromBits: .rax, wide: wide, &a)
            return
        default: break
        }
        let d = resultXMM(result)
        let x = floatRegister(operand, scratch: .xmm1, &a)
        switch op {
        case .f32Sqrt: a.sqrtss(d, x)
        case .f64Sqrt: a.sqrtsd(d, x)
        case .f32Ceil: a.roundss(d, x, .up)
        case .f32Floor: a.roundss(d, x, .down)
        case .f32Trunc: a.roundss(d, x, .towardZero)
        case .f32Nearest: a.roundss(d, x, .nearest)
        case .f64Ceil: a.roundsd(d, x, .up)
        case .f64Floor: a.roundsd(d, x, .down)
        case .f64Trunc: a.roundsd(d, x, .towardZero)
        case .f64Nearest: a.roundsd(d, x, .nearest)
        default: _ = a.require(false, "\(op.name) reached the float selector")
        }
        finish(result, d, &a)
    }

    mutating func emitConversion(_ op: NumericOp, _ operand: IRValue, result: IRValue, _ a: inout X64Assembler) {
        switch op {
        case .i32ReinterpretF32, .i64ReinterpretF64:
            let d = resultRegister(result)
            moveBits(of: operand, to: d, &a)
            if op == .i32ReinterpretF32 { a.mov(.i32, d, d) }
            finish(result, d, &a)
        case .f32ReinterpretI32, .f64ReinterpretI64:
            let r = intRegister(operand, scratch: .rax, Self.size(op.operandType), &a)
            setFloat(result, fromBits: r, wide: op == .f64ReinterpretI64, &a)
        case .f32ConvertI32S, .f32ConvertI32U, .f32ConvertI64S, .f64ConvertI32S, .f64ConvertI32U, .f64ConvertI64S:
            let source = Self.size(op.operandType)
            let r = intRegister(operand, scratch: .rax, source, &a)
            let d = resultXMM(result)
            a.xorps(d, d)  // cvtsi2s* writes only the low lane: no dependency on d's old value
            // An unsigned i32 is zero-extended in its register: convert it as an i64.
            let width: OperandSize = op == .f32ConvertI32S || op == .f64ConvertI32S ? .i32 : .i64
            if op.resultType == .f32 { a.cvtsi2ss(d, width, r) } else { a.cvtsi2sd(d, width, r) }
            finish(result, d, &a)
        case .f32DemoteF64, .f64PromoteF32:
            let d = resultXMM(result)
            let x = floatRegister(operand, scratch: .xmm1, &a)
            if op == .f32DemoteF64 { a.cvtsd2ss(d, x) } else { a.cvtss2sd(d, x) }
            finish(result, d, &a)
        default:
            _ = a.require(false, "\(op.name) reached the conversion selector")
        }
    }

    /// A float value's bits into GPR `r` (an f32 zero-extended).
    mutating func moveBits(of value: IRValue, to r: GPR, _ a: inout X64Assembler) {
        let wide = valueType(value) == .f64 || valueType(value) == .i64
        switch location(value) {
        case .xmm(let x): if wide { a.movq(r, x) } else { a.movd(r, x) }
        case .gpr(let s): a.mov(wide ? .i64 : .i32, r, s)
        case .stack(let j): a.mov(wide ? .i64 : .i32, r, spillSlot(j))
        case .constant(let bits): a.mov(.i64, r, Int64(bitPattern: wide ? bits : bits & 0xFFFF_FFFF))
        case .none: break
        }
    }

    /// Sets a float result from the bits in GPR `r`.
    mutating func setFloat(_ result: IRValue, fromBits r: GPR, wide: Bool, _ a: inout X64Assembler) {
        switch location(result) {
        case .xmm(let x): if wide { a.movq(x, r) } else { a.movd(x, r) }
        case .stack(let j): a.mov(.i64, spillSlot(j), r)
        default: break
        }
    }
}
