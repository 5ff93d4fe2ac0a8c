import WasmCore

extension FunctionTranslator {
    /// Translates one reachable instruction.
    mutating func translate(_ ins: Instruction) throws {
        switch ins {
        case .v128Const, .vector, .vectorLane, .laneMemory, .i8x16Shuffle:
            vectorInstruction(ins)
        // Control
        case .unreachable:
            emit(Word.make(.unreachable))
            reachable = false
        case .nop: break
        case .block(let bt): enterBlock(.block, bt)
        case .loop(let bt): enterBlock(.loop, bt)
        case .if(let bt): try enterIf(bt)
        case .else: elseArm()
        case .end: end()
        case .br(let l): branch(Int(l))
        case .brIf(let l): try branchIf(Int(l))
        case .brTable(let table): branchTable(table)
        case .return:
            emitReturn()
            reachable = false
        case .call(let f): call(Int(f))
        case .callIndirect(let t, let table): callIndirect(typeIndex: Int(t), table: Int(table))
        case .returnCall(let f): returnCall(Int(f))
        case .returnCallIndirect(let t, let table): returnCallIndirect(typeIndex: Int(t), table: Int(table))
        case .callRef(let t): callRef(typeIndex: Int(t))
        case .returnCallRef(let t): returnCallRef(typeIndex: Int(t))
        case .tryTable(let bt, let table): enterTryTable(bt, table)
        case .legacyTry(let bt): enterLegacyTry(bt)
        case .legacyCatch(let tag): legacyCatch(tag: tag)
        case .legacyCatchAll: legacyCatch(tag: nil)
        case .delegate(let l): delegate(Int(l))
        case .rethrow(let l): rethrow(Int(l))
        case .throw(let tag): throwException(tag: Int(tag))
        case .throwRef:
            emit(Word.make(.throwRef, a: pop()))
            reachable = false
        case .brOnNull(let l):
            let reference = pop()
            branchOnReference(Int(l), reference: reference, whenNull: true)
            push(reference)
        case .brOnNonNull(let l):
            branchOnReference(Int(l), reference: stack[stack.count - 1], whenNull: false)
            _ = pop()

        // Parametric
        case .drop:
            if operandIsVector(depth: 0) { _ = pop() }
            _ = pop()
        case .select, .typedSelect:
            if operandIsVector(depth: 1) {
                vectorSelect()
            } else {
                let c = pop(), b = pop(), a = pop()
                emitProducer(.select, a: a, b: b, extra: UInt64(c))
            }

        // Variables
        case .localGet(let i):
            let s = slot(ofLocal: Int(i))
            push(s)
            if isVectorLocal(Int(i)) { push(s + 1) }
        case .localSet(let i):
            if isVectorLocal(Int(i)) { vectorLocalSet(slot(ofLocal: Int(i)), tee: false) } else { localSet(slot(ofLocal: Int(i)), tee: false) }
        case .localTee(let i):
            if isVectorLocal(Int(i)) { vectorLocalSet(slot(ofLocal: Int(i)), tee: true) } else { localSet(slot(ofLocal: Int(i)), tee: true) }
        case .globalGet(let g) where Int(g) < globalTypes.count && globalTypes[Int(g)] == .v128:
            let dst = pushVectorTemp()
            emit(Word.make(.globalGet128, index: Int(g), c: dst))
        case .globalSet(let g) where Int(g) < globalTypes.count && globalTypes[Int(g)] == .v128:
            _ = pop()
            let v = pop()
            emit(Word.make(.globalSet128, index: Int(g), c: v))
        case .globalGet(let g):
            let dst = home(stack.count)
            let pos = code.count
            emit(Word.make(.globalGet, index: Int(g), c: dst))
            push(dst)
            lastProducer = pos
            lastProducerDepth = stack.count - 1
        case .globalSet(let g):
            let v = pop()
            emit(Word.make(.globalSet, index: Int(g), c: v))

        // Tables
        case .tableGet(let t):
            let i = tableIndex(pop(), table: Int(t))
            emitProducer(.tableGet, a: i, extra: UInt64(t))
        case .tableSet(let t):
            let v = pop(), i = tableIndex(pop(), table: Int(t))
            emit(Word.make(.tableSet, a: i, b: v))
            code.append(UInt64(t))
        case .tableInit(let e, let t):
            let n = pop(), s = pop(), d = pop()
            emit(Word.make(.tableInit, a: d, b: s, c: n))
            code.append(UInt64(t) | UInt64(e) << 32)
        case .elemDrop(let e):
            emit(Word.make(.elemDrop, index: Int(e)))
        case .tableCopy(let dt, let st):
            let n = pop(), s = pop(), d = pop()
            emit(Word.make(.tableCopy, a: d, b: s, c: n))
            code.append(UInt64(dt) | UInt64(st) << 32)
        case .tableGrow(let t):
            let n = pop(), v = pop()
            emitProducer(.tableGrow, a: v, b: n, extra: UInt64(t))
        case .tableSize(let t):
            emitProducer(.tableSize, extra: UInt64(t))
        case .tableFill(let t):
            let n = pop(), v = pop(), i = pop()
            emit(Word.make(.tableFill, a: i, b: v, c: n))
            code.append(UInt64(t))

        // Memory
        case .load(let op, let m) where isOtherMemory(m):
            let addr = pop()
            beginMemoryAccess(m, address: addr, size: op.byteWidth)
            if op.resultType == .v128 {
                let dst = pushVectorTemp()
                emit(Word.make(FunctionTranslator.vectorLoadOp(op), a: zeroSlot, b: zeroSlot, c: dst))
                code.append(0)
            } else {
                emitProducer(FunctionTranslator.loadOp(op), a: zeroSlot, b: zeroSlot, extra: 0)
            }
            emit(Word.make(.memoryRestore))
        case .store(let op, let m) where isOtherMemory(m):
            if op.valueType == .v128 { _ = pop() }
            let v = pop(), addr = pop()
            beginMemoryAccess(m, address: addr, size: op.byteWidth)
            emit(Word.make(op.valueType == .v128 ? .store128 : FunctionTranslator.storeOp(op), a: zeroSlot, b: zeroSlot, c: v))
            code.append(0)
            emit(Word.make(.memoryRestore))
        case .load(let op, let m) where op.resultType == .v128:
            let addr = pop()
            let dst = pushVectorTemp()
            emit(Word.make(FunctionTranslator.vectorLoadOp(op), a: addr, b: zeroSlot, c: dst))
            code.append(m.offset)
        case .store(let op, let m) where op.valueType == .v128:
            _ = pop()
            let v = pop(), addr = pop()
            emit(Word.make(.store128, a: addr, b: zeroSlot, c: v))
            code.append(m.offset)
        case .load(let op, let m):
            let addr = pop()
            let loadOp = FunctionTranslator.loadOp(op)
            let shl = previousProducer, shlDepth = previousProducerDepth
            if let (a, b) = takeFusableAdd(addressDepth: stack.count, slot: addr) {
                if loadOp == .load32 || loadOp == .load64, m.offset <= 0xFFFF_FFFF,
                    let (op, x, y, w1, k) = takeScaledIndex(
                        at: shl, depth: shlDepth, addressDepth: stack.count, a, b, wide: loadOp == .load64, offset: m.offset)
                {
                    emitProducer(op, a: x, b: y, extra: w1)
                    code[lastProducer] |= k
                } else {
                    emitProducer(loadOp, a: a, b: b, extra: m.offset)
                }
            } else {
                emitProducer(loadOp, a: addr, b: zeroSlot, extra: m.offset)
            }
        case .store(let op, let m):
            let v = pop(), addr = pop()
            let (a, b) =
                takeFusableAdd(addressDepth: stack.count, slot: addr)
                ?? takeEarlierAdd(addressDepth: stack.count, slot: addr) ?? (addr, zeroSlot)
            emit(Word.make(FunctionTranslator.storeOp(op), a: a, b: b, c: v))
            code.append(m.offset)
        case .memorySize(let memory):
            if memory == 0 { emitProducer(.memorySize) } else { emitProducer(.memorySizeOf, extra: UInt64(memory)) }
        case .memoryGrow(let memory):
            let d = pop()
            emitProducer(.memoryGrow, a: d, extra: UInt64(memory))
        case .memoryInit(let data, let memory):
            let n = pop(), s = pop(), d = pop()
            emit(Word.make(.memoryInit, a: d, b: s, c: n))
            code.append(UInt64(data) | UInt64(memory) << 32)
        case .dataDrop(let data):
            emit(Word.make(.dataDrop, index: Int(data)))
        case .memoryCopy(let dst, let src):
            let n = pop(), s = pop(), d = pop()
            emit(Word.make(.memoryCopy, a: d, b: s, c: n))
            code.append(UInt64(dst) | UInt64(src) << 32)
        case .memoryFill(let memory):
            let n = pop(), v = pop(), d = pop()
            emit(Word.make(.memoryFill, a: d, b: v, c: n))
            code.append(UInt64(memory))

        // Constants and references
        case .i32Const, .i64Const, .f32Const, .f64Const, .refNull:
            constant(FunctionTranslator.constantValue(ins)!)
        case .refIsNull:
            let a = pop()
            emitProducer(.i64Eqz, a: a)
            lastCompare = (lastProducer, .i64Eqz, a, 0, stack.count - 1)
            eqzOfAnd = -1
        case .refAsNonNull:
            emit(Word.make(.refAsNonNull, a: stack[stack.count - 1]))
        case .refFunc(let f):
            let dst = home(stack.count)
            emit(Word.make(.refFunc, index: Int(f), c: dst))
            push(dst)

        case .numeric(let op): numeric(op)
        }
    }

