/// The types of one module's type section as the type system sees them: which type indices
/// denote the same type (iso-recursive equivalence: same shape of recursion group, same
/// position in it) and which are declared subtypes of which. Validation asks it whether one
/// value type matches another (`isSubtype`); the runtime's registry canonicalizes the same
/// group keys across modules (`TypeHierarchy.groupKeys`).
public struct TypeHierarchy: Sendable {
    public let types: [FuncType]
    public let declarations: [TypeDeclaration]
    /// Equal numbers for equivalent type indices (module-local numbering).
    public let canonicalIDs: [Int]

    public init(module: Module) {
        self.init(types: module.types, declarations: (0..<module.types.count).map(module.typeDeclaration))
    }

    public init(types: [FuncType], declarations: [TypeDeclaration]? = nil) {
        self.types = types
        let declarations =
            declarations ?? (0..<types.count).map { TypeDeclaration(group: $0, groupSize: 1) }
        self.declarations = declarations
        var ids: [Int] = []
        var seen: [[UInt64]: Int] = [:]
        for group in Self.groups(declarations) {
            let key = Self.groupKey(group, types: types, declarations: declarations) { UInt64(ids[$0]) }
            let base = seen[key] ?? ids.count
            if seen[key] == nil { seen[key] = base }
            for position in 0..<group.count { ids.append(base + position) }
        }
        canonicalIDs = ids
    }

    // MARK: Matching

    /// Does a value of type `sub` match type `sup` (spec "matching", §3.3.x)?
    @inlinable
    public func isSubtype(_ sub: ValueType, _ sup: ValueType) -> Bool {
        if sub == sup { return true }
        guard case .ref(let subRef) = sub, case .ref(let supRef) = sup else { return false }
        return isSubtype(subRef, supRef)
    }

    public func isSubtype(_ sub: RefType, _ sup: RefType) -> Bool {
        if sub.isNullable && !sup.isNullable { return false }
        return isSubtype(sub.heapType, sup.heapType)
    }

    /// Each type of `subs` matches the type at the same position of `sups` (same count).
    public func isSubtype(_ subs: [ValueType], _ sups: [ValueType]) -> Bool {
        subs.count == sups.count && zip(subs, sups).allSatisfy { isSubtype($0, $1) }
    }

    public func isSubtype(_ sub: HeapType, _ sup: HeapType) -> Bool {
        switch (sub, sup) {
        case (.abstract(let a), .abstract(let b)):
            return Self.isAbstractSubtype(a, b)
        case (.concrete, .abstract(let b)):
            // Every defined type is a function type until GC adds struct and array types.
            return b == sub.top
        case (.abstract(let a), .concrete):
            return a == sup.top.bottom
        case (.concrete(let a), .concrete(let b)):
            return isConcreteSubtype(Int(a), Int(b))
        }
    }

    /// Are two type indices the same type?
    public func isEquivalent(_ a: Int, _ b: Int) -> Bool {
        a == b || (a < canonicalIDs.count && b < canonicalIDs.count && canonicalIDs[a] == canonicalIDs[b])
    }

    func isConcreteSubtype(_ sub: Int, _ sup: Int) -> Bool {
        var current: Int? = sub
        var steps = 0
        while let c = current, c < declarations.count, steps <= declarations.count {
            if isEquivalent(c, sup) { return true }
            current = declarations[c].supertype.map(Int.init)
            steps += 1
        }
        return false
    }

    public static func isAbstractSubtype(_ a: AbstractHeapType, _ b: AbstractHeapType) -> Bool {
        if a == b { return true }
        guard a.top == b.top else { return false }
        if a == a.bottom { return true }
        if b == b.top { return true }
        // Within the GC hierarchy: i31, struct and array are below eq.
        return b == .eq && (a == .i31 || a == .structure || a == .array)
    }

    // MARK: Canonical keys (shared with the runtime's registry)

    /// The recursion groups in order, as ranges of type indices.
    public static func groups(_ declarations: [TypeDeclaration]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var index = 0
        while index < declarations.count {
            let size = max(1, declarations[index].groupSize)
            let end = min(declarations.count, index + size)
            out.append(index..<end)
            index = end
        }
        return out
    }

    /// A key that two recursion groups share exactly when they are equivalent: references to
    /// types of the group are relative to the group's start, references to earlier types are
    /// the numbers `outside` gives them (canonical ids, local or global).
    public static func groupKey(
        _ group: Range<Int>, types: [FuncType], declarations: [TypeDeclaration], outside: (Int) -> UInt64
    ) -> [UInt64] {
        func encode(_ heapType: HeapType, nullable: Bool) -> UInt64 {
            let flags: UInt64 = nullable ? 1 << 48 : 0
            switch heapType {
            case .abstract(let a): return (6 << 56) | flags | UInt64(a.rawValue)
            case .concrete(let index):
                let i = Int(index)
                if group.contains(i) { return (7 << 56) | flags | UInt64(i - group.lowerBound) }
                if i < group.lowerBound { return (8 << 56) | flags | outside(i) }
                return (9 << 56) | flags | UInt64(index)  // invalid; validation rejects it
            }
        }
        func encode(_ type: ValueType) -> UInt64 {
            switch type {
            case .i32: 1
            case .i64: 2
            case .f32: 3
            case .f64: 4
            case .v128: 5
            case .ref(let r): encode(r.heapType, nullable: r.isNullable)
            }
        }
        var key: [UInt64] = [UInt64(group.count)]
        for index in group {
            let declaration = declarations[index]
            key.append(declaration.isFinal ? 1 : 0)
            key.append(declaration.supertype.map { encode(.concrete($0), nullable: false) } ?? 0)
            let type = index < types.count ? types[index] : FuncType(params: [], results: [])
            key.append(UInt64(type.params.count))
            key.append(contentsOf: type.params.map(encode))
            key.append(UInt64(type.results.count))
            key.append(contentsOf: type.results.map(encode))
        }
        return key
    }
}
