/// The module-level facts that function bodies and constant expressions are
/// validated against: the context `C` of spec §3.1.1, built once per module.
/// Index spaces include imports first, as in `Module`.
public struct ValidationContext: Sendable {
    /// C.types
    public var types: [FuncType]
    /// Equivalence and declared subtyping of `types`.
    public var hierarchy: TypeHierarchy
    /// Type index of every function (C.funcs), imports first.
    public var functionTypeIndices: [UInt32]
    /// C.tables
    public var tables: [TableType]
    /// C.mems
    public var memories: [MemoryType]
    /// C.globals (all globals; constant expressions further restrict this to
    /// the first `importedGlobalCount`).
    public var globals: [GlobalType]
    /// C.tags: the type index of each tag, imports first.
    public var tags: [UInt32]
    /// How many of `globals` are imported.
    public var importedGlobalCount: Int
    /// C.elems: the reference type of each element segment.
    public var elementTypes: [RefType]
    /// C.datas: the number of data segments.
    public var dataCount: Int
    /// C.refs as a bitmap over the function index space: the functions that
    /// `ref.func` may name in a function body (spec §3.4.10).
    public var declaredFunctions: [Bool]

    /// Builds the context of `module`. Indices are not checked here. `dataCount`
    /// overrides the number of data segments (the decoder validates bodies before
    /// it reaches the data section, and uses the data count section's value).
    public init(module: Module, dataCount: Int? = nil) {
        types = module.types
        hierarchy = TypeHierarchy(module: module)
        tags = module.allTags
        functionTypeIndices = module.allFunctionTypeIndices
        tables = module.allTables
        memories = module.allMemories
        globals = module.allGlobals
        importedGlobalCount = module.importedGlobals.count
        elementTypes = module.elements.map(\.type)
        self.dataCount = dataCount ?? module.datas.count
        declaredFunctions = Self.collectDeclaredFunctions(module, functionCount: functionTypeIndices.count)
    }

    /// Builds a context from its parts (for tests and for tools that have no `Module`).
    public init(
        types: [FuncType], functionTypeIndices: [UInt32] = [], tables: [TableType] = [],
        memories: [MemoryType] = [], globals: [GlobalType] = [], importedGlobalCount: Int? = nil,
        elementTypes: [RefType] = [], dataCount: Int = 0, declaredFunctions: [Bool]? = nil,
        tags: [UInt32] = []
    ) {
        self.types = types
        hierarchy = TypeHierarchy(types: types)
        self.tags = tags
        self.functionTypeIndices = functionTypeIndices
        self.tables = tables
        self.memories = memories
        self.globals = globals
        self.importedGlobalCount = importedGlobalCount ?? globals.count
        self.elementTypes = elementTypes
        self.dataCount = dataCount
        self.declaredFunctions = declaredFunctions ?? Array(repeating: true, count: functionTypeIndices.count)
    }

    /// Is function `index` in C.refs?
    @inlinable
    public func isDeclared(_ index: UInt32) -> Bool {
        Int(index) < declaredFunctions.count && declaredFunctions[Int(index)]
    }

    /// The type of function `index`, or nil when the function or its type index is unknown.
    @inlinable
    public func functionType(_ index: UInt32) -> FuncType? {
        guard Int(index) < functionTypeIndices.count else { return nil }
        let t = Int(functionTypeIndices[Int(index)])
        return t < types.count ? types[t] : nil
    }

    /// Does `sub` match `sup`?
    @inlinable
    public func isSubtype(_ sub: ValueType, _ sup: ValueType) -> Bool { hierarchy.isSubtype(sub, sup) }

    /// The function type of tag `index`, or nil when unknown.
    public func tagType(_ index: UInt32) -> FuncType? {
        guard Int(index) < tags.count, Int(tags[Int(index)]) < types.count else { return nil }
        return types[Int(tags[Int(index)])]
    }

    /// Function indices occurring anywhere in the module outside function
    /// bodies and the start section: element segments, global initialisers,
    /// data offsets and function exports.
    static func collectDeclaredFunctions(_ module: Module, functionCount: Int) -> [Bool] {
        var declared = Array(repeating: false, count: functionCount)
        func scan(_ expr: ConstExpr) {
            for instruction in expr.instructions {
                if case .refFunc(let f) = instruction, Int(f) < functionCount { declared[Int(f)] = true }
            }
        }
        for global in module.globals { scan(global.initializer) }
        for case let initializer? in module.tableInitializers { scan(initializer) }
        for segment in module.elements {
            if case .active(_, let offset) = segment.mode { scan(offset) }
            for item in segment.items { scan(item) }
        }
        for segment in module.datas {
            if case .active(_, let offset) = segment.mode { scan(offset) }
        }
        for export in module.exports {
            if case .function(let f) = export.descriptor, Int(f) < functionCount { declared[Int(f)] = true }
        }
        return declared
    }
}
