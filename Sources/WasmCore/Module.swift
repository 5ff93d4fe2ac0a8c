/// A decoded (not yet validated) WebAssembly module: the sections of the binary
/// format as plain data. Index spaces follow the spec: imports come first in
/// the function, table, memory and global index spaces.
public struct Module: Sendable {
    /// The function type of each type index. (The GC proposal adds struct and array types:
    /// this becomes the composite type then.)
    public var types: [FuncType] = [] { didSet { bodyValidation = .notDone } }
    /// How each type index is declared: its recursion group and declared supertype. Empty, or
    /// shorter than `types`, means the rest are final types each in a group of its own.
    public var typeDeclarations: [TypeDeclaration] = [] { didSet { bodyValidation = .notDone } }
    public var imports: [Import] = [] { didSet { bodyValidation = .notDone } }
    /// Type index of each function defined in this module (function section).
    public var functions: [UInt32] = [] { didSet { bodyValidation = .notDone } }
    public var tables: [TableType] = [] { didSet { bodyValidation = .notDone } }
    /// The initializer of each defined table written with one (`0x40 0x00` form), parallel to
    /// `tables`; nil (or absent) means every element starts null.
    public var tableInitializers: [ConstExpr?] = []
    public var memories: [MemoryType] = [] { didSet { bodyValidation = .notDone } }
    public var globals: [Global] = [] { didSet { bodyValidation = .notDone } }
    /// Tags defined here (exception handling), by type index of their function type.
    public var tags: [UInt32] = [] { didSet { bodyValidation = .notDone } }
    public var exports: [Export] = [] { didSet { bodyValidation = .notDone } }
    public var start: UInt32?
    public var elements: [ElementSegment] = [] { didSet { bodyValidation = .notDone } }
    public var datas: [DataSegment] = []
    /// The data count section's value, when present.
    public var dataCount: UInt32? { didSet { bodyValidation = .notDone } }
    /// Code bodies, parallel to `functions`.
    public var codes: [FunctionBody] = [] { didSet { bodyValidation = .notDone } }
    /// What the decoder's validation of the bodies, done as it read them, found. Changing
    /// a section the bodies are validated against resets it, so that `ModuleValidator`
    /// validates them again.
    public var bodyValidation: BodyValidation = .notDone
    public var customSections: [CustomSection] = []
    /// Decoded `name` custom section, when present and well formed.
    public var names: NameSection?
    /// The module uses SIMD: a v128 type or a 0xFD-prefixed instruction (set by the decoder).
    public var usesSIMD = false
    /// The module throws or catches exceptions: a `throw`, `throw_ref`, `try_table` or a legacy
    /// exception instruction (set by the decoder; tags alone do not count).
    public var usesExceptions = false

    public init() {}

    /// The outcome of validating the function bodies while decoding.
    public enum BodyValidation: Sendable {
        /// Not validated (or a section changed since).
        case notDone
        /// Every body is valid.
        case passed
        /// The first invalid body's error.
        case failed(ValidationError)
    }

    // MARK: Index spaces

    public var importedFunctionTypes: [UInt32] {
        imports.compactMap { if case .function(let t) = $0.descriptor { t } else { nil } }
    }
    public var importedTables: [TableType] {
        imports.compactMap { if case .table(let t) = $0.descriptor { t } else { nil } }
    }
    public var importedMemories: [MemoryType] {
        imports.compactMap { if case .memory(let t) = $0.descriptor { t } else { nil } }
    }
    public var importedGlobals: [GlobalType] {
        imports.compactMap { if case .global(let t) = $0.descriptor { t } else { nil } }
    }

    /// Type index of every function in the function index space (imports first).
    public var allFunctionTypeIndices: [UInt32] { importedFunctionTypes + functions }
    public var allTables: [TableType] { importedTables + tables }
    public var allMemories: [MemoryType] { importedMemories + memories }
    public var allGlobals: [GlobalType] { importedGlobals + globals.map(\.type) }
    public var importedTags: [UInt32] {
        imports.compactMap { if case .tag(let t) = $0.descriptor { t } else { nil } }
    }
    /// Type index of every tag (imports first).
    public var allTags: [UInt32] { importedTags + tags }

