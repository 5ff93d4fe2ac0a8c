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
    /// The import section: imported functions, tables, memories, globals and tags, in order.
    public var imports: [Import] = [] { didSet { bodyValidation = .notDone } }
    /// Type index of each function defined in this module (function section).
    public var functions: [UInt32] = [] { didSet { bodyValidation = .notDone } }
    /// Tables defined in this module (table section); they follow the imported ones in the index space.
    public var tables: [TableType] = [] { didSet { bodyValidation = .notDone } }
    /// The initializer of each defined table written with one (`0x40 0x00` form), parallel to
    /// `tables`; nil (or absent) means every element starts null.
    public var tableInitializers: [ConstExpr?] = []
    /// Memories defined in this module (memory section); they follow the imported ones in the index space.
    public var memories: [MemoryType] = [] { didSet { bodyValidation = .notDone } }
    /// Globals defined in this module (global section), with their initializers.
    public var globals: [Global] = [] { didSet { bodyValidation = .notDone } }
    /// Tags defined here (exception handling), by type index of their function type.
    public var tags: [UInt32] = [] { didSet { bodyValidation = .notDone } }
    /// The export section: each exported entity under its name.
    public var exports: [Export] = [] { didSet { bodyValidation = .notDone } }
    /// Function index of the start function, called at the end of instantiation (start section).
    public var start: UInt32?
    /// Element segments (element section): references for tables, copied at instantiation or by `table.init`.
    public var elements: [ElementSegment] = [] { didSet { bodyValidation = .notDone } }
    /// Data segments (data section): bytes for memories, copied at instantiation or by `memory.init`.
    public var datas: [DataSegment] = []
    /// The data count section's value, when present.
    public var dataCount: UInt32? { didSet { bodyValidation = .notDone } }
    /// Code bodies, parallel to `functions`.
    public var codes: [FunctionBody] = [] { didSet { bodyValidation = .notDone } }
    /// What the decoder's validation of the bodies, done as it read them, found. Changing
    /// a section the bodies are validated against resets it, so that `ModuleValidator`
    /// validates them again.
    public var bodyValidation: BodyValidation = .notDone
    /// Every custom section, in module order, with its raw payload.
    public var customSections: [CustomSection] = []
    /// Decoded `name` custom section, when present and well formed.
    public var names: NameSection?
    /// The module uses SIMD: a v128 type or a 0xFD-prefixed instruction (set by the decoder).
    public var usesSIMD = false
    /// The module throws or catches exceptions: a `throw`, `throw_ref`, `try_table` or a legacy
    /// exception instruction (set by the decoder; tags alone do not count).
    public var usesExceptions = false

    /// An empty module: no types, functions or other sections.
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

    /// Type index of each imported function, in import order.
    public var importedFunctionTypes: [UInt32] {
        imports.compactMap { if case .function(let t) = $0.descriptor { t } else { nil } }
    }
    /// The type of each imported table, in import order.
    public var importedTables: [TableType] {
        imports.compactMap { if case .table(let t) = $0.descriptor { t } else { nil } }
    }
    /// The type of each imported memory, in import order.
    public var importedMemories: [MemoryType] {
        imports.compactMap { if case .memory(let t) = $0.descriptor { t } else { nil } }
    }
    /// The type of each imported global, in import order.
    public var importedGlobals: [GlobalType] {
        imports.compactMap { if case .global(let t) = $0.descriptor { t } else { nil } }
    }

    /// Type index of every function in the function index space (imports first).
    public var allFunctionTypeIndices: [UInt32] { importedFunctionTypes + functions }
    /// The type of every table in the table index space (imports first).
    public var allTables: [TableType] { importedTables + tables }
    /// The type of every memory in the memory index space (imports first).
    public var allMemories: [MemoryType] { importedMemories + memories }
    /// The type of every global in the global index space (imports first).
    public var allGlobals: [GlobalType] { importedGlobals + globals.map(\.type) }
    /// Type index of each imported tag (exception handling), in import order.
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

/// One entry of the import section: a two-level name and what is imported.
public struct Import: Sendable {
    /// The module name the import is looked up in (the first level).
    public var module: String
    /// The name of the entity within that module (the second level).
    public var name: String
    /// What kind of entity is imported, and its type.
    public var descriptor: ImportDescriptor

