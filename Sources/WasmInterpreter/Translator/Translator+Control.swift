import WasmCore
import WasmRuntime

extension FunctionTranslator {
    /// Slots of a block's params and results.
    func blockArity(_ bt: BlockType) -> (params: Int, results: Int) {
        switch bt {
        case .empty: (0, 0)
        case .value(let t): (0, RawValue.slotCount(t))
        case .typeIndex(let i): (RawValue.slotCount(types[Int(i)].params), RawValue.slotCount(types[Int(i)].results))
        }
    }

    /// Before a block: entries that reference locals become temporaries (a
    /// `local.set` inside the block could otherwise change them on one path
    /// only), and the block's params move to their home slots.
    mutating func prepareBlockEntry(params: Int) {
        let n = stack.count
        for i in 0..<n where stack[i] < localsEnd || i >= n - params { materialize(i) }
    }

    mutating func enterBlock(_ kind: ControlFrame.Kind, _ bt: BlockType) {
        let (p, r) = blockArity(bt)
        prepareBlockEntry(params: p)
        var c = ControlFrame(kind: kind, height: stack.count - p, paramCount: p, resultCount: r)
        if kind == .loop {
            placeLabel()
            c.loopStart = code.count
            // Every iteration passes the check (and no loop rotation skips it: a head branch
            // must start the loop).
            if interruptible { emit(Word.make(.interruptCheck)) }
        }
        controls.append(c)
    }

    mutating func enterIf(_ bt: BlockType) throws {
        let (p, r) = blockArity(bt)
        let cond = pop()
        let condDepth = stack.count
        prepareBlockEntry(params: p)
        var c = ControlFrame(kind: .if, height: stack.count - p, paramCount: p, resultCount: r)
        c.elseFixup = try emitConditionalBranch(cond: cond, condDepth: condDepth, whenTrue: false)
        controls.append(c)
    }

    mutating func elseArm() {
        var c = controls.removeLast()
        if reachable {
            for i in stack.count - c.resultCount..<stack.count { materialize(i) }
            c.fixups.append(emitJumpPlaceholder())
            c.endReachable = true
        }
        placeLabel()
        if let e = c.elseFixup { patch(e, to: code.count) }
        c.elseFixup = nil
        stack.removeSubrange(c.height...)
        for i in 0..<c.paramCount { push(home(c.height + i)) }
        reachable = true
        controls.append(c)
    }

    /// `try_table`: a stub per catch clause (jumped over), then the body as a block. A stub
    /// runs with the stack as it was below the block's params plus the payload in the next
    /// slots, and branches to the clause's label.
    mutating func enterTryTable(_ bt: BlockType, _ table: TryTable) {
        let (p, _) = blockArity(bt)
        prepareBlockEntry(params: p)
        let height = stack.count - p
        let saved = stack
        let skip = emitJumpPlaceholder()
        var stubs: [CatchStub] = []
        for clause in table.catches {
            placeLabel()
            stack = Array(saved[..<height])
            let values = clause.matchesTag ? RawValue.slotCount(tagTypes[Int(clause.tag)].params) : 0
            let target = code.count
            for _ in 0..<values + (clause.passesReference ? 1 : 0) { pushTemp() }
            emitBranch(toControl: controls.count - 1 - Int(clause.label))
            stubs.append(CatchStub(clause: clause, target: target, firstSlot: home(height), valueSlots: values,
                                   referenceSlot: clause.passesReference ? home(height) + values : -1))
        }
        stack = saved
        placeLabel()
        patch(skip, to: code.count)
        enterBlock(.block, bt)
        controls[controls.count - 1].region = handlerRegions.open(control: controls.count - 1, at: code.count,
                                                                  handlers: stubs)
    }

    /// Legacy `try`: a block with a region; its caught exceptions go to the slot of its nesting level.
    mutating func enterLegacyTry(_ bt: BlockType) {
        let level = controls.filter { $0.exceptionSlot >= 0 }.count
        enterBlock(.block, bt)
        controls[controls.count - 1].exceptionSlot = exceptionSlotBase + level
        controls[controls.count - 1].region = handlerRegions.open(control: controls.count - 1, at: code.count)
    }

