import WasmCore

/// Resolves a module's imports by (module, name) and instantiates it.
/// Definitions come from other instances, host functions, or embedder-made
/// memories, tables and globals.
public final class Linker {
    /// The store instances are created in, and host functions belong to.
    public let store: Store
    private var definitions: [WasmName: [WasmName: ExternalValue]] = [:]

    /// A linker with no definitions, for `store`.
    public init(store: Store) { self.store = store }

    /// Defines one importable entity.
    public func define(module: String, name: String, _ value: ExternalValue) {
        definitions[WasmName(module), default: [:]][WasmName(name)] = value
    }

    /// Defines a host function.
    public func defineFunction(module: String, name: String, type: FuncType, _ body: @escaping HostFunctionBody) {
        define(module: module, name: name, .function(store.hostFunction(type: type, body)))
    }

    /// Makes every export of `instance` importable under `moduleName`.
    public func define(instance: Instance, as moduleName: String) {
        for (name, value) in instance.exports { define(module: moduleName, name: name, value) }
    }

    /// What `module`::`name` is defined as, if anything.
    public func lookup(module: String, name: String) -> ExternalValue? { definitions[WasmName(module)]?[WasmName(name)] }

    /// Resolves imports, creates the instance, runs segment initialisation and
    /// the start function. Throws `WasmoonError.link` (an import missing or of another type),
    /// `.resource` (a store limit), or what the start function threw (`.trap`, …).
    public func instantiate(_ module: CompiledModule) throws(WasmoonError) -> Instance {
        do {
            return try link(module)
        } catch {
            throw WasmoonError(error)
        }
    }

    private func link(_ module: CompiledModule) throws -> Instance {
        // Code prepared by one engine cannot run on another's (a JIT instance would call
        // through entries that an interpreter module never set).
        guard module.engine === store.engine else {
            throw LinkError("the module was compiled for another engine (\(module.engine.tier)) than the store's (\(store.engine.tier))")
        }
        var resolved: [ExternalValue] = []
        for imp in module.imports {
            guard let value = lookup(module: imp.module, name: imp.name) else {
                throw LinkError("unknown import: \(imp.module)::\(imp.name)")
            }
            try Linker.check(value, against: imp, in: module, store: store)
            resolved.append(value)
        }
        return try Instantiation.run(module: module, imports: resolved, store: store)
    }

    /// Import matching (spec "external types" subtyping), on canonical types.
    static func check(_ value: ExternalValue, against imp: Import, in module: CompiledModule, store: Store) throws {
        let engine = store.engine
        let registry = TypeRegistry.shared
        let ids = module.typeIDs
        func incompatible(_ why: String) -> LinkError {
            LinkError("incompatible import type for \(imp.module)::\(imp.name): \(why)")
        }
        func limitsMatch(_ actual: Limits, _ expected: Limits) -> Bool {
            guard actual.min >= expected.min else { return false }
            if let emax = expected.max {
                guard let amax = actual.max, amax <= emax else { return false }
            }
            return true
        }
        switch (imp.descriptor, value) {
        case (.function(let typeIndex), .function(let f)):
            guard registry.isSubtype(f.typeID, of: ids[Int(typeIndex)]) else {
                throw incompatible("expected \(module.module.types[Int(typeIndex)]), got \(f.type)")
            }
            // The store keeps its functions alive: one of another store (or of a released
            // one) could be freed while this instance still calls it. The lifetime object is
            // compared, not the store's address, which a new store may reuse.
            guard f.storeLifetime.isAlive else { throw incompatible("the function's store was released") }
            if case .wasm = f.kind, f.store.engine !== engine {
                throw incompatible("the function belongs to an instance of another engine (\(f.store.engine.tier))")
            }
            guard f.storeLifetime === store.lifetime else { throw incompatible("the function belongs to another store") }
        case (.table(let expected), .table(let t)):
            let elementType = TypeRegistry.canonical(.ref(expected.elementType), ids: ids)
            guard .ref(t.elementType) == elementType, t.addressType == expected.addressType,
                limitsMatch(t.type.limits, expected.limits)
            else {
                throw incompatible("table type")
            }
        case (.memory(let expected), .memory(let m)):
            guard m.type.addressType == expected.addressType else { throw incompatible("memory address type") }
            let actual = Limits(min: UInt64(m.pageCount), max: m.type.limits.max)
            guard limitsMatch(actual, expected.limits) else { throw incompatible("memory limits") }
        case (.global(let expected), .global(let g)):
            let expectedType = TypeRegistry.canonical(expected.valueType, ids: ids)
            let matches =
                g.type.mutability == expected.mutability
                && (expected.mutability == .variable
                    ? g.type.valueType == expectedType : registry.isSubtype(g.type.valueType, expectedType))
            guard matches else { throw incompatible("global type") }
        case (.tag(let typeIndex), .tag(let tag)):
            guard tag.typeID == ids[Int(typeIndex)] else { throw incompatible("tag type") }
        default:
            throw incompatible("expected a \(imp.descriptor.kindName), got a \(value.kindName)")
        }
    }
}

