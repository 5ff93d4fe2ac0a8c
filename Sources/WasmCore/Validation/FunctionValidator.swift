/// Validates one function body with the operand/control stack algorithm of
/// the spec's validation appendix. It is driven one instruction at a time
/// (`visit(_:offset:)`), so a translator can walk a body once and read the
/// operand types and control frames the validator keeps as it goes.
///
/// The operand stack holds `ValueType?`: `nil` is the "unknown" type that
/// unreachable code pops from an empty, stack-polymorphic frame.
public struct FunctionValidator: Sendable {
    /// What opened a control frame.
    public enum FrameKind: UInt8, Sendable {
        case function, block, loop, `if`, `else`
    }

    /// One entry of the control stack.
    public struct ControlFrame: Sendable {
        public var kind: FrameKind
        /// The block type as written (`.typeIndex` of the function's type for the function frame).
        public var blockType: BlockType
        /// Parameter types of the block.
        public var startTypes: [ValueType]
        /// Result types of the block.
        public var endTypes: [ValueType]
        /// Operand stack height when the frame was entered (below its parameters).
        public var height: Int
        /// Set after an unconditional branch: the rest of the frame is stack-polymorphic.
        public var unreachable: Bool

        /// The types a branch to this frame's label carries.
        @inlinable public var labelTypes: [ValueType] { kind == .loop ? startTypes : endTypes }
    }

    public let context: ValidationContext
    /// Index of the function in the function index space (for error reports).
    public private(set) var functionIndex: UInt32
    /// The function's signature.
    public private(set) var type: FuncType
    /// Parameters followed by declared locals.
    public private(set) var locals: LocalTypes
    /// The operand stack; `nil` entries are of unknown type.
    public var operands: [ValueType?] { stack.elements }
    /// Its storage (validation's hottest data: no copy-on-write check per push and pop).
    private var stack = OperandStack()
    /// The control stack; index 0 is the function frame. Empty once the final `end` was visited.
    public private(set) var controls: [ControlFrame] = []
    /// The type of the operand `depth` below the top (0 = the top), nil when unknown
    /// (polymorphic) or absent. Engines that follow a validated body use it for the few
    /// instructions whose operand type is not written in them (`drop`, `select`).
    public func operandType(depth: Int) -> ValueType? {
        let i = stack.count - 1 - depth
        return i >= 0 ? stack[i] : nil
    }

    /// The most operands on the stack at once so far.
    public private(set) var maxOperandHeight = 0

    // Cached fields of the innermost frame.
    private var topHeight = 0
    private var topUnreachable = false
    private var offset: UInt32 = 0

    /// Prepares to validate the body of function `functionIndex` of `context`.
    /// `locals` are the declared locals (parameters excluded).
    public init(context: ValidationContext, functionIndex: UInt32, locals: [ValueType]) throws(ValidationError) {
        try self.init(context: context, functionIndex: functionIndex, localDeclarations: locals.map { (1, $0) })
    }

    /// Prepares to validate the body of function `functionIndex` of `context`,
    /// with the body's local declarations as written (parameters excluded).
    public init(
        context: ValidationContext, functionIndex: UInt32, localDeclarations: [(count: UInt32, type: ValueType)]
    ) throws(ValidationError) {
        self.init(context: context)
        try reset(functionIndex: functionIndex, localDeclarations: localDeclarations)
    }

    /// A validator for the bodies of `context`, to be `reset` to each body in turn
    /// (its stacks keep their capacity from one body to the next).
    public init(context: ValidationContext) {
        self.context = context
        functionIndex = 0
        type = FuncType(params: [], results: [])
        locals = LocalTypes([])
        controls.reserveCapacity(16)
    }