    /// Legacy `catch tag` / `catch_all` (`tag` nil): the previous part of the `try` ends (like
    /// `else`); the clause's body starts with the payload at the block's height.
    mutating func legacyCatch(tag: UInt32?) {
        var c = controls.removeLast()
        if reachable {
            for i in stack.count - c.resultCount..<stack.count { materialize(i) }
            c.fixups.append(emitJumpPlaceholder())
            c.endReachable = true
        }
        controls.append(c)
        handlerRegions.close(control: controls.count - 1, at: code.count)
        placeLabel()
        let target = code.count
        if stack.count > c.height { stack.removeSubrange(c.height...) }
        let values = tag.map { RawValue.slotCount(tagTypes[Int($0)].params) } ?? 0
        for _ in 0..<values { pushTemp() }
        let clause = tag.map { Catch(kind: .tag, tag: $0, label: 0) } ?? Catch(kind: .all, label: 0)
        handlerRegions.addHandler(
            CatchStub(clause: clause, target: target, firstSlot: home(c.height), valueSlots: values,
                      referenceSlot: c.exceptionSlot), to: c.region)
        reachable = true
    }

    /// Legacy `delegate l`: ends the `try`; what its body throws goes to the region open at label
    /// `l` (counted from outside the `try`).
    mutating func delegate(_ depth: Int) {
        let top = controls.count - 1
        handlerRegions.delegate(control: top, toLabel: top - 1 - depth, at: code.count)
        end()
    }

    /// Legacy `rethrow l`: throws the exception the clause at label `l` caught.
    mutating func rethrow(_ depth: Int) {
        emit(Word.make(.throwRef, a: controls[controls.count - 1 - depth].exceptionSlot))
        reachable = false
    }

    /// `throw`: the tag's values go to the driver (w1 = tag index, B = slots, their list after w1).
    mutating func throwException(tag: Int) {
        let n = RawValue.slotCount(tagTypes[tag].params)
        let base = stack.count - n
        emit(Word.make(.throw, b: n))
        code.append(UInt64(tag))
        emitArgumentSlots(stack[base...])  // (no slice alive at removeSubrange: see `call`)
        stack.removeSubrange(base...)
        reachable = false
    }

    mutating func end() {
        handlerRegions.close(control: controls.count - 1, at: code.count)
        var c = controls.removeLast()
        if c.kind == .function {
            if reachable { emitReturn() }
            reachable = false
            return
        }
        if reachable {
            for i in stack.count - c.resultCount..<stack.count { materialize(i) }
            c.endReachable = true
        }
        placeLabel()
        if let e = c.elseFixup {
            // An `if` without `else`: the false path carries the params (= results) to the end.
            patch(e, to: code.count)
            c.endReachable = true
        }
        for f in c.fixups { patch(f, to: code.count) }
        if stack.count > c.height { stack.removeSubrange(c.height...) }
        for i in 0..<c.resultCount { push(home(c.height + i)) }
        reachable = c.endReachable
    }

    // MARK: Branches

    /// An unconditional `br` whose offset is patched later.
    mutating func emitJumpPlaceholder() -> Fixup {
        let at = code.count
        emit(Word.make(.br, rel: 0))
        return Fixup(at: at, base: at, inHead: true)
    }

    /// Records a branch to the label `controls[index]`.
    mutating func addBranch(_ f: Fixup, toControl index: Int) {
        if controls[index].kind == .loop {
            patch(f, to: controls[index].loopStart)
        } else {
            controls[index].fixups.append(f)
            controls[index].endReachable = true
        }
    }