    mutating func constant(_ value: UInt64) {
        if let slot = constSlots[value] {
            push(slot)
        } else {
            emitProducer(.const64, extra: value)
        }
    }

    mutating func localSet(_ i: Int, tee: Bool) {
        let top = stack.count - 1
        let v = stack[top]
        if v == i {
            if !tee { _ = pop() }
            return
        }
        let referenced = stack[0..<top].contains(i)
        if !referenced, lastProducer >= 0, lastProducerDepth == top, v == home(top) {
            // Fold: the producer writes straight into the local.
            code[lastProducer] = (code[lastProducer] & 0x0000_FFFF_FFFF_FFFF) | UInt64(i) << 48
            lastProducer = -1
            lastCompare = nil
            if tee { stack[top] = i } else { _ = pop() }
            return
        }
        if referenced, lastProducer >= 0, lastProducerDepth == top, v == home(top),
            FunctionTranslator.isPure(Word.op(code[lastProducer]))
        {
            // `local.get x … (producer) local.tee x`: the copies that save x's old value
            // go before the producer, which then writes straight into x.
            let pos = lastProducer
            let words = Array(code[pos...])
            code.removeSubrange(pos...)
            forgetRemovedProducers()
            for k in 0..<top where stack[k] == i { materialize(k) }
            moveSourcePosition(from: pos, to: code.count)
            if top < producerAt.count { producerAt[top] = code.count }
            code.append((words[0] & 0x0000_FFFF_FFFF_FFFF) | UInt64(i) << 48)
            code.append(contentsOf: words.dropFirst())
            lastProducer = -1
            previousProducer = -1
            lastCompare = nil
            if tee { stack[top] = i } else { _ = pop() }
            return
        }
        if referenced {
            for k in 0..<top where stack[k] == i { materialize(k) }
        }
        emit(Word.make(.copy, a: v, c: i))
        if !tee { _ = pop() }
    }

