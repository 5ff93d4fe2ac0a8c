/// Validates a decoded module against the rules of spec §3 (WebAssembly 2.0
/// without SIMD, plus tail calls). Checks run in the order of the reference
/// interpreter: imports and function types, globals, tables, memories,
/// element and data segments, function bodies, start, exports.
public enum ModuleValidator {
    /// Validates a decoded module per the spec (§3). Throws the first error found.
    public static func validate(_ module: Module) throws(ValidationError) {
        let context = ValidationContext(module: module)
        let typeCount = module.types.count
        try validateTypes(module, context: context)

        // Imports (§3.2.7).
        for entry in module.imports {
            switch entry.descriptor {
            case .function(let t):
                if Int(t) >= typeCount { throw ValidationError("unknown type \(t)") }
            case .table(let t): try validateTable(t, initializer: nil, imported: true, context: context)
            case .memory(let m): try validateMemory(m)
            case .global(let g): try validateValueType(g.valueType, context: context)
            case .tag(let t): try validateTag(t, context: context)
            }
        }
        for tag in module.tags { try validateTag(tag, context: context) }
        // Function declarations.
        let importedFunctions = context.functionTypeIndices.count - module.functions.count
        for (i, t) in module.functions.enumerated() where Int(t) >= typeCount {
            throw ValidationError("unknown type \(t)", functionIndex: UInt32(importedFunctions + i))
        }

        // Globals: an initialiser sees the imported globals and the globals defined before it
        // (Wasm 3.0); every other constant expression sees all globals.
        for (i, global) in module.globals.enumerated() {
            try validateValueType(global.type.valueType, context: context)
            try ConstExprValidator.validate(
                global.initializer, expected: global.type.valueType, context: context,
                visibleGlobals: context.importedGlobalCount + i)
        }
        for (i, table) in module.tables.enumerated() {
            try validateTable(table, initializer: module.tableInitializer(i), context: context)
        }
        for memory in module.memories { try validateMemory(memory) }

        // Element segments (§3.4.6).
        for segment in module.elements {
            let elementType = ValueType.ref(segment.type)
            try validateValueType(elementType, context: context)
            for item in segment.items {
                try ConstExprValidator.validate(
                    item, expected: elementType, context: context, visibleGlobals: context.globals.count)
            }
            if case .active(let tableIndex, let offset) = segment.mode {
                guard Int(tableIndex) < context.tables.count else {
                    throw ValidationError("unknown table \(tableIndex)")
                }
                if !context.hierarchy.isSubtype(segment.type, context.tables[Int(tableIndex)].elementType) {
                    throw ValidationError("type mismatch")
                }
                try ConstExprValidator.validate(
                    offset, expected: context.tables[Int(tableIndex)].addressType.valueType, context: context,
                    visibleGlobals: context.globals.count)
            }
        }
        // Data segments (§3.4.7).
        for segment in module.datas {
            if case .active(let memoryIndex, let offset) = segment.mode {
                guard Int(memoryIndex) < context.memories.count else {
                    throw ValidationError("unknown memory \(memoryIndex)")
                }
                try ConstExprValidator.validate(
                    offset, expected: context.memories[Int(memoryIndex)].addressType.valueType, context: context,
                    visibleGlobals: context.globals.count)
            }
        }

        // Function bodies (§3.4.1).
        guard module.codes.count == module.functions.count else {
            throw ValidationError("function and code section have inconsistent lengths")
        }
        switch module.bodyValidation {
        case .passed: break
        case .failed(let error): throw error
        case .notDone:
            for (i, body) in module.codes.enumerated() {
                try FunctionValidator.validate(body, functionIndex: UInt32(importedFunctions + i), context: context)
            }
        }

        // Start function (§3.4.8).
        if let start = module.start {
            guard let type = context.functionType(start) else {
                throw ValidationError("unknown function \(start)")
            }
            if !type.params.isEmpty || !type.results.isEmpty { throw ValidationError("start function") }
        }

        // Exports (§3.4.9).
        // Names are compared as byte sequences: Swift's `String` equality is
        // Unicode canonical equivalence, which would merge distinct names.
        var names = Set<[UInt8]>()
        names.reserveCapacity(module.exports.count)
        for export in module.exports {
            switch export.descriptor {
            case .function(let x):
                if Int(x) >= context.functionTypeIndices.count { throw ValidationError("unknown function \(x)") }
            case .table(let x):
                if Int(x) >= context.tables.count { throw ValidationError("unknown table \(x)") }
            case .memory(let x):
                if Int(x) >= context.memories.count { throw ValidationError("unknown memory \(x)") }
            case .global(let x):
                if Int(x) >= context.globals.count { throw ValidationError("unknown global \(x)") }
            case .tag(let x):
                if Int(x) >= context.tags.count { throw ValidationError("unknown tag \(x)") }
            }
            if !names.insert(Array(export.name.utf8)).inserted { throw ValidationError("duplicate export name") }
        }
    }