    /// Emits a branch taken when `(cond != 0) == whenTrue`, fusing it with
    /// the comparison that produced `cond` when that was the last instruction.
    mutating func emitConditionalBranch(cond: Int, condDepth: Int, whenTrue: Bool) throws -> Fixup {
        if let cmp = lastCompare, cmp.pos == code.count - 1, cmp.depth == condDepth, cond == home(condDepth) {
            code.removeLast()
            forgetRemovedProducers()
            lastCompare = nil
            lastProducer = -1
            let at = code.count
            switch cmp.op {
            case .i32Eqz, .i64Eqz:
                // `eqz (x & y)`: test the `and`'s operands directly when it came right before.
                if eqzOfAnd >= 0, eqzOfAnd == code.count - 1, eqzOfAnd >= labelPosition {
                    let last = code.removeLast()
                    forgetRemovedProducers()
                    retractInstruction(at: code.count)
                    let pos = code.count
                    emit(Word.make(whenTrue ? .brAndZ : .brAndNZ, a: Word.a(last), b: Word.b(last)))
                    code.append(0)
                    return Fixup(at: pos + 1, base: pos, inHead: false)
                }
                emit(Word.make(whenTrue ? .brAndZ : .brAndNZ, a: cmp.a, b: cmp.a))
                code.append(0)
                return Fixup(at: at + 1, base: at, inHead: false)
            case .i32And, .i64And:
                emit(Word.make(whenTrue ? .brAndNZ : .brAndZ, a: cmp.a, b: cmp.b))
                code.append(0)
                return Fixup(at: at + 1, base: at, inHead: false)
            default:
                let branchOp = try FunctionTranslator.fusedBranch(cmp.op, negated: !whenTrue)
                // `x = y + z; if x op w`: one `addBrI32…` when the add came right before.
                if compareAfterAdd >= 0, compareAfterAdd == code.count - 1, compareAfterAdd >= labelPosition,
                    branchOp.afterAdd != nil,
                    Word.c(code[compareAfterAdd]) == cmp.a || Word.c(code[compareAfterAdd]) == cmp.b
                {
                    let add = code.removeLast()
                    forgetRemovedProducers()
                    let sum = Word.c(add)
                    // The sum is the left operand: swap the comparison when it is the right one.
                    let (op, other) = sum == cmp.a ? (branchOp, cmp.b) : (FunctionTranslator.swapped(branchOp), cmp.a)
                    let pos = code.count
                    let fused = op.afterAdd!
                    emit(Word.make(fused, a: Word.a(add), b: Word.b(add), c: sum))
                    code.append(UInt64(other) << 32)
                    return Fixup(at: pos + 1, base: pos, inHead: false, low32: true)
                }
                emit(Word.make(branchOp, a: cmp.a, b: cmp.b))
                code.append(0)
                return Fixup(at: at + 1, base: at, inHead: false)
            }
        }
        let at = code.count
        emit(Word.make(whenTrue ? .brAndNZ : .brAndZ, a: cond, b: cond))
        code.append(0)
        return Fixup(at: at + 1, base: at, inHead: false)
    }

    /// The i32 compare-and-branch taken on `b op a` when this one is taken on `a op b`.
    static func swapped(_ op: Op) -> Op {
        switch op {
        case .brI32LtS: .brI32GtS
        case .brI32GtS: .brI32LtS
        case .brI32LtU: .brI32GtU
        case .brI32GtU: .brI32LtU
        case .brI32LeS: .brI32GeS
        case .brI32GeS: .brI32LeS
        case .brI32LeU: .brI32GeU
        case .brI32GeU: .brI32LeU
        default: op  // eq, ne
        }
    }