    /// Instructions that cannot trap and only read slots and write field C: they may be
    /// moved past copies that write other slots.
    static func isPure(_ op: Op) -> Bool {
        switch op {
        case .select, .globalGet: return true
        default: return op.numericOp.map { !$0.canTrap } ?? Fusion.isFused(op)
        }
    }

    /// The instruction that was at `from` (the last one) now starts at `to`, after code
    /// emitted for the instruction being translated: map `from..<to` to that instruction
    /// and `to` to the moved one's wasm offset.
    mutating func moveSourcePosition(from: Int, to: Int) {
        guard to > from, let current = sourceMap.last else { return }
        let moved = sourceMap.last(where: { Int($0.code) <= from })?.wasm ?? current.wasm
        while let last = sourceMap.last, Int(last.code) >= from { sourceMap.removeLast() }
        sourceMap.append((UInt32(from), current.wasm))
        sourceMap.append((UInt32(to), moved))
    }

    static func isBinary(_ op: NumericOp) -> Bool { op.arity == 2 }

    /// `eqz` and the integer comparisons.
    static func isIntegerCompare(_ op: NumericOp) -> Bool {
        (op.kind == .test || op.kind == .compare) && (op.operandType == .i32 || op.operandType == .i64)
    }

    mutating func numeric(_ op: NumericOp) {
        switch op {
        case .i32ReinterpretF32, .i64ReinterpretF64, .f32ReinterpretI32, .f64ReinterpretI64, .i64ExtendI32U:
            // Same raw slot value (i32 slots are zero-extended).
            return
        default: break
        }
        if FunctionTranslator.isBinary(op) {
            let b = pop(), a = pop()
            if fusePair(Op.numeric(op), a, b) { return }
            let previous = lastHead
            emitProducer(Op.numeric(op), a: a, b: b)
            if FunctionTranslator.isIntegerCompare(op) || op == .i32And || op == .i64And {
                lastCompare = (lastProducer, op, a, b, stack.count - 1)
                let isAdd = previous >= 0 && previous == lastProducer - 1 && Word.op(code[previous]) == .i32Add
                compareAfterAdd = isAdd ? previous : -1
            }
        } else {
            let a = pop()
            let and = lastProducer
            emitProducer(Op.numeric(op), a: a)
            if op == .i32Eqz || op == .i64Eqz {
                lastCompare = (lastProducer, op, a, 0, stack.count - 1)
                let isAnd = and >= 0 && and == lastProducer - 1 && a == home(stack.count - 1)
                    && (Word.op(code[and]) == .i32And || Word.op(code[and]) == .i64And) && Word.c(code[and]) == a
                eqzOfAnd = isAnd ? and : -1
            }
        }
    }

