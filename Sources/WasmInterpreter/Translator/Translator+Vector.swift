import WasmCore

/// SIMD translation. A v128 is two stack entries whose slots are consecutive (low half first):
/// a local's pair, a temporary's two home slots, or the result pair of a vector instruction.
/// Every way a v128 gets onto the stack keeps that, and data movement (materialising,
/// branch values, call arguments) is per slot, so it keeps it too. Vector instructions take
/// the first slot of each pair. No peephole applies to them (`emit` resets `lastProducer`).
extension FunctionTranslator {
    /// Pushes the two entries of a v128 temporary and returns its first home slot.
    @discardableResult
    mutating func pushVectorTemp() -> Int {
        let dst = home(stack.count)
        push(dst)
        push(dst + 1)
        return dst
    }

    /// Pops a v128 and returns its first slot.
    mutating func popVector() -> Int {
        _ = pop()
        return pop()
    }

    /// `select` of two v128s.
    mutating func vectorSelect() {
        let condition = pop()
        let b = popVector(), a = popVector()
        let dst = pushVectorTemp()
        emit(Word.make(.select128, a: a, b: b, c: dst))
        code.append(UInt64(condition))
    }

    /// `local.set`/`local.tee` of the v128 local whose first slot is `local`.
    mutating func vectorLocalSet(_ local: Int, tee: Bool) {
        let top = stack.count - 1
        let value = stack[top - 1]
        if value == local {
            if !tee { _ = popVector() }
            return
        }
        // Entries that read the local's old value are saved first.
        for k in 0..<(top - 1) where stack[k] == local || stack[k] == local + 1 { materialize(k) }
        emit(Word.make(.copy128, a: stack[top - 1], c: local))
        if tee {
            stack[top - 1] = local
            stack[top] = local + 1
        } else {
            _ = popVector()
        }
    }

    static func vectorLoadOp(_ op: LoadOp) -> Op {
        switch op {
        case .v128Load: .load128
        case .v128Load8x8S: .load8x8S
        case .v128Load8x8U: .load8x8U
        case .v128Load16x4S: .load16x4S
        case .v128Load16x4U: .load16x4U
        case .v128Load32x2S: .load32x2S
        case .v128Load32x2U: .load32x2U
        case .v128Load8Splat: .load8Splat
        case .v128Load16Splat: .load16Splat
        case .v128Load32Splat: .load32Splat
        case .v128Load64Splat: .load64Splat
        case .v128Load32Zero: .load32Zero
        case .v128Load64Zero: .load64Zero
        // Scalar loads have their own ops (`loadOp`).
        case .i32Load, .i64Load, .f32Load, .f64Load, .i32Load8S, .i32Load8U, .i32Load16S, .i32Load16U, .i64Load8S,
            .i64Load8U, .i64Load16S, .i64Load16U, .i64Load32S, .i64Load32U:
            FunctionTranslator.loadOp(op)
        }
    }

    static func laneMemoryOp(_ op: LaneMemoryOp) -> Op {
        switch op {
        case .v128Load8Lane: .load8Lane
        case .v128Load16Lane: .load16Lane
        case .v128Load32Lane: .load32Lane
        case .v128Load64Lane: .load64Lane
        case .v128Store8Lane: .store8Lane
        case .v128Store16Lane: .store16Lane
        case .v128Store32Lane: .store32Lane
        case .v128Store64Lane: .store64Lane
        }
    }

    /// Pops the operands of the given types (the last one first); returns the slot of each
    /// (the first slot of a v128), in operand order.
    mutating func popOperands(_ types: [ValueType]) -> [Int] {
        var slots = [Int](repeating: 0, count: types.count)
        for i in types.indices.reversed() { slots[i] = types[i] == .v128 ? popVector() : pop() }
        return slots
    }

    /// The SIMD instructions but vector loads and stores (see `translate`).
    mutating func vectorInstruction(_ ins: Instruction) {
        switch ins {
        case .v128Const(let v):
            let dst = pushVectorTemp()
            emit(Word.make(.const128, c: dst))
            code.append(v.low)
            code.append(v.high)
        case .i8x16Shuffle(let lanes):
            let b = popVector(), a = popVector()
            let dst = pushVectorTemp()
            emit(Word.make(.shuffle128, a: a, b: b, c: dst))
            code.append(lanes.low)
            code.append(lanes.high)
        case .vector(let op):
            let sig = op.signature
            let operands = popOperands(sig.operands)
            let dst = home(stack.count)
            emit(Word.make(Op.vector(op), a: operands[0], b: operands.count > 1 ? operands[1] : 0, c: dst))
            if operands.count == 3 { code.append(UInt64(operands[2])) }
            if sig.result == .v128 { pushVectorTemp() } else { push(dst) }
        case .vectorLane(let op, let lane):
            let sig = op.signature
            let operands = popOperands(sig.operands)
            let dst = home(stack.count)
            emit(Word.make(Op.vectorLane(op), a: operands[0], b: operands.count > 1 ? operands[1] : 0, c: dst) | UInt64(lane))
            if sig.result == .v128 { pushVectorTemp() } else { push(dst) }
        case .laneMemory(let op, let m, let lane):
            let v = popVector()
            var addr = pop()
            let other = isOtherMemory(m)
            if other {
                beginMemoryAccess(m, address: addr, size: op.byteWidth)
                addr = zeroSlot
            }
            if op.isStore {
                emit(Word.make(FunctionTranslator.laneMemoryOp(op), a: addr, b: v) | UInt64(lane))
            } else {
                let dst = home(stack.count)
                emit(Word.make(FunctionTranslator.laneMemoryOp(op), a: addr, b: v, c: dst) | UInt64(lane))
                pushVectorTemp()
            }
            code.append(other ? 0 : m.offset)
            if other { emit(Word.make(.memoryRestore)) }
        default:
            break
        }
    }
}