    /// Table types (§3.2.4): limits within 2^32-1, min ≤ max; an element type that has no
    /// default (a non-nullable reference) needs an initializer, which must match it.
    static func validateTable(
        _ table: TableType, initializer: ConstExpr?, imported: Bool = false, context: ValidationContext
    ) throws(ValidationError) {
        try validateLimits(
            table.limits, range: table.maxElements,
            message: table.addressType == .i64 ? "table size must be at most 2^64-1" : "table size must be at most 2^32-1")
        let elementType = ValueType.ref(table.elementType)
        try validateValueType(elementType, context: context)
        if let initializer {
            // Tables precede globals: an initializer sees only the imported ones.
            try ConstExprValidator.validate(
                initializer, expected: elementType, context: context, visibleGlobals: context.importedGlobalCount)
        } else if !table.elementType.isNullable && !imported {
            throw ValidationError("type mismatch")
        }
    }

    /// A type index inside a value type must name a type of the module.
    static func validateValueType(_ type: ValueType, context: ValidationContext) throws(ValidationError) {
        if case .ref(let r) = type, case .concrete(let index) = r.heapType, Int(index) >= context.types.count {
            throw ValidationError("unknown type \(index)")
        }
    }

    /// A tag's type: a function type without results.
    static func validateTag(_ typeIndex: UInt32, context: ValidationContext) throws(ValidationError) {
        guard Int(typeIndex) < context.types.count else { throw ValidationError("unknown type \(typeIndex)") }
        if !context.types[Int(typeIndex)].results.isEmpty { throw ValidationError("non-empty tag result type") }
    }

    /// The type section (Wasm 3.0 §3.2.x): references only to types of the same or an earlier
    /// recursion group; a declared supertype earlier than the type, not final, and matched
    /// (parameters contravariant, results covariant).
    static func validateTypes(_ module: Module, context: ValidationContext) throws(ValidationError) {
        let hierarchy = context.hierarchy
        for group in TypeHierarchy.groups(hierarchy.declarations) {
            for index in group {
                let type = module.types[index]
                for t in type.params + type.results {
                    if case .ref(let r) = t, case .concrete(let target) = r.heapType, Int(target) >= group.upperBound {
                        throw ValidationError("unknown type \(target)")
                    }
                }
                guard let supertype = hierarchy.declarations[index].supertype else { continue }
                guard Int(supertype) < index else { throw ValidationError("unknown type \(supertype)") }
                if hierarchy.declarations[Int(supertype)].isFinal { throw ValidationError("sub type") }
                let parent = module.types[Int(supertype)]
                guard hierarchy.isSubtype(parent.params, type.params), hierarchy.isSubtype(type.results, parent.results)
                else { throw ValidationError("sub type") }
            }
        }
    }

    /// Memory types (§3.2.5): limits within 65536 pages, min ≤ max.
    static func validateMemory(_ memory: MemoryType) throws(ValidationError) {
        try validateLimits(
            memory.limits, range: memory.maxDeclarablePages,
            message: memory.is64
                ? "memory size must be at most 2^48 pages (2^64 bytes)" : "memory size must be at most 65536 pages (4GiB)")
        if memory.shared && memory.limits.max == nil {
            throw ValidationError("shared memory must have maximum")
        }
    }

    static func validateLimits(_ limits: Limits, range: UInt64, message: String) throws(ValidationError) {
        if limits.min > range { throw ValidationError(message) }
        if let max = limits.max {
            if max > range { throw ValidationError(message) }
            if limits.min > max { throw ValidationError("size minimum must not be greater than maximum") }
        }
    }
}