    static func fusedBranch(_ op: NumericOp, negated: Bool) throws -> Op {
        let positive: Op
        switch op {
        case .i32Eq: positive = negated ? .brI32Ne : .brI32Eq
        case .i32Ne: positive = negated ? .brI32Eq : .brI32Ne
        case .i32LtS: positive = negated ? .brI32GeS : .brI32LtS
        case .i32LtU: positive = negated ? .brI32GeU : .brI32LtU
        case .i32GtS: positive = negated ? .brI32LeS : .brI32GtS
        case .i32GtU: positive = negated ? .brI32LeU : .brI32GtU
        case .i32LeS: positive = negated ? .brI32GtS : .brI32LeS
        case .i32LeU: positive = negated ? .brI32GtU : .brI32LeU
        case .i32GeS: positive = negated ? .brI32LtS : .brI32GeS
        case .i32GeU: positive = negated ? .brI32LtU : .brI32GeU
        case .i64Eq: positive = negated ? .brI64Ne : .brI64Eq
        case .i64Ne: positive = negated ? .brI64Eq : .brI64Ne
        case .i64LtS: positive = negated ? .brI64GeS : .brI64LtS
        case .i64LtU: positive = negated ? .brI64GeU : .brI64LtU
        case .i64GtS: positive = negated ? .brI64LeS : .brI64GtS
        case .i64GtU: positive = negated ? .brI64LeU : .brI64GtU
        case .i64LeS: positive = negated ? .brI64GtS : .brI64LeS
        case .i64LeU: positive = negated ? .brI64GtU : .brI64LeU
        case .i64GeS: positive = negated ? .brI64LtS : .brI64GeS
        case .i64GeU: positive = negated ? .brI64LtU : .brI64GeU
        default: throw InterpreterError("internal translator error: \(op) is not a fusable comparison")
        }
        return positive
    }

    /// Do the top values need copying to reach the label's slots?
    func labelNeedsCopy(_ c: ControlFrame) -> Bool {
        let n = c.labelArity
        for i in 0..<n where stack[stack.count - n + i] != home(c.height + i) { return true }
        return false
    }

    /// Copies the values a branch carries into the label's slots. Forward
    /// order is safe: a value's slot is never below its destination.
    mutating func emitLabelCopies(_ c: ControlFrame) {
        let n = c.labelArity
        for i in 0..<n {
            let src = stack[stack.count - n + i], dst = home(c.height + i)
            if src != dst { emit(Word.make(.copy, a: src, c: dst)) }
        }
    }

    /// Copies the label values and jumps to `controls[index]` (returns for the function label).
    mutating func emitBranch(toControl index: Int) {
        let c = controls[index]
        if c.kind == .function {
            emitReturn()
            return
        }
        emitLabelCopies(c)
        if c.kind == .loop, let head = c.headBranch, let inverted = FunctionTranslator.inverted(head.word) {
            // Rotate: branch back past the head while the loop continues; else leave to the head's target.
            let at = code.count
            emit(inverted)
            code.append(UInt64(bitPattern: Int64(c.loopStart + 2 - at)))
            addBranch(emitJumpPlaceholder(), toControl: head.target)
            return
        }
        addBranch(emitJumpPlaceholder(), toControl: index)
    }

    /// The head word of a conditional branch with the opposite condition, if it has one.
    static func inverted(_ word: UInt64) -> UInt64? {
        guard let op = Word.decodedOp(word) else { return nil }
        let opposite: Op
        switch op {
        case .brI32Eq: opposite = .brI32Ne
        case .brI32Ne: opposite = .brI32Eq
        case .brI32LtS: opposite = .brI32GeS
        case .brI32GeS: opposite = .brI32LtS
        case .brI32LtU: opposite = .brI32GeU
        case .brI32GeU: opposite = .brI32LtU
        case .brI32GtS: opposite = .brI32LeS
        case .brI32LeS: opposite = .brI32GtS
        case .brI32GtU: opposite = .brI32LeU
        case .brI32LeU: opposite = .brI32GtU
        case .brI64Eq: opposite = .brI64Ne
        case .brI64Ne: opposite = .brI64Eq
        case .brI64LtS: opposite = .brI64GeS
        case .brI64GeS: opposite = .brI64LtS
        case .brI64LtU: opposite = .brI64GeU
        case .brI64GeU: opposite = .brI64LtU
        case .brI64GtS: opposite = .brI64LeS
        case .brI64LeS: opposite = .brI64GtS
        case .brI64GtU: opposite = .brI64LeU
        case .brI64LeU: opposite = .brI64GtU
        case .brAndNZ: opposite = .brAndZ
        case .brAndZ: opposite = .brAndNZ
        default: return nil
        }
        return Word.withOp(word, opposite)
    }