    /// An import of `descriptor` under the name `module`.`name`.
    public init(module: String, name: String, descriptor: ImportDescriptor) {
        self.module = module
        self.name = name
        self.descriptor = descriptor
    }
}

/// The kind of an imported entity, with the type it must have.
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

    /// A type in the group of `groupSize` types starting at index `group`; final, without supertype, by default.
    public init(group: Int, groupSize: Int, isFinal: Bool = true, supertype: UInt32? = nil) {
        self.group = group
        self.groupSize = groupSize
        self.isFinal = isFinal
        self.supertype = supertype
    }
}

/// One entry of the export section: a name and the entity exported under it.
public struct Export: Sendable {
    /// The export's name, unique within the module.
    public var name: String
    /// What kind of entity is exported, and its index.
    public var descriptor: ExportDescriptor

    /// An export of `descriptor` under `name`.
    public init(name: String, descriptor: ExportDescriptor) {
        self.name = name
        self.descriptor = descriptor
    }
}

/// The kind of an exported entity, with its index in that kind's index space.
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
    /// The expression's instructions, without the final `end`.
    public var instructions: [Instruction]

    /// An expression of `instructions` (the final `end` left out).
    public init(_ instructions: [Instruction]) { self.instructions = instructions }
}

/// A global defined in the module (global section): its type and initializer.
public struct Global: Sendable {
    /// The global's value type and mutability.
    public var type: GlobalType
    /// The constant expression that computes the global's initial value.
    public var initializer: ConstExpr

    /// A global of `type` whose initial value `initializer` computes.
    public init(type: GlobalType, initializer: ConstExpr) {
        self.type = type
        self.initializer = initializer
    }
}

/// An element segment (element section): a vector of references, with how it initializes tables.
public struct ElementSegment: Sendable {
    /// Active: copied into a table at instantiation; passive: kept for `table.init`;
    /// declarative: only declares function references for `ref.func`, then dropped.
    public enum Mode: Sendable {
        case passive
        case active(table: UInt32, offset: ConstExpr)
        case declarative
    }

    /// The reference type of the segment's elements.
    public var type: RefType
    /// Whether the segment is passive, active (with its table and offset) or declarative.
    public var mode: Mode
    /// One constant expression per element (`ref.func i` for the index-vector forms).
    public var items: [ConstExpr]

    /// A segment of `items`, each of type `type`, used as `mode` says.
    public init(type: RefType, mode: Mode, items: [ConstExpr]) {
        self.type = type
        self.mode = mode
        self.items = items
    }
}

/// A data segment (data section): bytes, with how they initialize memory.
public struct DataSegment: Sendable {
    /// Active: copied into a memory at instantiation; passive: kept for `memory.init`.
    public enum Mode: Sendable {
        case passive
        case active(memory: UInt32, offset: ConstExpr)
    }

    /// Whether the segment is passive or active (with its memory and offset).
    public var mode: Mode
    /// The bytes to copy into memory.
    public var bytes: [UInt8]

    /// A segment of `bytes`, used as `mode` says.
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

    /// A decoded body of `instructions` found at byte `offsets` (parallel arrays).
    public init(instructions: [Instruction], offsets: [UInt32]) {
        self.instructions = instructions
        self.offsets = offsets
    }
}

/// A custom section (id 0): a name and its raw payload.
public struct CustomSection: Sendable {
    /// The section's name (`name`, `producers`, …).
    public var name: String
    /// The payload: the section's bytes after its name.
    public var bytes: [UInt8]
    /// Byte offset in the module where the payload starts.
    public var offset: UInt32

    /// A custom section `name` whose payload `bytes` starts at module byte `offset`.
    public init(name: String, bytes: [UInt8], offset: UInt32) {
        self.name = name
        self.bytes = bytes
        self.offset = offset
    }
}

/// The parts of the `name` custom section that tools use.
public struct NameSection: Sendable {
    /// The module's name (subsection 0), if given.
    public var moduleName: String?
    /// Function names by function index (subsection 1).
    public var functionNames: [UInt32: String]
    /// Local names by function index, then local index (subsection 2).
    public var localNames: [UInt32: [UInt32: String]]

    /// A name section holding the given names (none by default).
    public init(moduleName: String? = nil, functionNames: [UInt32: String] = [:], localNames: [UInt32: [UInt32: String]] = [:]) {
        self.moduleName = moduleName
        self.functionNames = functionNames
        self.localNames = localNames
    }
}
