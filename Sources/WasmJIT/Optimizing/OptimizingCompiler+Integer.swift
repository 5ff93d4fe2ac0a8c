import WasmCore
import WasmOptimizer
import WasmRuntime

/// Instruction selection: the dispatch over IR operations, and the integer operators.
extension OptimizingCompiler {
    mutating func emit(_ instruction: IRInstruction, previous: IRInstruction?, _ a: inout X64Assembler) throws {
        let results = instruction.results
        switch instruction.operation {
        case .constant: break  // rematerialized where used
        case .numeric(let op, let operands):
            if intervals.fusedCompares.contains(results[0].id) { break }  // emitted by its user
            if Self.usesRuntimeCall(op, env.features) {
                emitNumericCall(op, operands, result: results[0], &a)
            } else if op.resultType == .f32 || op.resultType == .f64
                || op.operandType == .f32 || op.operandType == .f64
            {
                emitFloat(op, operands, result: results[0], &a)
            } else {
                emitInteger(op, operands, result: results[0], &a)
            }
        case .select(let condition, let ifTrue, let ifFalse):
            emitSelect(condition, ifTrue, ifFalse, result: results[0], previous: previous, &a)
        case .load(let op, let memarg, let address):
            emitLoad(op, memarg, address: address, result: results[0], &a)
        case .store(let op, let memarg, let address, let value):
            emitStore(op, memarg, address: address, value: value, &a)
        case .globalGet(let index):
            a.mov(.i64, .rax, Mem(.r15, VMOffsets.globals))
            a.mov(.i64, .rax, Mem(.rax, Int32(8 * index)))
            switch location(results[0]) {
            case .gpr(let r): a.mov(valueType(results[0]) == .i32 ? .i32 : .i64, r, Mem(.rax, 0))
            case .xmm(let x): a.movsd(x, Mem(.rax, 0))
            case .stack(let j):
                a.mov(valueType(results[0]) == .i32 ? .i32 : .i64, .rax, Mem(.rax, 0))
                a.mov(.i64, spillSlot(j), .rax)
            case .none, .constant: break
            }
        case .globalSet(let index, let value):
            a.mov(.i64, .rcx, Mem(.r15, VMOffsets.globals))
            a.mov(.i64, .rcx, Mem(.rcx, Int32(8 * index)))
            store(value, to: Mem(.rcx, 0), &a)
        case .memorySize:
            let d = resultRegister(results[0])
            a.mov(.i64, d, Mem(.r15, VMOffsets.memory0))
            a.mov(.i64, d, Mem(d, VMOffsets.memoryByteCount))
            a.shr(.i64, d, .imm(16))
            finish(results[0], d, &a)
        case .memoryGrow(let delta):
            emitHelperCall(Helpers.memoryGrow, arguments: [.constant(0), location(delta)], trapping: false, &a)
            if location(results[0]) != .none { emitMove(from: .gpr(.rax), to: location(results[0]), &a) }
        case .memoryFill(let destination, let value, let count):
            emitHelperCall(Helpers.memoryFill, arguments: [.constant(0), location(destination), location(value),
                                                           location(count)], trapping: true, &a)
        case .memoryCopy(let destination, let source, let count):
            emitHelperCall(Helpers.memoryCopy, arguments: [.constant(0), .constant(0), location(destination),
                                                           location(source), location(count)], trapping: true, &a)
        case .call(let callee, let arguments):
            try emitCall(function: Int(callee), arguments: Array(function.values(arguments)), results: results, &a)
        case .callIndirect(let typeIndex, let table, let callee, let arguments):
            emitCallIndirect(typeIndex: Int(typeIndex), table: Int(table), callee: callee,
                             arguments: Array(function.values(arguments)),
                             results: results, &a)
        }
    }

    static func size(_ type: ValueType) -> OperandSize { type == .i64 ? .i64 : .i32 }