extension ImportDescriptor {
    var kindName: String {
        switch self {
        case .function: "function"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        case .tag: "tag"
        }
    }
}

/// The spec's instantiation algorithm (§4.5.4).
enum Instantiation {
    static func run(module compiled: CompiledModule, imports: [ExternalValue], store: Store) throws -> Instance {
        let module = compiled.module
        try store.admit(instanceWith: module.memories.count, tables: module.tables.count)
        let instance = Instance(module: compiled, store: store)
        store.retain(instance)

        for value in imports {
            switch value {
            case .function(let f): instance.functions.append(f)
            case .table(let t): instance.tables.append(t)
            case .memory(let m): instance.memories.append(m)
            case .global(let g): instance.globals.append(g)
            case .tag(let t): instance.tags.append(t)
            }
        }
        let ids = compiled.typeIDs
        let registry = TypeRegistry.shared
        let importedFunctionCount = instance.functions.count
        for (i, typeIndex) in module.functions.enumerated() {
            let id = ids[Int(typeIndex)]
            let f = Function(
                type: registry.type(for: id), typeID: id, kind: .wasm(definedIndex: i), instance: instance,
                index: UInt32(importedFunctionCount + i), store: store)
            f.funcRef.pointee.entry = compiled.code.entry(definedIndex: i)
            instance.functions.append(f)
        }
        for typeIndex in module.tags {
            let id = ids[Int(typeIndex)]
            instance.tags.append(Tag(type: registry.type(for: id), typeID: id))
        }
        for memoryType in module.memories {
            instance.memories.append(try Memory(type: memoryType, maxBytes: store.limits.maxMemoryBytes))
        }
        for global in module.globals {
            let value: Value
            if global.type.valueType == .v128 {
                value = try evaluateVector(global.initializer, instance: instance)
            } else {
                value = RawValue.decode(try evaluate(global.initializer, instance: instance), as: global.type.valueType)
            }
            let type = GlobalType(
                valueType: TypeRegistry.canonical(global.type.valueType, ids: ids), mutability: global.type.mutability)
            instance.globals.append(Global(type: type, value: value))
        }
        // Tables after globals: an initializer may read a global.
        for (i, tableType) in module.tables.enumerated() {
            var type = tableType
            if case .ref(let r) = TypeRegistry.canonical(.ref(type.elementType), ids: ids) { type.elementType = r }
            let table = try Table(type: type, maxElements: store.limits.maxTableElements)
            if let initializer = module.tableInitializer(i) {
                table.fill(raw: try evaluate(initializer, instance: instance))
            }
            instance.tables.append(table)
        }
        for export in module.exports {
            let value: ExternalValue
            switch export.descriptor {
            case .function(let i): value = .function(instance.functions[Int(i)])
            case .table(let i): value = .table(instance.tables[Int(i)])
            case .memory(let i): value = .memory(instance.memories[Int(i)])
            case .global(let i): value = .global(instance.globals[Int(i)])
            case .tag(let i): value = .tag(instance.tags[Int(i)])
            }
            instance.addExport(export.name, value)
        }
        instance.elementSegments = try module.elements.map { seg in
            try seg.items.map { try evaluate($0, instance: instance) }
        }
        instance.dataSegments = module.datas.map(\.bytes)
        instance.buildContext()

        // Active and declarative element segments, in order.
        for (i, seg) in module.elements.enumerated() {
            switch seg.mode {
            case .passive: continue
            case .declarative: instance.elementSegments[i] = []
            case .active(let tableIndex, let offsetExpr):
                let table = instance.tables[Int(tableIndex)]
                let offset = addressValue(try evaluate(offsetExpr, instance: instance), table.addressType)
                let items = instance.elementSegments[i]
                try table.initialize(at: offset, from: items, offset: 0, count: UInt64(items.count))
                instance.elementSegments[i] = []
            }
        }
        // Active data segments, in order.
        for (i, seg) in module.datas.enumerated() {
            guard case .active(let memoryIndex, let offsetExpr) = seg.mode else { continue }
            let memory = instance.memories[Int(memoryIndex)]
            let offset = addressValue(try evaluate(offsetExpr, instance: instance), memory.type.addressType)
            try memory.initialize(at: offset, from: seg.bytes, offset: 0, count: UInt64(seg.bytes.count))
            instance.dataSegments[i] = []
        }
        if let start = module.start {
            _ = try instance.functions[Int(start)].call([])
        }
        return instance
    }