    /// The declaration of type `index` (a final type in a group of its own when not recorded).
    public func typeDeclaration(_ index: Int) -> TypeDeclaration {
        index < typeDeclarations.count ? typeDeclarations[index] : TypeDeclaration(group: index, groupSize: 1)
    }

    /// The initializer of defined table `index`, if it was written with one.
    public func tableInitializer(_ index: Int) -> ConstExpr? {
        index < tableInitializers.count ? tableInitializers[index] : nil
    }

    /// The function's name from the name section, if any.
    public func functionName(_ index: UInt32) -> String? { names?.functionNames[index] }
}

public struct Import: Sendable {
    public var module: String
    public var name: String
    public var descriptor: ImportDescriptor

    public init(module: String, name: String, descriptor: ImportDescriptor) {
        self.module = module
        self.name = name
        self.descriptor = descriptor
    }
}

public enum ImportDescriptor: Sendable, Hashable {
    /// A function with the given type index.
    case function(UInt32)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    /// A tag (exception handling) with the given type index.
    case tag(UInt32)
}

/// How one entry of the type section was declared (Wasm 3.0): which recursion group it
/// belongs to, whether it is final, and its declared supertype.
public struct TypeDeclaration: Hashable, Sendable {
    /// Index of the group's first type.
    public var group: Int
    /// Number of types in the group.
    public var groupSize: Int
    /// `sub final` or a plain (abbreviated) type: no type may declare it as supertype.
    public var isFinal: Bool
    /// The declared supertype's index (at most one in Wasm 3.0).
    public var supertype: UInt32?

    public init(group: Int, groupSize: Int, isFinal: Bool = true, supertype: UInt32? = nil) {
        self.group = group
        self.groupSize = groupSize
        self.isFinal = isFinal
        self.supertype = supertype
    }
}

public struct Export: Sendable {
    public var name: String
    public var descriptor: ExportDescriptor

    public init(name: String, descriptor: ExportDescriptor) {
        self.name = name
        self.descriptor = descriptor
    }
}

public enum ExportDescriptor: Sendable, Hashable {
    case function(UInt32)
    case table(UInt32)
    case memory(UInt32)
    case global(UInt32)
    case tag(UInt32)
}

/// A constant expression (global initialisers, segment offsets, element items):
/// the instructions without the final `end`.
public struct ConstExpr: Sendable, Hashable {
    public var instructions: [Instruction]

    public init(_ instructions: [Instruction]) { self.instructions = instructions }
}

public struct Global: Sendable {
    public var type: GlobalType
    public var initializer: ConstExpr

    public init(type: GlobalType, initializer: ConstExpr) {
        self.type = type
        self.initializer = initializer
    }
}

public struct ElementSegment: Sendable {
    public enum Mode: Sendable {
        case passive
        case active(table: UInt32, offset: ConstExpr)
        case declarative
    }

    public var type: RefType
    public var mode: Mode
    /// One constant expression per element (`ref.func i` for the index-vector forms).
    public var items: [ConstExpr]

    public init(type: RefType, mode: Mode, items: [ConstExpr]) {
        self.type = type
        self.mode = mode
        self.items = items
    }
}

public struct DataSegment: Sendable {
    public enum Mode: Sendable {
        case passive
        case active(memory: UInt32, offset: ConstExpr)
    }

    public var mode: Mode
    public var bytes: [UInt8]

    public init(mode: Mode, bytes: [UInt8]) {
        self.mode = mode
        self.bytes = bytes
    }
}

/// A function body: its declared locals, where its code is, and what validation
/// learned about it. A body decoded from a binary keeps only the byte range of
/// its instructions (the module's bytes are shared, not copied); engines decode
/// it with `decoded()` when they translate or compile the function, and drop
/// the decoded form afterwards. A body built in code (tests, tools) carries its
/// instructions directly.
public struct FunctionBody: Sendable {
    /// Where the instructions are.
    enum Code: Sendable {
        /// `bytes[codeOffset..<codeEnd]` of the module, not decoded yet.
        case encoded(bytes: [UInt8])
        /// Already decoded.
        case decoded(DecodedBody)
    }