    mutating func emitInteger(_ op: NumericOp, _ operands: IRNumericOperands, result: IRValue, _ a: inout X64Assembler) {
        let size = Self.size(op.operandType)
        let d = resultRegister(result)
        switch op {
        case .i32Add, .i64Add: binary(.add, size, operands, into: d, commutative: true, &a)
        case .i32Sub, .i64Sub: binary(.sub, size, operands, into: d, commutative: false, &a)
        case .i32And, .i64And: binary(.and, size, operands, into: d, commutative: true, &a)
        case .i32Or, .i64Or: binary(.or, size, operands, into: d, commutative: true, &a)
        case .i32Xor, .i64Xor: binary(.xor, size, operands, into: d, commutative: true, &a)
        case .i32Mul, .i64Mul: multiply(size, operands, into: d, &a)
        case .i32Shl, .i64Shl: shift(.shl, size, operands, into: d, &a)
        case .i32ShrS, .i64ShrS: shift(.sar, size, operands, into: d, &a)
        case .i32ShrU, .i64ShrU: shift(.shr, size, operands, into: d, &a)
        case .i32Rotl, .i64Rotl: shift(.rol, size, operands, into: d, &a)
        case .i32Rotr, .i64Rotr: shift(.ror, size, operands, into: d, &a)
        case .i32DivS, .i64DivS, .i32DivU, .i64DivU, .i32RemS, .i64RemS, .i32RemU, .i64RemU:
            divide(op, size, operands, into: d, &a)
        case .i32Eqz, .i64Eqz, .i32Eq, .i32Ne, .i32LtS, .i32LtU, .i32GtS, .i32GtU, .i32LeS, .i32LeU, .i32GeS, .i32GeU,
            .i64Eq, .i64Ne, .i64LtS, .i64LtU, .i64GtS, .i64GtU, .i64LeS, .i64LeU, .i64GeS, .i64GeU:
            let cc = emitCompare(op, operands, &a)
            a.setcc(cc, d)
            a.movzx(.i32, d, .i8, d)
        case .i32Clz, .i64Clz:
            a.lzcnt(size, d, intRegister(operands[0], scratch: .rcx, size, &a))
        case .i32Ctz, .i64Ctz:
            a.tzcnt(size, d, intRegister(operands[0], scratch: .rcx, size, &a))
        case .i32Popcnt, .i64Popcnt:
            a.popcnt(size, d, intRegister(operands[0], scratch: .rcx, size, &a))
        case .i32WrapI64, .i64ExtendI32U:
            a.mov(.i32, d, intRegister(operands[0], scratch: .rcx, .i32, &a))
        case .i64ExtendI32S:
            a.movsxd(d, intRegister(operands[0], scratch: .rcx, .i32, &a))
        case .i32Extend8S, .i64Extend8S:
            a.movsx(size, d, .i8, intRegister(operands[0], scratch: .rcx, size, &a))
        case .i32Extend16S, .i64Extend16S:
            a.movsx(size, d, .i16, intRegister(operands[0], scratch: .rcx, size, &a))
        case .i64Extend32S:
            a.movsxd(d, intRegister(operands[0], scratch: .rcx, .i32, &a))
        default:
            _ = a.require(false, "\(op.name) reached the integer selector")
        }
        finish(result, d, &a)
    }

    /// `d = operands[0] op operands[1]` for the two-address ALU operators.
    mutating func binary(_ op: ALUOp, _ size: OperandSize, _ operands: IRNumericOperands, into d: GPR, commutative: Bool,
                _ a: inout X64Assembler) {
        var lhs = intOperand(operands[0]), rhs = intOperand(operands[1])
        if rhs == .register(d) && lhs != .register(d) {
            if commutative {
                swap(&lhs, &rhs)
            } else {
                a.mov(.i64, .rcx, d)
                rhs = .register(.rcx)
            }
        }
        if commutative, case .immediate = lhs, rhs != .register(d) { swap(&lhs, &rhs) }
        load(lhs, into: d, size, &a)
        switch rhs {
        case .register(let r): a.alu(op, size, d, r)
        case .memory(let m): a.alu(op, size, d, m)
        case .immediate(let v):
            if let imm = Int32(exactly: v) { a.alu(op, size, d, imm) } else {
                a.mov(.i64, .rcx, v)
                a.alu(op, size, d, .rcx)
            }
        }
    }