    /// A raw i32 or i64 slot as an address of `type`.
    static func addressValue(_ raw: UInt64, _ type: AddressType) -> UInt64 {
        type == .i64 ? raw : UInt64(UInt32(truncatingIfNeeded: raw))
    }

    /// A validated constant expression of type v128: `v128.const` or `global.get`.
    static func evaluateVector(_ expr: ConstExpr, instance: Instance) throws -> Value {
        switch expr.instructions.first {
        case .v128Const(let v)?: return .v128(v)
        case .globalGet(let i)?: return instance.globals[Int(i)].value
        default: throw ValidationError("constant expression required")
        }
    }

    /// Evaluates a constant expression to a raw slot value.
    static func evaluate(_ expr: ConstExpr, instance: Instance) throws -> UInt64 {
        var stack: [UInt64] = []
        for ins in expr.instructions {
            switch ins {
            case .i32Const(let v): stack.append(UInt64(UInt32(bitPattern: v)))
            case .i64Const(let v): stack.append(UInt64(bitPattern: v))
            case .f32Const(let v): stack.append(UInt64(v))
            case .f64Const(let v): stack.append(v)
            case .refNull: stack.append(0)
            case .refFunc(let i): stack.append(instance.functions[Int(i)].rawReference)
            case .globalGet(let i): stack.append(instance.globals[Int(i)].storage.pointee)
            case .numeric(let op):
                let b = stack.removeLast(), a = stack.removeLast()
                switch op {
                case .i32Add: stack.append(UInt64(UInt32(truncatingIfNeeded: a) &+ UInt32(truncatingIfNeeded: b)))
                case .i32Sub: stack.append(UInt64(UInt32(truncatingIfNeeded: a) &- UInt32(truncatingIfNeeded: b)))
                case .i32Mul: stack.append(UInt64(UInt32(truncatingIfNeeded: a) &* UInt32(truncatingIfNeeded: b)))
                case .i64Add: stack.append(a &+ b)
                case .i64Sub: stack.append(a &- b)
                case .i64Mul: stack.append(a &* b)
                default: throw ValidationError("constant expression required")
                }
            default: throw ValidationError("constant expression required")
            }
        }
        guard let result = stack.last else { throw ValidationError("type mismatch") }
        return result
    }
}