    mutating func branch(_ depth: Int) {
        emitBranch(toControl: controls.count - 1 - depth)
        reachable = false
    }

    mutating func branchIf(_ depth: Int) throws {
        let cond = pop()
        let condDepth = stack.count
        let index = controls.count - 1 - depth
        let c = controls[index]
        if c.kind != .function && !labelNeedsCopy(c) {
            let f = try emitConditionalBranch(cond: cond, condDepth: condDepth, whenTrue: true)
            let innermost = controls.count - 1
            if controls[innermost].kind == .loop && controls[innermost].loopStart == f.base && index != innermost {
                controls[innermost].headBranch = (code[f.base], index)
            }
            addBranch(f, toControl: index)
            return
        }
        let skip = try emitConditionalBranch(cond: cond, condDepth: condDepth, whenTrue: false)
        emitBranch(toControl: index)
        placeLabel()
        patch(skip, to: code.count)
    }

    mutating func branchTable(_ table: BrTable) {
        let index = pop()
        let labels = table.targets + [table.defaultTarget]
        let head = code.count
        emit(Word.make(.brTable, a: index, rel: labels.count - 1))
        for _ in labels { code.append(0) }
        var stubs: [Int: Int] = [:]  // control index → stub position
        var needStub: [(entry: Int, control: Int)] = []
        for (i, l) in labels.enumerated() {
            let ci = controls.count - 1 - Int(l)
            let entry = head + 1 + i
            if controls[ci].kind != .function && !labelNeedsCopy(controls[ci]) {
                addBranch(Fixup(at: entry, base: head, inHead: false), toControl: ci)
            } else {
                needStub.append((entry, ci))
            }
        }
        for (entry, ci) in needStub {
            if let s = stubs[ci] {
                code[entry] = UInt64(bitPattern: Int64(s - head))
                continue
            }
            placeLabel()
            let s = code.count
            stubs[ci] = s
            code[entry] = UInt64(bitPattern: Int64(s - head))
            emitBranch(toControl: ci)
        }
        reachable = false
    }

    /// Moves the results to `fp[0..<n]` and returns. Leaves the operand stack as is.
    mutating func emitReturn() {
        let n = resultCount
        if n == 1 {
            emit(Word.make(.ret1, a: stack[stack.count - 1]))
            return
        }
        let base = stack.count - n
        parallelMove((0..<n).map { (dst: $0, src: stack[base + $0]) })
        emit(Word.make(.ret))
    }

    // MARK: Calls

    func functionType(_ f: Int) -> FuncType { types[Int(functionTypes[f])] }

    /// Appends the argument source slots of a call, four 16-bit slots per word.
    mutating func emitArgumentSlots(_ sources: ArraySlice<Int>) {
        var word: UInt64 = 0
        for (k, slot) in sources.enumerated() {
            word |= UInt64(slot) << (16 * UInt64(k % 4))
            if k % 4 == 3 {
                code.append(word)
                word = 0
            }
        }
        if sources.count % 4 != 0 { code.append(word) }
    }

    /// A call: the callee's frame starts at the home slot of the first
    /// argument; the instruction lists where each argument is, and the call
    /// handler gathers them (no separate copies for locals and constants).
    mutating func call(_ f: Int) {
        let t = functionType(f)
        let base = stack.count - RawValue.slotCount(t.params)
        if f < importCount || traced {
            emit(Word.make(.callImport, a: home(base), b: RawValue.slotCount(t.params)))
            code.append(UInt64(f))
        } else {
            emit(Word.make(.call, a: home(base), b: RawValue.slotCount(t.params)))
            code.append(UInt64(UInt(bitPattern: functionInfos + f)))
        }
        // No slice of `stack` may outlive this line: alive during `removeSubrange`, it
        // would make every call copy the whole operand stack (quadratic; found by fuzzing).
        emitArgumentSlots(stack[base...])
        stack.removeSubrange(base...)
        for _ in 0..<RawValue.slotCount(t.results) { pushTemp() }
    }