    mutating func multiply(_ size: OperandSize, _ operands: IRNumericOperands, into d: GPR, _ a: inout X64Assembler) {
        var lhs = intOperand(operands[0]), rhs = intOperand(operands[1])
        if case .immediate = lhs { swap(&lhs, &rhs) }
        if case .immediate(let v) = rhs, let imm = Int32(exactly: v) {
            switch lhs {
            case .register(let r): a.imul(size, d, r, imm)
            case .memory(let m): a.imul(size, d, m, imm)
            case .immediate(let w):
                a.mov(.i64, d, w)
                a.imul(size, d, d, imm)
            }
            return
        }
        if rhs == .register(d) { swap(&lhs, &rhs) }
        load(lhs, into: d, size, &a)
        switch rhs {
        case .register(let r): a.imul(size, d, r)
        case .memory(let m): a.imul(size, d, m)
        case .immediate(let v):
            a.mov(.i64, .rcx, v)
            a.imul(size, d, .rcx)
        }
    }

    mutating func shift(_ op: ShiftOp, _ size: OperandSize, _ operands: IRNumericOperands, into d: GPR, _ a: inout X64Assembler) {
        let count = intOperand(operands[1])
        if case .immediate(let v) = count {
            load(intOperand(operands[0]), into: d, size, &a)
            let masked = UInt8(truncatingIfNeeded: v) & (size == .i64 ? 63 : 31)
            if masked != 0 { a.shift(op, size, d, .imm(masked)) } else if size == .i32 { a.mov(.i32, d, d) }
            return
        }
        load(count, into: .rcx, .i32, &a)
        load(intOperand(operands[0]), into: d, size, &a)
        a.shift(op, size, d, .cl)
    }

    /// Division and remainder: the dividend in rax (rdx:rax), the divisor in rcx; zero
    /// divisors trap, `INT_MIN / -1` traps, `INT_MIN % -1` is 0.
    mutating func divide(_ op: NumericOp, _ size: OperandSize, _ operands: IRNumericOperands, into d: GPR,
                         _ a: inout X64Assembler) {
        let signed = [.i32DivS, .i64DivS, .i32RemS, .i64RemS].contains(op)
        let remainder = [.i32RemS, .i64RemS, .i32RemU, .i64RemU].contains(op)
        let divisor = intOperand(operands[1])
        var knownNonZero = false, knownNotMinusOne = false
        if case .immediate(let v) = divisor {
            knownNonZero = v != 0
            knownNotMinusOne = v != -1
        }
        load(divisor, into: .rcx, size, &a)
        load(intOperand(operands[0]), into: .rax, size, &a)
        if !knownNonZero {
            a.test(size, .rcx, .rcx)
            a.j(.e, trapLabel(.integerDivideByZero, &a))
        }
        let done = a.newLabel()
        if signed && !knownNotMinusOne {
            let ordinary = a.newLabel()
            a.cmp(size, .rcx, -1)
            a.j(.ne, ordinary)
            if remainder {
                a.xor(.i32, .rdx, .rdx)  // x % -1 = 0
                a.jmp(done)
            } else {
                // x / -1 = -x, which overflows only for INT_MIN.
                a.neg(size, .rax)
                a.j(.o, trapLabel(.integerOverflow, &a))
                a.jmp(done)
            }
            a.bind(ordinary)
        }
        if signed {
            a.signExtendAccumulator(size)
            a.idiv(size, .rcx)
        } else {
            a.xor(.i32, .rdx, .rdx)
            a.div(size, .rcx)
        }
        a.bind(done)
        a.mov(size, d, remainder ? .rdx : .rax)
    }