    /// Starts validating the body of function `functionIndex`, with the body's local
    /// declarations as written (parameters excluded).
    public mutating func reset(
        functionIndex: UInt32, localDeclarations: [(count: UInt32, type: ValueType)]
    ) throws(ValidationError) {
        guard Int(functionIndex) < context.functionTypeIndices.count else {
            throw ValidationError("unknown function \(functionIndex)")
        }
        let typeIndex = context.functionTypeIndices[Int(functionIndex)]
        guard Int(typeIndex) < context.types.count else {
            throw ValidationError("unknown type \(typeIndex)", functionIndex: functionIndex)
        }
        self.functionIndex = functionIndex
        type = context.types[Int(typeIndex)]
        locals = LocalTypes(params: type.params, declarations: localDeclarations)
        stack.reset()
        controls.removeAll(keepingCapacity: true)
        topHeight = 0
        topUnreachable = false
        offset = 0
        maxOperandHeight = 0
        controls.append(
            ControlFrame(
                kind: .function, blockType: .typeIndex(typeIndex), startTypes: [], endTypes: type.results,
                height: 0, unreachable: false))
    }

    /// Convenience: validates a whole body. Returns the most operands it has on the stack at once.
    @discardableResult
    public static func validate(
        _ body: FunctionBody, functionIndex: UInt32, context: ValidationContext
    ) throws(ValidationError) -> Int {
        let decoded: DecodedBody
        do { decoded = try body.decoded() } catch {
            throw ValidationError(error.message, functionIndex: functionIndex, offset: error.offset)
        }
        return try validate(
            decoded.instructions, offsets: decoded.offsets, bodyOffset: body.bodyOffset,
            localDeclarations: body.localDeclarations, functionIndex: functionIndex, context: context)
    }

    /// Validates decoded instructions (the final `end` included). Returns the most operands
    /// on the stack at once.
    static func validate(
        _ instructions: [Instruction], offsets: [UInt32], bodyOffset: UInt32,
        localDeclarations: [(count: UInt32, type: ValueType)], functionIndex: UInt32, context: ValidationContext
    ) throws(ValidationError) -> Int {
        var validator = try FunctionValidator(
            context: context, functionIndex: functionIndex, localDeclarations: localDeclarations)
        let hasOffsets = offsets.count == instructions.count
        for (i, instruction) in instructions.enumerated() {
            try validator.visit(instruction, offset: hasOffsets ? offsets[i] : bodyOffset)
        }
        try validator.finish()
        return validator.maxOperandHeight
    }

    // MARK: Queries

    /// True once the function's final `end` has been visited.
    @inlinable public var isFinished: Bool { controls.isEmpty }

    /// Is the code at the current position unreachable (stack-polymorphic)?
    public var isUnreachable: Bool { topUnreachable }

    /// The number of operands of the innermost frame (above its base height).
    public var frameOperandCount: Int { stack.count - topHeight }

    /// The frame a branch of depth `depth` targets, or nil for an unknown label.
    public func frame(atDepth depth: UInt32) -> ControlFrame? {
        Int(depth) < controls.count ? controls[controls.count - 1 - Int(depth)] : nil
    }

    /// Checks that the body was complete (every frame closed).
    public func finish() throws(ValidationError) {
        if !controls.isEmpty { throw error("unexpected end of function body") }
    }

    // MARK: Stack primitives

    @inline(__always)
    private func error(_ message: String) -> ValidationError {
        ValidationError(message, functionIndex: functionIndex, offset: Int(offset))
    }

    @inline(__always)
    private func mismatch() -> ValidationError { error("type mismatch") }

    @inline(__always)
    private mutating func push(_ type: ValueType?) {
        stack.append(type)
        if stack.count > maxOperandHeight { maxOperandHeight = stack.count }
    }

    @inline(__always)
    private mutating func push(_ types: [ValueType]) {
        for t in types { stack.append(t) }
        if stack.count > maxOperandHeight { maxOperandHeight = stack.count }
    }

    /// pop_val(): the top operand, or unknown in an unreachable, empty frame.
    @inline(__always)
    private mutating func pop() throws(ValidationError) -> ValueType? {
        if stack.count == topHeight {
            if topUnreachable { return nil }
            throw mismatch()
        }
        return stack.removeLast()
    }

    /// pop_val(expected)
    @inline(__always)
    @discardableResult
    private mutating func pop(_ expected: ValueType) throws(ValidationError) -> ValueType? {
        let actual = try pop()
        if let actual, actual != expected { throw mismatch() }
        return actual
    }