    /// Fuses the binary `op` (operands `a`, `b`, already popped) into the instruction
    /// just emitted when that one produced an operand as a temporary and the pair is one
    /// of `Fusion`'s: `(x op y) sh k` or `(x sh k) op y` (k a pooled constant), or
    /// `(x op1 y) op2 z`.
    mutating func fusePair(_ op: Op, _ a: Int, _ b: Int) -> Bool {
        guard lastProducer >= 0, lastProducer == code.count - 1 else { return false }
        let prev = code[lastProducer], prevOp = Word.op(prev)
        let depth = stack.count
        let t = home(lastProducerDepth)
        guard Word.c(prev) == t, lastProducerDepth == depth || lastProducerDepth == depth + 1,
            (a == t) != (b == t)
        else { return false }
        func isConstant(_ slot: Int) -> Bool { slot >= localsEnd && slot < stackBase }
        func amount(_ slot: Int, _ sh: Op) -> UInt64 {
            let (_, wide, rotr) = Fusion.shift(sh)!
            let mask: UInt64 = wide ? 63 : 31
            let k = constValues[slot - localsEnd] & mask
            return rotr ? (mask + 1 - k) & mask : k
        }
        // The temporary must be the first operand unless `op` commutes.
        let other = a == t ? b : a
        guard a == t || Fusion.isCommutative(op) else { return false }
        var word: UInt64, extra: UInt64? = nil
        if Fusion.shift(op) != nil {
            // (x op y) sh k: the shifted value is the temporary, the amount a constant.
            guard a == t, isConstant(b), let f = Fusion.opThenShift(prevOp, op) else { return false }
            word = Word.make(f, a: Word.a(prev), b: Word.b(prev), c: home(depth)) | amount(b, op)
        } else if Fusion.shift(prevOp) != nil {
            // (x sh k) op y
            guard isConstant(Word.b(prev)), let f = Fusion.shiftThenOp(prevOp, op) else { return false }
            word = Word.make(f, a: Word.a(prev), b: other, c: home(depth)) | amount(Word.b(prev), prevOp)
        } else if let f = Fusion.opThenOp(prevOp, op) {
            // (x op1 y) op2 z
            word = Word.make(f, a: Word.a(prev), b: Word.b(prev), c: home(depth))
            extra = UInt64(other)
        } else {
            return false
        }
        code[lastProducer] = word
        if let e = extra { code.append(e) }
        push(home(depth))
        lastProducerDepth = depth
        producerAt[depth] = lastProducer
        previousProducer = -1
        lastCompare = nil
        return true
    }