    /// Sets the flags for a compare (or eqz) and returns the condition that holds when it is true.
    mutating func emitCompare(_ op: NumericOp, _ operands: IRNumericOperands, _ a: inout X64Assembler) -> Condition {
        if op.operandType == .f32 || op.operandType == .f64 {
            return emitFloatCompare(op, operands, &a)
        }
        let size = Self.size(op.operandType)
        if op == .i32Eqz || op == .i64Eqz {
            switch intOperand(operands[0]) {
            case .register(let r): a.test(size, r, r)
            case .memory(let m): a.cmp(size, m, 0)
            case .immediate(let v):
                a.mov(.i64, .rcx, v)
                a.test(size, .rcx, .rcx)
            }
            return .e
        }
        var cc: Condition
        switch op.comparison! {
        case .eq: cc = .e
        case .ne: cc = .ne
        case .ltS: cc = .l
        case .ltU: cc = .b
        case .gtS: cc = .g
        case .gtU: cc = .a
        case .leS: cc = .le
        case .leU: cc = .be
        case .geS: cc = .ge
        case .geU: cc = .ae
        default: cc = .e
        }
        var lhs = intOperand(operands[0]), rhs = intOperand(operands[1])
        if case .immediate = lhs, !Self.isImmediate(rhs) {
            swap(&lhs, &rhs)
            cc = Self.swapped(cc)
        }
        switch (lhs, rhs) {
        case (.register(let r), .register(let s)): a.cmp(size, r, s)
        case (.register(let r), .memory(let m)): a.cmp(size, r, m)
        case (.memory(let m), .register(let s)): a.cmp(size, m, s)
        case (.register(let r), .immediate(let v)) where Int32(exactly: v) != nil: a.cmp(size, r, Int32(v))
        case (.memory(let m), .immediate(let v)) where Int32(exactly: v) != nil: a.cmp(size, m, Int32(v))
        default:
            load(lhs, into: .rax, size, &a)
            load(rhs, into: .rcx, size, &a)
            a.cmp(size, .rax, .rcx)
        }
        return cc
    }

    static func isImmediate(_ operand: IntOperand) -> Bool {
        if case .immediate = operand { return true }
        return false
    }

    /// The condition for the operands swapped (`a < b` is `b > a`).
    static func swapped(_ cc: Condition) -> Condition {
        switch cc {
        case .l: return .g
        case .g: return .l
        case .le: return .ge
        case .ge: return .le
        case .b: return .a
        case .a: return .b
        case .be: return .ae
        case .ae: return .be
        default: return cc
        }
    }

    /// `select`: cmov for integers (fused with the compare right before it, when there is
    /// one), a short branch for floats.
    mutating func emitSelect(_ condition: IRValue, _ ifTrue: IRValue, _ ifFalse: IRValue, result: IRValue,
                             previous: IRInstruction?, _ a: inout X64Assembler) {
        let type = valueType(result)
        if type == .f32 || type == .f64 {
            testNonZero(condition, &a)
            let skip = a.newLabel()
            let t = floatRegister(ifTrue, scratch: .xmm1, &a)
            a.movaps(.xmm0, t)
            a.j(.ne, skip)
            a.movaps(.xmm0, floatRegister(ifFalse, scratch: .xmm1, &a))
            a.bind(skip)
            let d = resultXMM(result)
            if d != .xmm0 { a.movaps(d, .xmm0) }
            finish(result, d, &a)
            return
        }
        let size = Self.size(type)
        // The flags first; after them only `mov`s, which keep the flags.
        var cc = Condition.ne
        if intervals.fusedCompares.contains(condition.id), let previous, previous.results.first == condition,
            case .numeric(let op, let operands) = previous.operation
        {
            cc = emitCompare(op, operands, &a)
        } else {
            testNonZero(condition, &a)
        }
        var trueOperand = intOperand(ifTrue), falseOperand = intOperand(ifFalse)
        if case .immediate(let v) = trueOperand {
            a.mov(.i64, .rcx, size == .i32 ? Int64(UInt32(truncatingIfNeeded: v)) : v)
            trueOperand = .register(.rcx)
        }
        if case .immediate(let v) = falseOperand {
            a.mov(.i64, .rax, size == .i32 ? Int64(UInt32(truncatingIfNeeded: v)) : v)
            falseOperand = .register(.rax)
        }
        let d = resultRegister(result)
        if trueOperand == .register(d) {
            cmov(cc.negated, size, d, falseOperand, &a)
        } else if falseOperand == .register(d) {
            cmov(cc, size, d, trueOperand, &a)
        } else {
            switch falseOperand {
            case .register(let r): a.mov(.i64, d, r)
            case .memory(let m): a.mov(.i64, d, m)
            case .immediate: break
            }
            cmov(cc, size, d, trueOperand, &a)
        }
        finish(result, d, &a)
    }

    mutating func cmov(_ cc: Condition, _ size: OperandSize, _ d: GPR, _ operand: IntOperand, _ a: inout X64Assembler) {
        switch operand {
        case .register(let r): a.cmov(cc, size, d, r)
        case .memory(let m): a.cmov(cc, size, d, m)
        case .immediate: break  // loaded into a register above
        }
    }
}