    /// Local declarations as written: (count, type) runs.
    public var localDeclarations: [(count: UInt32, type: ValueType)]
    /// Byte offset in the module where this body starts (its size field).
    public var bodyOffset: UInt32
    /// Byte offset in the module of the first instruction (after the local declarations).
    public var codeOffset: UInt32
    /// Byte offset in the module just past the final `end`.
    public var codeEnd: UInt32
    /// Number of instructions, the final `end` included.
    public var instructionCount: UInt32
    /// The most operands on the stack at once, as validation counted it (0 before validation).
    public var maxOperandHeight: UInt32 = 0
    var code: Code

    /// A body whose instructions are given (for tests and tools).
    public init(
        localDeclarations: [(count: UInt32, type: ValueType)], instructions: [Instruction],
        instructionOffsets: [UInt32], bodyOffset: UInt32
    ) {
        self.localDeclarations = localDeclarations
        self.bodyOffset = bodyOffset
        codeOffset = instructionOffsets.first ?? bodyOffset
        codeEnd = (instructionOffsets.last ?? bodyOffset) + 1
        instructionCount = UInt32(instructions.count)
        code = .decoded(DecodedBody(instructions: instructions, offsets: instructionOffsets))
    }

    /// A body of a decoded binary: instructions at `bytes[codeOffset..<codeEnd]`.
    init(
        localDeclarations: [(count: UInt32, type: ValueType)], bytes: [UInt8], bodyOffset: UInt32,
        codeOffset: UInt32, codeEnd: UInt32, instructionCount: UInt32
    ) {
        self.localDeclarations = localDeclarations
        self.bodyOffset = bodyOffset
        self.codeOffset = codeOffset
        self.codeEnd = codeEnd
        self.instructionCount = instructionCount
        code = .encoded(bytes: bytes)
    }

    /// The instructions (the final `end` included) with their byte offsets. A body of a
    /// binary is decoded again on each call: callers keep the result only while they need it.
    public func decoded() throws(DecodeError) -> DecodedBody {
        switch code {
        case .decoded(let body): return body
        case .encoded(let bytes):
            return try ModuleParser.decodeBody(
                bytes, from: Int(codeOffset), instructionCount: Int(instructionCount))
        }
    }

    /// Replaces the instructions (tests that build invalid bodies).
    public mutating func setInstructions(_ instructions: [Instruction], offsets: [UInt32]) {
        instructionCount = UInt32(instructions.count)
        code = .decoded(DecodedBody(instructions: instructions, offsets: offsets))
    }

    /// Total number of declared locals (params excluded).
    public var localCount: Int { localDeclarations.reduce(0) { $0 + Int($1.count) } }

    /// The declared locals, expanded one entry per local.
    public var expandedLocals: [ValueType] {
        var out: [ValueType] = []
        out.reserveCapacity(localCount)
        for decl in localDeclarations { out.append(contentsOf: repeatElement(decl.type, count: Int(decl.count))) }
        return out
    }
}

/// A function body's instructions, decoded: what translators and compilers walk.
public struct DecodedBody: Sendable {
    /// Instructions including the final `end`.
    public var instructions: [Instruction]
    /// Byte offset in the module of each instruction, parallel to `instructions`.
    public var offsets: [UInt32]

    public init(instructions: [Instruction], offsets: [UInt32]) {
        self.instructions = instructions
        self.offsets = offsets
    }
}

public struct CustomSection: Sendable {
    public var name: String
    public var bytes: [UInt8]
    public var offset: UInt32

    public init(name: String, bytes: [UInt8], offset: UInt32) {
        self.name = name
        self.bytes = bytes
        self.offset = offset
    }
}

/// The parts of the `name` custom section that tools use.
public struct NameSection: Sendable {
    public var moduleName: String?
    public var functionNames: [UInt32: String]
    public var localNames: [UInt32: [UInt32: String]]

    public init(moduleName: String? = nil, functionNames: [UInt32: String] = [:], localNames: [UInt32: [UInt32: String]] = [:]) {
        self.moduleName = moduleName
        self.functionNames = functionNames
        self.localNames = localNames
    }
}
