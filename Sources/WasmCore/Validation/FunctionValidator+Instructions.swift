/// The typing rule of each instruction (spec §3.3), on the validator's stacks.
extension FunctionValidator {
    // MARK: Instructions

    /// Validates one instruction at byte `offset` of the module.
    public mutating func visit(_ instruction: Instruction, offset: UInt32) throws(ValidationError) {
        self.offset = offset
        guard !controls.isEmpty else { throw error("instruction after the end of the function") }
        switch instruction {
        case .numeric(let op):
            let sig = NumericSignatures.table[NumericSignatures.slot(op)]
            if let second = sig.second { try pop(second) }
            try pop(sig.first)
            push(sig.result)

        case .vector(let op):
            let sig = VectorSignatures.table[Int(op.rawValue)]
            if let third = sig.third { try pop(third) }
            if let second = sig.second { try pop(second) }
            try pop(sig.first)
            push(sig.result)
        case .v128Const:
            push(.v128)
        case .i8x16Shuffle(let lanes):
            if lanes.bytes.contains(where: { $0 >= 32 }) { throw error("invalid lane index") }
            try pop(.v128)
            try pop(.v128)
            push(.v128)
        case .vectorLane(let op, let lane):
            if lane >= op.laneCount { throw error("invalid lane index") }
            let sig = op.signature
            for t in sig.operands.reversed() { try pop(t) }
            push(sig.result)
        case .laneMemory(let op, let arg, let lane):
            let address = try checkMemArg(arg, natural: op.naturalAlignment)
            if lane >= op.laneCount { throw error("invalid lane index") }
            try pop(.v128)
            try pop(address)
            if !op.isStore { push(.v128) }

        case .localGet(let x):
            let t = try local(x)
            if tracksInitialization, !t.isDefaultable, !initialized.contains(x), x >= type.params.count {
                throw error("uninitialized local \(x)")
            }
            push(t)
        case .localSet(let x):
            let t = try local(x)
            try pop(t)
            noteSet(x, t)
        case .localTee(let x):
            let t = try local(x)
            try pop(t)
            noteSet(x, t)
            push(t)
        case .globalGet(let x):
            let t = try global(x).valueType
            push(t)
        case .globalSet(let x):
            let g = try global(x)
            if g.mutability != .variable { throw error("immutable global: global is immutable") }
            try pop(g.valueType)

        case .i32Const: push(.i32)
        case .i64Const: push(.i64)
        case .f32Const: push(.f32)
        case .f64Const: push(.f64)

        case .load(let op, let arg):
            let address = try checkMemArg(arg, natural: op.naturalAlignment)
            try pop(address)
            push(op.resultType)
        case .store(let op, let arg):
            let address = try checkMemArg(arg, natural: op.naturalAlignment)
            try pop(op.valueType)
            try pop(address)

        case .nop:
            break
        case .unreachable:
            markUnreachable()
        case .drop:
            _ = try pop()
        case .select:
            try pop(.i32)
            let t1 = try pop()
            let t2 = try pop()
            if t1?.isReference == true || t2?.isReference == true { throw mismatch() }
            if let t1, let t2, t1 != t2 { throw mismatch() }
            push(t1 ?? t2)
        case .typedSelect(let types):
            guard types.count == 1 else { throw error("invalid result arity") }
            let t = types[0]
            try checkValueType(t)
            try pop(.i32)
            try pop(t)
            try pop(t)
            push(t)

        case .block(let bt):
            let (start, end) = try blockTypes(bt)
            try pop(start)
            pushControl(.block, bt, start: start, end: end)
        case .tryTable(let bt, let table):
            let (start, end) = try blockTypes(bt)
            for clause in table.catches { try checkCatch(clause) }
            try pop(start)
            pushControl(.block, bt, start: start, end: end)
        case .throw(let tag):
            guard let type = context.tagType(tag) else { throw error("unknown tag \(tag)") }
            try pop(type.params)
            markUnreachable()
        case .throwRef:
            try pop(.exnref)
            markUnreachable()
        case .legacyTry(let bt):
            let (start, end) = try blockTypes(bt)
            try pop(start)
            pushControl(.legacyTry, bt, start: start, end: end)
        case .legacyCatch(let tag):
            let kind = controls[controls.count - 1].kind
            guard kind == .legacyTry || kind == .legacyCatch else { throw error("catch without matching try") }
            guard let type = context.tagType(tag) else { throw error("unknown tag \(tag)") }
            let frame = try popControl()
            pushControl(.legacyCatch, frame.blockType, start: type.params, end: frame.endTypes)
        case .legacyCatchAll:
            let kind = controls[controls.count - 1].kind
            guard kind == .legacyTry || kind == .legacyCatch else { throw error("catch_all without matching try") }
            let frame = try popControl()
            pushControl(.legacyCatchAll, frame.blockType, start: [], end: frame.endTypes)
        case .delegate(let depth):
            guard controls[controls.count - 1].kind == .legacyTry else { throw error("delegate without matching try") }
            let frame = try popControl()
            _ = try label(depth)  // relative to the labels around the try
            push(frame.endTypes)
        case .rethrow(let depth):
            let kind = try label(depth).kind
            guard kind == .legacyCatch || kind == .legacyCatchAll else { throw error("invalid rethrow label") }
            markUnreachable()
        case .loop(let bt):
            let (start, end) = try blockTypes(bt)
            try pop(start)
            pushControl(.loop, bt, start: start, end: end)
        case .if(let bt):
            let (start, end) = try blockTypes(bt)
            try pop(.i32)
            try pop(start)
            pushControl(.if, bt, start: start, end: end)
        case .else:
            guard controls[controls.count - 1].kind == .if else { throw error("else without matching if") }
            let frame = try popControl()
            pushControl(.else, frame.blockType, start: frame.startTypes, end: frame.endTypes)
        case .end:
            let frame = try popControl()
            if frame.kind == .if && !context.hierarchy.isSubtype(frame.startTypes, frame.endTypes) { throw mismatch() }
            if frame.kind != .function { push(frame.endTypes) }

        case .br(let depth):
            try pop(try label(depth).labelTypes)
            markUnreachable()
        case .brIf(let depth):
            let types = try label(depth).labelTypes
            try pop(.i32)
            try pop(types)
            push(types)
        case .brTable(let table):
            try pop(.i32)
            let defaultTypes = try label(table.defaultTarget).labelTypes
            for target in table.targets {
                let types = try label(target).labelTypes
                if types.count != defaultTypes.count { throw mismatch() }
                try peek(types)
            }
            try pop(defaultTypes)
            markUnreachable()
        case .return:
            try pop(controls[0].endTypes)
            markUnreachable()

        case .call(let x):
            let callee = try function(x)
            try pop(callee.params)
            push(callee.results)
        case .callIndirect(let typeIndex, let tableIndex):
            let t = try table(tableIndex)
            let callee = try funcType(typeIndex)
            if !context.hierarchy.isSubtype(t.elementType, .funcref) { throw mismatch() }
            try pop(t.addressType.valueType)
            try pop(callee.params)
            push(callee.results)
        case .returnCall(let x):
            let callee = try function(x)
            if !context.hierarchy.isSubtype(callee.results, type.results) { throw mismatch() }
            try pop(callee.params)
            markUnreachable()
        case .returnCallIndirect(let typeIndex, let tableIndex):
            let t = try table(tableIndex)
            let callee = try funcType(typeIndex)
            if !context.hierarchy.isSubtype(t.elementType, .funcref) { throw mismatch() }
            if !context.hierarchy.isSubtype(callee.results, type.results) { throw mismatch() }
            try pop(t.addressType.valueType)
            try pop(callee.params)
            markUnreachable()

        case .callRef(let typeIndex):
            let callee = try funcType(typeIndex)
            try pop(.ref(RefType(nullable: true, .concrete(typeIndex))))
            try pop(callee.params)
            push(callee.results)
        case .returnCallRef(let typeIndex):
            let callee = try funcType(typeIndex)
            if !context.hierarchy.isSubtype(callee.results, type.results) { throw mismatch() }
            try pop(.ref(RefType(nullable: true, .concrete(typeIndex))))
            try pop(callee.params)
            markUnreachable()
        case .brOnNull(let depth):
            let types = try label(depth).labelTypes
            let operand = try popReference()
            try pop(types)
            push(types)
            push(operand.map { .ref(RefType(nullable: false, $0.heapType)) })
        case .brOnNonNull(let depth):
            let types = try label(depth).labelTypes
            guard case .ref(let target)? = types.last else { throw mismatch() }
            try pop(.ref(RefType(nullable: true, target.heapType)))
            let carried = Array(types.dropLast())
            try pop(carried)
            push(carried)

        case .refNull(let heapType):
            try checkHeapType(heapType)
            push(.ref(RefType(nullable: true, heapType)))
        case .refIsNull:
            _ = try popReference()
            push(.i32)
        case .refAsNonNull:
            let operand = try popReference()
            push(operand.map { .ref(RefType(nullable: false, $0.heapType)) })
        case .refFunc(let x):
            _ = try function(x)
            if !context.isDeclared(x) { throw error("undeclared function reference") }
            push(.ref(RefType(nullable: false, .concrete(context.functionTypeIndices[Int(x)]))))

        case .tableGet(let x):
            let t = try table(x)
            try pop(t.addressType.valueType)
            push(.ref(t.elementType))
        case .tableSet(let x):
            let t = try table(x)
            try pop(.ref(t.elementType))
            try pop(t.addressType.valueType)
        case .tableSize(let x):
            push(try table(x).addressType.valueType)
        case .tableGrow(let x):
            let t = try table(x)
            try pop(t.addressType.valueType)
            try pop(.ref(t.elementType))
            push(t.addressType.valueType)
        case .tableFill(let x):
            let t = try table(x)
            try pop(t.addressType.valueType)
            try pop(.ref(t.elementType))
            try pop(t.addressType.valueType)
        case .tableCopy(let dst, let src):
            let d = try table(dst)
            let s = try table(src)
            if !context.hierarchy.isSubtype(s.elementType, d.elementType) { throw mismatch() }
            try pop(AddressType.min(d.addressType, s.addressType).valueType)
            try pop(s.addressType.valueType)
            try pop(d.addressType.valueType)
        case .tableInit(let elem, let tableIndex):
            let t = try table(tableIndex)
            let e = try element(elem)
            if !context.hierarchy.isSubtype(e, t.elementType) { throw mismatch() }
            try pop(.i32)
            try pop(.i32)
            try pop(t.addressType.valueType)
        case .elemDrop(let elem):
            _ = try element(elem)

        case .memorySize(let m):
            push(try memory(m).addressType.valueType)
        case .memoryGrow(let m):
            let address = try memory(m).addressType.valueType
            try pop(address)
            push(address)
        case .memoryFill(let m):
            let address = try memory(m).addressType.valueType
            try pop(address)
            try pop(.i32)
            try pop(address)
        case .memoryCopy(let dst, let src):
            let d = try memory(dst).addressType, s = try memory(src).addressType
            try pop(AddressType.min(d, s).valueType)
            try pop(s.valueType)
            try pop(d.valueType)
        case .memoryInit(let data, let m):
            let address = try memory(m).addressType.valueType
            try checkData(data)
            try pop(.i32)
            try pop(.i32)
            try pop(address)
        case .dataDrop(let data):
            try checkData(data)
        }
    }

    /// A catch clause of a `try_table`: its label (outside the `try_table`) must take what the
    /// clause passes (the tag's values, then the `exnref` for the `_ref` forms).
    mutating func checkCatch(_ clause: Catch) throws(ValidationError) {
        var passed: [ValueType] = []
        if clause.matchesTag {
            guard let type = context.tagType(clause.tag) else { throw error("unknown tag \(clause.tag)") }
            passed = type.params
        }
        if clause.passesReference { passed.append(.ref(RefType(nullable: false, .exception))) }
        let target = try label(clause.label).labelTypes
        if !context.hierarchy.isSubtype(passed, target) { throw mismatch() }
    }
}