    /// pop_vals(types)
    @inline(__always)
    private mutating func pop(_ types: [ValueType]) throws(ValidationError) {
        for t in types.reversed() { try pop(t) }
    }

    /// Checks, without popping, that the top operands match `types` (what
    /// `push_vals(pop_vals(types))` verifies); missing operands of an
    /// unreachable frame are unknown and match anything.
    // `mutating` only so that self is passed by address: a non-mutating call from `visit`
    // copies the whole validator (168 bytes) for each lookup.
    private mutating func peek(_ types: [ValueType]) throws(ValidationError) {
        var position = stack.count
        for t in types.reversed() {
            position -= 1
            if position < topHeight {
                if topUnreachable { return }
                throw mismatch()
            }
            if let actual = stack[position], actual != t { throw mismatch() }
        }
    }

    private mutating func pushControl(_ kind: FrameKind, _ blockType: BlockType, start: [ValueType], end: [ValueType]) {
        controls.append(
            ControlFrame(
                kind: kind, blockType: blockType, startTypes: start, endTypes: end,
                height: stack.count, unreachable: false))
        topHeight = stack.count
        topUnreachable = false
        push(start)
    }

    /// pop_ctrl(): checks the frame's results are exactly on the stack and removes the frame.
    private mutating func popControl() throws(ValidationError) -> ControlFrame {
        let frame = controls[controls.count - 1]
        try pop(frame.endTypes)
        if stack.count != frame.height { throw mismatch() }
        controls.removeLast()
        if let top = controls.last {
            topHeight = top.height
            topUnreachable = top.unreachable
        } else {
            topHeight = 0
            topUnreachable = false
        }
        return frame
    }

    /// unreachable(): drops the frame's operands and makes it stack-polymorphic.
    private mutating func markUnreachable() {
        stack.truncate(to: topHeight)
        controls[controls.count - 1].unreachable = true
        topUnreachable = true
    }

    // MARK: Lookups

    private mutating func label(_ depth: UInt32) throws(ValidationError) -> ControlFrame {
        guard Int(depth) < controls.count else { throw error("unknown label \(depth)") }
        return controls[controls.count - 1 - Int(depth)]
    }

    private mutating func blockTypes(_ blockType: BlockType) throws(ValidationError) -> (start: [ValueType], end: [ValueType]) {
        switch blockType {
        case .empty: return ([], [])
        case .value(let t): return ([], SingleTypes.list(t))
        case .typeIndex(let index):
            guard Int(index) < context.types.count else { throw error("unknown type \(index)") }
            let type = context.types[Int(index)]
            return (type.params, type.results)
        }
    }

    private mutating func funcType(_ index: UInt32) throws(ValidationError) -> FuncType {
        guard Int(index) < context.types.count else { throw error("unknown type \(index)") }
        return context.types[Int(index)]
    }

    private mutating func function(_ index: UInt32) throws(ValidationError) -> FuncType {
        guard Int(index) < context.functionTypeIndices.count else { throw error("unknown function \(index)") }
        return try funcType(context.functionTypeIndices[Int(index)])
    }

    private mutating func table(_ index: UInt32) throws(ValidationError) -> TableType {
        guard Int(index) < context.tables.count else { throw error("unknown table \(index)") }
        return context.tables[Int(index)]
    }

    private mutating func checkMemory(_ index: UInt32) throws(ValidationError) {
        guard Int(index) < context.memories.count else { throw error("unknown memory \(index)") }
    }

    private mutating func global(_ index: UInt32) throws(ValidationError) -> GlobalType {
        guard Int(index) < context.globals.count else { throw error("unknown global \(index)") }
        return context.globals[Int(index)]
    }

    private mutating func local(_ index: UInt32) throws(ValidationError) -> ValueType {
        guard let type = locals[index] else { throw error("unknown local \(index)") }
        return type
    }

