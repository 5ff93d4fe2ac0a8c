import WasmCore

/// Interns the defined types of every module process-wide, so that equivalent types of
/// different modules get one id: `call_indirect` compares two small integers, import matching
/// compares ids. Types are canonicalized a recursion group at a time (iso-recursive: two
/// groups are the same when their shapes are, with references outside the group by id).
///
/// Runtime objects (functions, tables, globals, tags) carry their types in canonical form:
/// a `.concrete` heap type there holds a registry id, not a module's type index.
package final class TypeRegistry: @unchecked Sendable {
    package static let shared = TypeRegistry()

    /// One interned type.
    private struct Entry {
        /// The function type, canonical.
        var type: FuncType
        var supertype: Int32?
    }

    private var groups: [[UInt64]: Int32] = [:]
    private var entries: [Entry] = []
    private let lock = Mutex()

    /// The id of each type index of `module`.
    package func ids(for module: WasmCore.Module) -> [Int32] {
        let declarations = (0..<module.types.count).map(module.typeDeclaration)
        return lock.withLock {
            var ids: [Int32] = []
            ids.reserveCapacity(module.types.count)
            for group in TypeHierarchy.groups(declarations) {
                let key = TypeHierarchy.groupKey(group, types: module.types, declarations: declarations) {
                    UInt64(ids[$0])
                }
                if let base = groups[key] {
                    for position in 0..<group.count { ids.append(base + Int32(position)) }
                    continue
                }
                let base = Int32(entries.count)
                groups[key] = base
                // Ids of the group are known before its types are made canonical (they may
                // refer to each other).
                for position in 0..<group.count { ids.append(base + Int32(position)) }
                for index in group {
                    let declaration = declarations[index]
                    entries.append(
                        Entry(
                            type: Self.canonical(module.types[index], ids: ids),
                            supertype: declaration.supertype.map { ids[Int($0)] }))
                }
            }
            return ids
        }
    }

    /// The id of a function type written without type indices (host functions).
    package func id(for type: FuncType) -> Int32 {
        let declarations = [TypeDeclaration(group: 0, groupSize: 1)]
        let key = TypeHierarchy.groupKey(0..<1, types: [type], declarations: declarations) { UInt64($0) }
        return lock.withLock {
            if let id = groups[key] { return id }
            let id = Int32(entries.count)
            groups[key] = id
            entries.append(Entry(type: type, supertype: nil))
            return id
        }
    }

    /// The canonical function type of `id`.
    package func type(for id: Int32) -> FuncType { lock.withLock { entries[Int(id)].type } }

    /// Is type `sub` the type `sup` or declared (transitively) below it?
    package func isSubtype(_ sub: Int32, of sup: Int32) -> Bool {
        if sub == sup { return true }
        return lock.withLock {
            var current = entries[Int(sub)].supertype
            while let c = current {
                if c == sup { return true }
                current = entries[Int(c)].supertype
            }
            return false
        }
    }

    /// Does a value of canonical type `sub` match canonical type `sup`?
    package func isSubtype(_ sub: ValueType, _ sup: ValueType) -> Bool {
        if sub == sup { return true }
        guard case .ref(let a) = sub, case .ref(let b) = sup else { return false }
        if a.isNullable && !b.isNullable { return false }
        switch (a.heapType, b.heapType) {
        case (.abstract(let x), .abstract(let y)): return TypeHierarchy.isAbstractSubtype(x, y)
        case (.concrete, .abstract(let y)): return y == .function
        case (.abstract(let x), .concrete): return x == .noFunction
        case (.concrete(let x), .concrete(let y)): return isSubtype(Int32(x), of: Int32(y))
        }
    }

    /// `type` with each type index replaced by its id in `ids`.
    package static func canonical(_ type: ValueType, ids: [Int32]) -> ValueType {
        guard case .ref(let r) = type, case .concrete(let index) = r.heapType, Int(index) < ids.count else {
            return type
        }
        return .ref(RefType(nullable: r.isNullable, .concrete(UInt32(ids[Int(index)]))))
    }

    package static func canonical(_ type: FuncType, ids: [Int32]) -> FuncType {
        FuncType(params: type.params.map { canonical($0, ids: ids) }, results: type.results.map { canonical($0, ids: ids) })
    }
}
