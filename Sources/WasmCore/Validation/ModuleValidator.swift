/// Validates a decoded module against the rules of spec §3 (WebAssembly 2.0
/// without SIMD, plus tail calls). Checks run in the order of the reference
/// interpreter: imports and function types, globals, tables, memories,
/// element and data segments, function bodies, start, exports.
public enum ModuleValidator {
    /// Validates a decoded module per the spec (§3). Throws the first error found.
    public static func validate(_ module: Module) throws(ValidationError) {
        let context = ValidationContext(module: module)
        let typeCount = module.types.count

        // Imports (§3.2.7).
        for entry in module.imports {
            switch entry.descriptor {
            case .function(let t):
                if Int(t) >= typeCount { throw ValidationError("unknown type \(t)") }
            case .table(let t): try validateTable(t)
            case .memory(let m): try validateMemory(m)
            case .global: break
            }
        }
        // Function declarations.
        let importedFunctions = context.functionTypeIndices.count - module.functions.count
        for (i, t) in module.functions.enumerated() where Int(t) >= typeCount {
            throw ValidationError("unknown type \(t)", functionIndex: UInt32(importedFunctions + i))
        }

        // Globals: initialisers see only imported globals (C').
        for global in module.globals {
            try ConstExprValidator.validate(
                global.initializer, expected: global.type.valueType, context: context,
                visibleGlobals: context.importedGlobalCount)
        }
        for table in module.tables { try validateTable(table) }
        for memory in module.memories { try validateMemory(memory) }
        if context.memories.count > 1 { throw ValidationError("multiple memories") }

        // Element segments (§3.4.6).
        for segment in module.elements {
            let elementType = segment.type.valueType
            for item in segment.items {
                try ConstExprValidator.validate(
                    item, expected: elementType, context: context, visibleGlobals: context.importedGlobalCount)
            }
            if case .active(let tableIndex, let offset) = segment.mode {
                guard Int(tableIndex) < context.tables.count else {
                    throw ValidationError("unknown table \(tableIndex)")
                }
                if context.tables[Int(tableIndex)].elementType != segment.type {
                    throw ValidationError("type mismatch")
                }
                try ConstExprValidator.validate(
                    offset, expected: .i32, context: context, visibleGlobals: context.importedGlobalCount)
            }
        }
        // Data segments (§3.4.7).
        for segment in module.datas {
            if case .active(let memoryIndex, let offset) = segment.mode {
                guard Int(memoryIndex) < context.memories.count else {
                    throw ValidationError("unknown memory \(memoryIndex)")
                }
                try ConstExprValidator.validate(
                    offset, expected: .i32, context: context, visibleGlobals: context.importedGlobalCount)
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
            }
            if !names.insert(Array(export.name.utf8)).inserted { throw ValidationError("duplicate export name") }
        }
    }

    /// Table types (§3.2.4): limits within 2^32-1, min ≤ max.
    static func validateTable(_ table: TableType) throws(ValidationError) {
        try validateLimits(table.limits, range: UInt64(UInt32.max), message: "table size must be at most 2^32-1")
    }

    /// Memory types (§3.2.5): limits within 65536 pages, min ≤ max.
    static func validateMemory(_ memory: MemoryType) throws(ValidationError) {
        try validateLimits(
            memory.limits, range: MemoryType.maxPages, message: "memory size must be at most 65536 pages (4GiB)")
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