    private mutating func element(_ index: UInt32) throws(ValidationError) -> RefType {
        guard Int(index) < context.elementTypes.count else { throw error("unknown elem segment \(index)") }
        return context.elementTypes[Int(index)]
    }

    private mutating func checkData(_ index: UInt32) throws(ValidationError) {
        guard Int(index) < context.dataCount else { throw error("unknown data segment \(index)") }
    }

    private mutating func checkMemArg(_ arg: MemArg, natural: UInt32) throws(ValidationError) {
        try checkMemory(arg.memory)
        if arg.align > natural { throw error("alignment must not be larger than natural") }
    }

    // MARK: Instructions

    /// Validates one instruction at byte `offset` of the module.
    public mutating func visit(_ instruction: Instruction, offset: UInt32) throws(ValidationError) {
        self.offset = offset
        guard !controls.isEmpty else { throw error("instruction after the end of the function") }
        switch instruction {
        case .numeric(let op):
            let sig = NumericSignatures.table[NumericSignatures.slot(op)]
            if sig.second != 0 { try pop(ValueType(rawValue: sig.second)!) }
            try pop(ValueType(rawValue: sig.first)!)
            push(ValueType(rawValue: sig.result)!)

        case .vector(let op):
            let sig = VectorSignatures.table[Int(op.rawValue)]
            if sig.third != 0 { try pop(ValueType(rawValue: sig.third)!) }
            if sig.second != 0 { try pop(ValueType(rawValue: sig.second)!) }
            try pop(ValueType(rawValue: sig.first)!)
            push(ValueType(rawValue: sig.result)!)
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
            try checkMemArg(arg, natural: op.naturalAlignment)
            if lane >= op.laneCount { throw error("invalid lane index") }
            try pop(.v128)
            try pop(.i32)
            if !op.isStore { push(.v128) }

        case .localGet(let x):
            let t = try local(x)
            push(t)
        case .localSet(let x):
            try pop(try local(x))
        case .localTee(let x):
            let t = try local(x)
            try pop(t)
            push(t)
        case .globalGet(let x):
            let t = try global(x).valueType
            push(t)
        case .globalSet(let x):
            let g = try global(x)
            if g.mutability != .variable { throw error("global is immutable") }
            try pop(g.valueType)

        case .i32Const: push(.i32)
        case .i64Const: push(.i64)
        case .f32Const: push(.f32)
        case .f64Const: push(.f64)

        case .load(let op, let arg):
            try checkMemArg(arg, natural: op.naturalAlignment)
            try pop(.i32)
            push(op.resultType)
        case .store(let op, let arg):
            try checkMemArg(arg, natural: op.naturalAlignment)
            try pop(op.valueType)
            try pop(.i32)

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
            try pop(.i32)
            try pop(t)
            try pop(t)
            push(t)

        case .block(let bt):
            let (start, end) = try blockTypes(bt)
            try pop(start)
            pushControl(.block, bt, start: start, end: end)
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
            if frame.kind == .if && frame.startTypes != frame.endTypes { throw mismatch() }
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
            if t.elementType != .funcref { throw mismatch() }
            try pop(.i32)
            try pop(callee.params)
            push(callee.results)
        case .returnCall(let x):
            let callee = try function(x)
            if callee.results != type.results { throw mismatch() }
            try pop(callee.params)
            markUnreachable()
        case .returnCallIndirect(let typeIndex, let tableIndex):
            let t = try table(tableIndex)
            let callee = try funcType(typeIndex)
            if t.elementType != .funcref { throw mismatch() }
            if callee.results != type.results { throw mismatch() }
            try pop(.i32)
            try pop(callee.params)
            markUnreachable()

        case .refNull(let t):
            push(t.valueType)
        case .refIsNull:
            if let t = try pop(), !t.isReference { throw mismatch() }
            push(.i32)
        case .refFunc(let x):
            _ = try function(x)
            if !context.isDeclared(x) { throw error("undeclared function reference") }
            push(.funcref)

        case .tableGet(let x):
            let t = try table(x)
            try pop(.i32)
            push(t.elementType.valueType)
        case .tableSet(let x):
            let t = try table(x)
            try pop(t.elementType.valueType)
            try pop(.i32)
        case .tableSize(let x):
            _ = try table(x)
            push(.i32)
        case .tableGrow(let x):
            let t = try table(x)
            try pop(.i32)
            try pop(t.elementType.valueType)
            push(.i32)
        case .tableFill(let x):
            let t = try table(x)
            try pop(.i32)
            try pop(t.elementType.valueType)
            try pop(.i32)
        case .tableCopy(let dst, let src):
            let d = try table(dst)
            let s = try table(src)
            if d.elementType != s.elementType { throw mismatch() }
            try pop(.i32)
            try pop(.i32)
            try pop(.i32)
        case .tableInit(let elem, let tableIndex):
            let t = try table(tableIndex)
            let e = try element(elem)
            if t.elementType != e { throw mismatch() }
            try pop(.i32)
            try pop(.i32)
            try pop(.i32)
        case .elemDrop(let elem):
            _ = try element(elem)

        case .memorySize(let m):
            try checkMemory(m)
            push(.i32)
        case .memoryGrow(let m):
            try checkMemory(m)
            try pop(.i32)
            push(.i32)
        case .memoryFill(let m):
            try checkMemory(m)
            try pop(.i32)
            try pop(.i32)
            try pop(.i32)
        case .memoryCopy(let dst, let src):
            try checkMemory(dst)
            try checkMemory(src)
            try pop(.i32)
            try pop(.i32)
            try pop(.i32)
        case .memoryInit(let data, let m):
            try checkMemory(m)
            try checkData(data)
            try pop(.i32)
            try pop(.i32)
            try pop(.i32)
        case .dataDrop(let data):
            try checkData(data)
        }
    }
}