    /// If the last instruction is the `i32.add` that produced the address
    /// (a temporary at `addressDepth` consumed only here), removes it and
    /// returns its operands for a fused `[a + b + offset]` access.
    mutating func takeFusableAdd(addressDepth: Int, slot: Int) -> (Int, Int)? {
        guard lastProducer >= 0, lastProducer == code.count - 1, lastProducerDepth == addressDepth,
            slot == home(addressDepth),
            Word.decodedOp(code[lastProducer]) == .i32Add
        else { return nil }
        let word = code.removeLast()
        forgetRemovedProducers()
        retractInstruction(at: code.count)
        lastProducer = -1
        lastCompare = nil
        return (Word.a(word), Word.b(word))
    }

    /// After removing instructions at the end of the code: `producerAt` must not
    /// point past it (a later instruction could start elsewhere).
    mutating func forgetRemovedProducers() {
        for k in producerAt.indices where producerAt[k] >= code.count { producerAt[k] = -1 }
    }

    /// For a store whose address was computed by an `i32.add` before its value (the
    /// address temporary at `addressDepth` consumed only here): if only straight-line
    /// instructions that write neither add operand follow that add, removes it (shifting
    /// the code after it) and returns its operands for a fused `[a + b + offset]` store.
    mutating func takeEarlierAdd(addressDepth: Int, slot: Int) -> (Int, Int)? {
        guard addressDepth < producerAt.count, slot == home(addressDepth) else { return nil }
        let p = producerAt[addressDepth]
        guard p >= 0, p >= labelPosition, p < code.count - 1, Word.decodedOp(code[p]) == .i32Add,
            Word.c(code[p]) == slot
        else { return nil }
        let x = Word.a(code[p]), y = Word.b(code[p])
        var i = p + 1
        while i < code.count {
            guard let op = Word.decodedOp(code[i]) else { return nil }
            let c = Word.c(code[i])
            if c == x || c == y || c == slot { return nil }
            switch op {
            case .copy, .globalGet: i += 1
            case .const64, .load32, .load64, .load8S32, .load8U, .load16S32, .load16U, .load8S64, .load16S64, .load32S64,
                .load32Shl, .load64Shl, .load32OrShl, .load64OrShl, .load32AddShl, .load64AddShl:
                i += 2
            default:
                guard op.isNumericOrFused else { return nil }
                i += op.length
            }
        }
        guard i == code.count else { return nil }
        code.remove(at: p)
        for k in sourceMap.indices where sourceMap[k].code > UInt32(p) { sourceMap[k].code -= 1 }
        if let k = sourceMap.firstIndex(where: { $0.code == UInt32(p) }), k + 1 < sourceMap.count,
            sourceMap[k + 1].code == UInt32(p)
        {
            sourceMap.remove(at: k)
        }
        for k in producerAt.indices where producerAt[k] >= p { producerAt[k] = producerAt[k] == p ? -1 : producerAt[k] - 1 }
        lastProducer = -1
        previousProducer = -1
        lastCompare = nil
        return (x, y)
    }