    mutating func callIndirect(typeIndex: Int, table: Int) {
        push(tableIndex(pop(), table: table))
        callThroughSlot(traced ? .callIndirectSlow : .callIndirect, type: types[typeIndex],
                        immediate: UInt64(typeIndex) | UInt64(table) << 32)
    }

    /// A call whose callee is found at run time from the slot on top (a table index or a
    /// function reference): args at `fp + A`, that slot in B, C argument slots, w1 = `immediate`.
    mutating func callThroughSlot(_ op: Op, type t: FuncType, immediate: UInt64) {
        let operand = pop()
        let base = stack.count - RawValue.slotCount(t.params)
        emit(Word.make(op, a: home(base), b: operand, c: RawValue.slotCount(t.params)))
        code.append(immediate)
        emitArgumentSlots(stack[base...])  // (no slice alive at removeSubrange: see `call`)
        stack.removeSubrange(base...)
        for _ in 0..<RawValue.slotCount(t.results) { pushTemp() }
    }

    mutating func callRef(typeIndex: Int) {
        callThroughSlot(traced ? .callRefSlow : .callRef, type: types[typeIndex], immediate: UInt64(typeIndex))
    }

    mutating func returnCallRef(typeIndex: Int) {
        tailCallThroughSlot(traced ? .returnCallRefSlow : .returnCallRef, type: types[typeIndex],
                            immediate: UInt64(typeIndex))
    }

    /// `br_on_null` / `br_on_non_null`: branches to label `depth` when the reference in slot
    /// `reference` is null (or not); the label's values are on the stack.
    mutating func branchOnReference(_ depth: Int, reference: Int, whenNull: Bool) {
        let index = controls.count - 1 - depth
        func test(branchWhenNull: Bool) -> Fixup {
            let at = code.count
            emit(Word.make(branchWhenNull ? .brAndZ : .brAndNZ, a: reference, b: reference))
            code.append(0)
            return Fixup(at: at + 1, base: at, inHead: false)
        }
        if controls[index].kind != .function && !labelNeedsCopy(controls[index]) {
            addBranch(test(branchWhenNull: whenNull), toControl: index)
            return
        }
        let skip = test(branchWhenNull: !whenNull)
        emitBranch(toControl: index)
        placeLabel()
        patch(skip, to: code.count)
    }

    /// Moves the top `n` values (the callee's arguments) to `fp[0..<n]`.
    mutating func moveTailCallArguments(_ n: Int) {
        let base = stack.count - n
        parallelMove((0..<n).map { (dst: $0, src: stack[base + $0]) })
    }

    mutating func returnCall(_ f: Int) {
        moveTailCallArguments(RawValue.slotCount(functionType(f).params))
        if f < importCount || traced {
            emit(Word.make(.returnCallImport))
            code.append(UInt64(f))
        } else {
            emit(Word.make(.returnCall))
            code.append(UInt64(UInt(bitPattern: functionInfos + f)))
        }
        reachable = false
    }

    mutating func returnCallIndirect(typeIndex: Int, table: Int) {
        push(tableIndex(pop(), table: table))
        tailCallThroughSlot(traced ? .returnCallIndirectSlow : .returnCallIndirect, type: types[typeIndex],
                            immediate: UInt64(typeIndex) | UInt64(table) << 32)
    }

    /// A tail call whose callee is found at run time from the slot on top (a table index or a
    /// function reference): the arguments move to `fp[0..<n]`, that slot to B, w1 = `immediate`.
    mutating func tailCallThroughSlot(_ op: Op, type t: FuncType, immediate: UInt64) {
        let operand = pop()
        let n = RawValue.slotCount(t.params)
        let base = stack.count - n
        let moves = (0..<n).map { (dst: $0, src: stack[base + $0]) }
        // Park the operand just above the arguments: no move reads or writes that slot
        // (destinations are below n, sources below it).
        let safe = home(stack.count)
        if operand != safe { emit(Word.make(.copy, a: operand, c: safe)) }
        push(safe)  // the moves' scratch slots start above it
        parallelMove(moves)
        _ = pop()
        emit(Word.make(op, b: safe))
        code.append(immediate)
        reachable = false
    }
}