/// Shared one-element result lists for `BlockType.value`, so entering a block
/// never allocates.
enum SingleTypes {
    static let i32: [ValueType] = [.i32]
    static let i64: [ValueType] = [.i64]
    static let f32: [ValueType] = [.f32]
    static let f64: [ValueType] = [.f64]
    static let v128: [ValueType] = [.v128]
    static let funcref: [ValueType] = [.funcref]
    static let externref: [ValueType] = [.externref]

    @inline(__always)
    static func list(_ t: ValueType) -> [ValueType] {
        switch t {
        case .i32: i32
        case .i64: i64
        case .f32: f32
        case .f64: f64
        case .v128: v128
        case .funcref: funcref
        case .externref: externref
        }
    }
}

/// `NumericOp.signature` flattened into a table of raw type bytes, so typing
/// a numeric instruction does no allocation.
enum NumericSignatures {
    struct Entry {
        /// First operand (pushed first).
        var first: UInt8 = 0
        /// Second operand, or 0 for unary operators.
        var second: UInt8 = 0
        var result: UInt8 = 0
    }

    /// The slot of an op: its dense raw value.
    @inline(__always)
    static func slot(_ op: NumericOp) -> Int { Int(op.rawValue) }

    static let table: [Entry] = {
        var table = Array(repeating: Entry(), count: NumericOp.allCases.count)
        for op in NumericOp.allCases {
            let sig = op.signature
            var e = Entry(first: sig.operands[0].rawValue, second: 0, result: sig.result.rawValue)
            if sig.operands.count == 2 { e.second = sig.operands[1].rawValue }
            table[slot(op)] = e
        }
        return table
    }()
}

/// `VectorOp.signature` flattened like `NumericSignatures` (up to three operands).
enum VectorSignatures {
    struct Entry {
        var first: UInt8 = 0
        var second: UInt8 = 0
        var third: UInt8 = 0
        var result: UInt8 = 0
    }

    static let table: [Entry] = {
        var table = Array(repeating: Entry(), count: VectorOp.allCases.count)
        for op in VectorOp.allCases {
            let sig = op.signature
            let raw = sig.operands.map(\.rawValue) + [0, 0]
            table[Int(op.rawValue)] = Entry(first: raw[0], second: raw[1], third: raw[2], result: sig.result.rawValue)
        }
        return table
    }()
}
