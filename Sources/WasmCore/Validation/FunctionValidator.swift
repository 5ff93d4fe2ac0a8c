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
        /// Legacy exception handling: a `try` body, and the `catch` / `catch_all` clauses after it.
        case legacyTry, legacyCatch, legacyCatchAll
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
        /// Height of the validator's list of locals initialized so far when the frame was entered
        /// (locals set inside the frame count as unset again after it).
        public var initializedHeight: Int = 0

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
    var stack = OperandStack()
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

    /// Non-defaultable locals (non-nullable references) must be set before they are read:
    /// set when the body has any, with the ones initialized so far in `initialized`, in the
    /// order they were (so that leaving a block forgets those set inside it).
    var tracksInitialization = false
    var initialized: Set<UInt32> = []
    var initializationOrder: [UInt32] = []

    // Cached fields of the innermost frame.
    var topHeight = 0
    var topUnreachable = false
    var offset: UInt32 = 0

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
        tracksInitialization = false
        initialized.removeAll(keepingCapacity: true)
        initializationOrder.removeAll(keepingCapacity: true)
        for declaration in localDeclarations {
            if case .ref(let r) = declaration.type {
                try checkHeapType(r.heapType)
                if !r.isNullable && declaration.count > 0 { tracksInitialization = true }
            }
        }
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
    func error(_ message: String) -> ValidationError {
        ValidationError(message, functionIndex: functionIndex, offset: Int(offset))
    }

    @inline(__always)
    func mismatch() -> ValidationError { error("type mismatch") }

    @inline(__always)
    mutating func push(_ type: ValueType?) {
        stack.append(type)
        if stack.count > maxOperandHeight { maxOperandHeight = stack.count }
    }

    @inline(__always)
    mutating func push(_ types: [ValueType]) {
        for t in types { stack.append(t) }
        if stack.count > maxOperandHeight { maxOperandHeight = stack.count }
    }

    /// pop_val(): the top operand, or unknown in an unreachable, empty frame.
    @inline(__always)
    mutating func pop() throws(ValidationError) -> ValueType? {
        if stack.count == topHeight {
            if topUnreachable { return nil }
            throw mismatch()
        }
        return stack.removeLast()
    }

    /// pop_val(expected)
    @inline(__always)
    @discardableResult
    mutating func pop(_ expected: ValueType) throws(ValidationError) -> ValueType? {
        let actual = try pop()
        if let actual, actual != expected, !context.hierarchy.isSubtype(actual, expected) { throw mismatch() }
        return actual
    }

    /// Pops a reference operand: its type, or nil when unknown (unreachable code).
    @inline(__always)
    mutating func popReference() throws(ValidationError) -> RefType? {
        guard let t = try pop() else { return nil }
        guard case .ref(let r) = t else { throw mismatch() }
        return r
    }

    /// pop_vals(types). A mismatch names both sides as the reference interpreter does
    /// ("type mismatch: instruction requires [i32] but stack has [i64]").
    @inline(__always)
    mutating func pop(_ types: [ValueType]) throws(ValidationError) {
        var position = stack.count
        for t in types.reversed() {
            if position == topHeight {
                if topUnreachable { break }  // the missing operands are unknown
                throw requirementMismatch(types)
            }
            position -= 1
            if let actual = stack[position], actual != t, !context.hierarchy.isSubtype(actual, t) {
                throw requirementMismatch(types)
            }
        }
        stack.truncate(to: position)
    }

    /// The mismatch of `types` against the operands on top of the frame's part of the stack.
    func requirementMismatch(_ types: [ValueType]) -> ValidationError {
        let first = max(topHeight, stack.count - types.count)
        let actual = (first..<stack.count).map { stack[$0].map(\.description) ?? "_" }
        let required = types.map(\.description)
        return error("type mismatch: instruction requires [\(required.joined(separator: " "))] but stack has [\(actual.joined(separator: " "))]")
    }

    /// Checks, without popping, that the top operands match `types` (what
    /// `push_vals(pop_vals(types))` verifies); missing operands of an
    /// unreachable frame are unknown and match anything.
    // `mutating` only so that self is passed by address: a non-mutating call from `visit`
    // copies the whole validator (168 bytes) for each lookup.
    mutating func peek(_ types: [ValueType]) throws(ValidationError) {
        var position = stack.count
        for t in types.reversed() {
            position -= 1
            if position < topHeight {
                if topUnreachable { return }
                throw mismatch()
            }
            if let actual = stack[position], actual != t, !context.hierarchy.isSubtype(actual, t) { throw mismatch() }
        }
    }

    mutating func pushControl(_ kind: FrameKind, _ blockType: BlockType, start: [ValueType], end: [ValueType]) {
        controls.append(
            ControlFrame(
                kind: kind, blockType: blockType, startTypes: start, endTypes: end,
                height: stack.count, unreachable: false, initializedHeight: initializationOrder.count))
        topHeight = stack.count
        topUnreachable = false
        push(start)
    }

    /// pop_ctrl(): checks the frame's results are exactly on the stack and removes the frame.
    mutating func popControl() throws(ValidationError) -> ControlFrame {
        let frame = controls[controls.count - 1]
        try pop(frame.endTypes)
        if stack.count != frame.height { throw mismatch() }
        controls.removeLast()
        if tracksInitialization { forgetInitializations(above: frame.initializedHeight) }
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
    mutating func markUnreachable() {
        stack.truncate(to: topHeight)
        controls[controls.count - 1].unreachable = true
        topUnreachable = true
    }

    /// Locals set since the list had `height` entries count as unset again.
    mutating func forgetInitializations(above height: Int) {
        while initializationOrder.count > height { initialized.remove(initializationOrder.removeLast()) }
    }

    /// A `local.set`/`local.tee` of local `index` of type `type`.
    @inline(__always)
    mutating func noteSet(_ index: UInt32, _ type: ValueType) {
        if tracksInitialization, !type.isDefaultable, initialized.insert(index).inserted {
            initializationOrder.append(index)
        }
    }

    // MARK: Lookups

    /// A type index in a heap type must name a type of the module.
    mutating func checkHeapType(_ heapType: HeapType) throws(ValidationError) {
        if case .concrete(let index) = heapType, Int(index) >= context.types.count {
            throw error("unknown type \(index)")
        }
    }

    mutating func checkValueType(_ type: ValueType) throws(ValidationError) {
        if case .ref(let r) = type { try checkHeapType(r.heapType) }
    }

    mutating func label(_ depth: UInt32) throws(ValidationError) -> ControlFrame {
        guard Int(depth) < controls.count else { throw error("unknown label \(depth)") }
        return controls[controls.count - 1 - Int(depth)]
    }

    mutating func blockTypes(_ blockType: BlockType) throws(ValidationError) -> (start: [ValueType], end: [ValueType]) {
        switch blockType {
        case .empty: return ([], [])
        case .value(let t):
            try checkValueType(t)
            return ([], SingleTypes.list(t))
        case .typeIndex(let index):
            guard Int(index) < context.types.count else { throw error("unknown type \(index)") }
            let type = context.types[Int(index)]
            return (type.params, type.results)
        }
    }

    mutating func funcType(_ index: UInt32) throws(ValidationError) -> FuncType {
        guard Int(index) < context.types.count else { throw error("unknown type \(index)") }
        return context.types[Int(index)]
    }

    mutating func function(_ index: UInt32) throws(ValidationError) -> FuncType {
        guard Int(index) < context.functionTypeIndices.count else { throw error("unknown function \(index)") }
        return try funcType(context.functionTypeIndices[Int(index)])
    }

    mutating func table(_ index: UInt32) throws(ValidationError) -> TableType {
        guard Int(index) < context.tables.count else { throw error("unknown table \(index)") }
        return context.tables[Int(index)]
    }

    mutating func memory(_ index: UInt32) throws(ValidationError) -> MemoryType {
        guard Int(index) < context.memories.count else { throw error("unknown memory \(index)") }
        return context.memories[Int(index)]
    }

    mutating func global(_ index: UInt32) throws(ValidationError) -> GlobalType {
        guard Int(index) < context.globals.count else { throw error("unknown global \(index)") }
        return context.globals[Int(index)]
    }

    mutating func local(_ index: UInt32) throws(ValidationError) -> ValueType {
        guard let type = locals[index] else { throw error("unknown local \(index)") }
        return type
    }

    mutating func element(_ index: UInt32) throws(ValidationError) -> RefType {
        guard Int(index) < context.elementTypes.count else { throw error("unknown elem segment \(index)") }
        return context.elementTypes[Int(index)]
    }

    mutating func checkData(_ index: UInt32) throws(ValidationError) {
        guard Int(index) < context.dataCount else { throw error("unknown data segment \(index)") }
    }

    /// Checks a load's or store's immediate; returns the type of its address operand.
    mutating func checkMemArg(_ arg: MemArg, natural: UInt32) throws(ValidationError) -> ValueType {
        let type = try memory(arg.memory)
        if arg.align > natural { throw error("alignment must not be larger than natural") }
        if !type.is64 && arg.offset > UInt64(UInt32.max) { throw error("offset out of range") }
        return type.addressType.valueType
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
    static let exnref: [ValueType] = [.exnref]

    @inline(__always)
    static func list(_ t: ValueType) -> [ValueType] {
        switch t {
        case .i32: i32
        case .i64: i64
        case .f32: f32
        case .f64: f64
        case .v128: v128
        case .ref(.funcref): funcref
        case .ref(.externref): externref
        case .ref(.exnref): exnref
        case .ref: [t]
        }
    }
}

/// `NumericOp.signature` flattened into a table, so typing a numeric instruction does no
/// allocation.
enum NumericSignatures {
    struct Entry {
        /// First operand (pushed first).
        var first: ValueType = .i32
        /// Second operand, or nil for unary operators.
        var second: ValueType? = nil
        var result: ValueType = .i32
    }

    /// The slot of an op: its dense raw value.
    @inline(__always)
    static func slot(_ op: NumericOp) -> Int { Int(op.rawValue) }

    static let table: [Entry] = {
        var table = Array(repeating: Entry(), count: NumericOp.allCases.count)
        for op in NumericOp.allCases {
            let sig = op.signature
            table[slot(op)] = Entry(
                first: sig.operands[0], second: sig.operands.count == 2 ? sig.operands[1] : nil, result: sig.result)
        }
        return table
    }()
}

extension NumericOp {
    /// The type of the result (from `NumericSignatures`: no array made, unlike `signature`).
    public var resultType: ValueType { NumericSignatures.table[NumericSignatures.slot(self)].result }
}

/// `VectorOp.signature` flattened like `NumericSignatures` (up to three operands).
enum VectorSignatures {
    struct Entry {
        var first: ValueType = .v128
        var second: ValueType? = nil
        var third: ValueType? = nil
        var result: ValueType = .v128
    }

    static let table: [Entry] = {
        var table = Array(repeating: Entry(), count: VectorOp.allCases.count)
        for op in VectorOp.allCases {
            let sig = op.signature
            let operands = sig.operands
            table[Int(op.rawValue)] = Entry(
                first: operands[0], second: operands.count > 1 ? operands[1] : nil,
                third: operands.count > 2 ? operands[2] : nil, result: sig.result)
        }
        return table
    }()
}