    /// After `takeFusableAdd` removed `a + b` for a `load32`/`load64` (`wide`): if the
    /// instruction now last (at `position`, producing the add's operand at `depth`) computed
    /// a or b as a scaled index — `i32.shl` by a constant, or a fused `i32OrShl`/`i32AddShl` —
    /// removes it and returns the load that does it all: (op, A, B, w1, k for the head).
    mutating func takeScaledIndex(
        at position: Int, depth: Int, addressDepth: Int, _ a: Int, _ b: Int, wide: Bool, offset: UInt64
    ) -> (Op, Int, Int, UInt64, UInt64)? {
        guard position >= 0, position == code.count - 1, a != b,
            depth == addressDepth || depth == addressDepth + 1
        else { return nil }
        let word = code[position]
        let index = Word.c(word)
        guard index == home(depth), index == a || index == b else { return nil }
        let base = index == a ? b : a
        let fused: (Op, Int, Int, UInt64, UInt64)
        switch Word.op(word) {
        case .i32Shl:
            // [(x << k) + base + offset]: w1 = offset | k << 32.
            let amount = Word.b(word)
            guard amount >= localsEnd, amount < stackBase else { return nil }
            let k = constValues[amount - localsEnd] & 31
            fused = (wide ? .load64Shl : .load32Shl, Word.a(word), base, offset | k << 32, 0)
        case .i32OrShl, .i32AddShl:
            // [((x op y) << k) + base + offset]: w1 = offset | base << 32, k in the head.
            let op: Op = Word.op(word) == .i32OrShl ? (wide ? .load64OrShl : .load32OrShl) : (wide ? .load64AddShl : .load32AddShl)
            fused = (op, Word.a(word), Word.b(word), offset | UInt64(base) << 32, Word.k(word))
        default:
            return nil
        }
        code.removeLast()
        forgetRemovedProducers()
        retractInstruction(at: code.count)
        return fused
    }

    /// After removing the instruction emitted at `position`, attributes that
    /// position to the instruction being translated (for trap offsets).
    mutating func retractInstruction(at position: Int) {
        guard let current = sourceMap.last, Int(current.code) > position else { return }
        sourceMap.removeLast()
        while let last = sourceMap.last, Int(last.code) >= position { sourceMap.removeLast() }
        sourceMap.append((UInt32(position), current.wasm))
    }

    /// Is `m` an access to another memory than a 32-bit memory 0 (multi-memory, memory64)?
    /// Those take the `memoryAccess` prefix; the access itself then addresses byte 0 of what
    /// the prefix points the memory registers at, and `memoryRestore` follows it.
    func isOtherMemory(_ m: MemArg) -> Bool { m.memory != 0 || memory64[0] }

    /// Emits the `memoryAccess` prefix of an access of `size` bytes at `m` to the address in `address`.
    mutating func beginMemoryAccess(_ m: MemArg, address: Int, size: Int) {
        emit(Word.make(.memoryAccess, a: address))
        code.append(m.offset)
        code.append(UInt64(m.memory) | UInt64(size) << 32 | (memory64[Int(m.memory)] ? 1 << 48 : 0))
    }

    /// The slot of a table index operand: a table64 index is clamped to u32 first (`clampIndex`),
    /// as the table instructions read u32 indices.
    mutating func tableIndex(_ slot: Int, table: Int) -> Int {
        guard table64[table] else { return slot }
        emitProducer(.clampIndex, a: slot)
        return pop()
    }

    static func loadOp(_ op: LoadOp) -> Op {
        switch op {
        case .i32Load, .f32Load, .i64Load32U: .load32
        case .i64Load, .f64Load: .load64
        case .i32Load8S: .load8S32
        case .i32Load8U, .i64Load8U: .load8U
        case .i32Load16S: .load16S32
        case .i32Load16U, .i64Load16U: .load16U
        case .i64Load8S: .load8S64
        case .i64Load16S: .load16S64
        case .i64Load32S: .load32S64
        // Vector loads have their own ops (`vectorLoadOp`), as they write two slots.
        case .v128Load, .v128Load8x8S, .v128Load8x8U, .v128Load16x4S, .v128Load16x4U, .v128Load32x2S, .v128Load32x2U,
            .v128Load8Splat, .v128Load16Splat, .v128Load32Splat, .v128Load64Splat, .v128Load32Zero, .v128Load64Zero:
            vectorLoadOp(op)
        }
    }

    static func storeOp(_ op: StoreOp) -> Op {
        switch op {
        case .i32Store, .f32Store, .i64Store32: .store32
        case .i64Store, .f64Store: .store64
        case .i32Store8, .i64Store8: .store8
        case .i32Store16, .i64Store16: .store16
        case .v128Store: .store128  // (translated on its own: it reads two slots)
        }
    }
}
